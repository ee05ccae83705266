"""Finding and decoding the PDF417 barcode on the back of a US or Canadian card, from a
photo or a scan, with zxing-cpp.

The photo is turned level by its estimated skew (see ``images``) before decoding; only if
that fails are the neighbouring angles and the upside-down photo tried. Text is read in
plain mode, so the control characters the AAMVA layout depends on arrive as they are.
"""

from __future__ import annotations

from collections.abc import Iterator

import zxingcpp
from PIL import Image

from taxgov.identity.verification.documents.aamva import AamvaError, CardData, parse
from taxgov.identity.verification.documents.images import Lines, estimate_skew, open_photo, turned

PDF417 = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.PDF417)


def _angles(skew: float) -> Iterator[float]:
    yield skew
    for offset in (1.5, -1.5, 3, -3):
        yield skew + offset
    yield 0
    yield 180


def read_pdf417(image: Image.Image) -> str:
    for angle in _angles(estimate_skew(image, Lines.BARS)):
        found = zxingcpp.read_barcodes(
            turned(image, angle),
            formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.PDF417),
            text_mode=zxingcpp.TextMode.Plain,
        )
        if found:
            return str(found[0].text)
    raise AamvaError("no PDF417 barcode found", code="IDV-DOC-001")


def read_card_back(data: bytes) -> CardData:
    """The AAMVA card data in a photo of the back of a card."""
    return parse(read_pdf417(open_photo(data, unreadable_code="IDV-DOC-001")))
