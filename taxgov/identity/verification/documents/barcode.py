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

EDGE_MARGIN = 4  # pixels
PDF417 = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.PDF417)


def _angles(skew: float) -> Iterator[float]:
    yield skew
    for offset in (1.5, -1.5, 3, -3):
        yield skew + offset
    yield 0
    yield 180


def _touches_edge(image: Image.Image, angle: float, barcode: zxingcpp.Barcode) -> bool:
    """Whether a corner of the barcode lies within ``EDGE_MARGIN`` of the photo's edge (the
    card is cut off): the photo's own area is turned the same way, so its edge is known."""
    area = Image.new("L", image.size, 255)
    area = area.rotate(angle, expand=True, fillcolor=0) if angle else area
    position = barcode.position
    for corner in (position.top_left, position.top_right, position.bottom_left, position.bottom_right):
        box = (corner.x - EDGE_MARGIN, corner.y - EDGE_MARGIN, corner.x + EDGE_MARGIN, corner.y + EDGE_MARGIN)
        if box[0] < 0 or box[1] < 0 or box[2] > area.width or box[3] > area.height:
            return True
        if area.crop(box).getextrema()[0] == 0:
            return True
    return False


def read_pdf417(image: Image.Image) -> str:
    image = image.convert("L")
    for angle in _angles(estimate_skew(image, Lines.BARS)):
        level = turned(image, angle)
        found = zxingcpp.read_barcodes(level, formats=PDF417, text_mode=zxingcpp.TextMode.Plain)
        if found:
            if _touches_edge(image, angle, found[0]):
                raise AamvaError("the barcode runs off the photo", code="IDV-DOC-009")
            return str(found[0].text)
    raise AamvaError("no PDF417 barcode found", code="IDV-DOC-001")


def read_card_back(data: bytes) -> CardData:
    """The AAMVA card data in a photo of the back of a card."""
    return parse(read_pdf417(open_photo(data)))
