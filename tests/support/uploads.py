"""Files an upload must refuse: broken photos, a real PDF, and decompression bombs (images
whose header claims far more pixels than their few bytes could hold, or that compress a huge
empty image into a small file)."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image

from taxgov.common.pdf import TaggedPdf

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def random_bytes(size: int = 50_000) -> bytes:
    return random.Random(9).randbytes(size)


def truncated(data: bytes) -> bytes:
    """The first half of a file, as a dropped upload leaves it."""
    return data[: len(data) // 2]


def pdf() -> bytes:
    document = TaggedPdf(title="Statement", author="Tests", subject="Not a photo", language="en-US", footer="1")
    document.paragraph("This is a PDF, not a photo.")
    return document.pdf()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int, height: int, rows: int) -> bytes:
    """An 8-bit grey PNG of ``width`` x ``height`` whose data holds ``rows`` blank rows."""
    compressor = zlib.compressobj(9)
    row = b"\0" * (width + 1)  # filter type 0, then the pixels
    data = b"".join(compressor.compress(row) for _ in range(rows)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes whose header claims ``width`` x ``height``: a bomb's opening."""
    return _png(width, height, rows=1)


def blank_png(width: int, height: int) -> bytes:
    """A whole, valid, blank image: ``width`` x ``height`` pixels compressed a thousandfold."""
    return _png(width, height, rows=height)


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) has been changed to claim ``width`` x ``height``."""
    buffer = io.BytesIO()
    Image.new("L", (16, 16), 128).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    frame = data.index(b"\xff\xc0")  # marker, length (2), precision (1), height (2), width (2)
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)
