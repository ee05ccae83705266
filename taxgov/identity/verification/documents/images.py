"""Opening a photo of a document and finding how far it is turned.

Both readers need the document level: zxing-cpp reads a PDF417 only within about ±2°
(upstream issues #145 and #826) and tesseract reads a line of text best when it is level.
Bars and lines of text both make the image's profile (its ink summed across columns for
bars, across rows for text) sharpest when they are level, so the skew is the angle that
maximizes that sharpness: a coarse search in 1° steps on a small copy, then quarter
degrees around the best.
"""

from __future__ import annotations

import io
from enum import Enum

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from taxgov.identity.verification.errors import VerificationError

FORMATS = ("JPEG", "PNG")  # what cameras and the selfie page send; no other decoder is exposed
# Checked from the header, before a pixel is decoded: a small file may claim a huge image (a
# decompression bomb). A phone's usual 12 or 24 megapixel photo fits; decoding one costs at most
# about 120 MB (4 bytes a pixel), where Pillow's own limit (89 million pixels) would allow 360 MB.
MAX_PIXELS = 30_000_000
MAX_SIDE = 2000  # larger photos are scaled down first: reading time grows with the area
SKEW_LIMIT = 25  # degrees either way; a steeper photo is asked to be retaken
PROBE_SIDE = 500  # the size the skew is estimated at


class Lines(Enum):
    """What should stand level: a barcode's upright bars, or a document's rows of text."""

    BARS = 0
    TEXT = 1


def open_photo(data: bytes) -> Image.Image:
    """A photo as uploaded (EXIF orientation applied), in colour, at most ``MAX_SIDE`` wide.
    Opened once per upload: the readers take grey from it, the face checks the colour. A
    file that is not a whole JPEG or PNG, or that has more than ``MAX_PIXELS``, is refused."""
    try:
        opened = Image.open(io.BytesIO(data), formats=FORMATS)
        if opened.width * opened.height > MAX_PIXELS:
            raise VerificationError("too many pixels", code="IDV-IMG-002")
        image = ImageOps.exif_transpose(opened).convert("RGB")
    # Pillow's own bomb check, in Image.open: an error past twice its limit, a warning past it
    # (an error where warnings are, as in the tests).
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise VerificationError("too many pixels", code="IDV-IMG-002") from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise VerificationError("not an image we can open", code="IDV-IMG-001") from error
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def _sharpness(image: Image.Image, angle: float, lines: Lines) -> float:
    turned = np.asarray(image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255), dtype=np.float32)
    profile = (255.0 - turned).sum(axis=lines.value)
    return float(np.square(np.diff(profile)).sum())


def estimate_skew(image: Image.Image, lines: Lines) -> float:
    """The angle (counter-clockwise, to a quarter degree) that makes ``lines`` level."""
    probe = image.copy()
    probe.thumbnail((PROBE_SIDE, PROBE_SIDE))
    coarse = max(range(-SKEW_LIMIT, SKEW_LIMIT + 1), key=lambda angle: _sharpness(probe, angle, lines))
    fine = [coarse + step / 4 for step in range(-4, 5)]
    return max(fine, key=lambda angle: _sharpness(probe, angle, lines))


def turned(image: Image.Image, angle: float) -> Image.Image:
    if angle == 0:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def binarized(image: Image.Image) -> Image.Image:
    """Black ink on white, split at Otsu's threshold (the one that best separates the two)."""
    pixels = np.asarray(image)
    counts = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    share = np.cumsum(counts) / counts.sum()
    mean = np.cumsum(counts * np.arange(256)) / counts.sum()
    between = (mean[-1] * share - mean) ** 2 / (share * (1 - share) + 1e-12)
    threshold = int(np.argmax(between))
    return Image.fromarray(np.where(pixels > threshold, 255, 0).astype(np.uint8))


MIN_SHORT_SIDE = 600  # pixels: a card's barcode needs about 3 pixels per module
MIN_SHARPNESS = 50.0  # the Laplacian's variance below which a photo is too blurred to read
MAX_GLARE = 0.02  # the share of the photo that may be blown-out highlight


def sharpness(image: Image.Image) -> float:
    """The variance of the image's Laplacian (its edges): low when the photo is blurred."""
    probe = image.copy()
    probe.thumbnail((1000, 1000))
    pixels = np.asarray(probe, dtype=np.float32)
    laplacian = pixels[:-2, 1:-1] + pixels[2:, 1:-1] + pixels[1:-1, :-2] + pixels[1:-1, 2:] - 4 * pixels[1:-1, 1:-1]
    return float(laplacian.var())


def glare(image: Image.Image) -> float:
    """The share of pixels blown out to pure white: a flash or a lamp reflected by the card."""
    pixels = np.asarray(image)
    return float((pixels >= 254).mean())


def check_quality(image: Image.Image) -> None:
    """Refuse a photo too small, too blurred or too glary to read, with its own code each."""
    image = image.convert("L")
    if min(image.size) < MIN_SHORT_SIDE:
        raise VerificationError("photo too small", code="IDV-DOC-006")
    if sharpness(image) < MIN_SHARPNESS:
        raise VerificationError("photo too blurred", code="IDV-DOC-007")
    if glare(image) > MAX_GLARE:
        raise VerificationError("glare on the document", code="IDV-DOC-008")
