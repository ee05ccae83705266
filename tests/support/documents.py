"""Test material for identity verification, made by the tests themselves: AAMVA card files
laid out as the standard says, and pictures of card backs carrying them in a PDF417."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image, ImageDraw

SAMPLE_ELEMENTS = {
    "DCA": "C", "DCB": "NONE", "DCD": "NONE", "DBA": "08122030", "DCS": "RIVERA", "DAC": "ALEX",
    "DAD": "JORDAN", "DBD": "08122022", "DBB": "03151988", "DBC": "2", "DAY": "BRO", "DAU": "066 in",
    "DAG": "12 ELM STREET", "DAI": "WORCESTER", "DAJ": "MA", "DAK": "016090000", "DAQ": "S12345678",
    "DCF": "20220812123456", "DCG": "USA", "DDE": "N", "DDF": "N", "DDG": "N", "DAH": "APT 4",
    "DAZ": "BLK", "DCI": "BOSTON MA", "DCJ": "AUDIT1", "DCK": "ICN0001", "DBN": "SMITH", "DBG": "AL",
    "DBS": "JR", "DCU": "III", "DCE": "4", "DCL": "W", "DCM": "D", "DCN": "NONE", "DCO": "NONE",
    "DCP": "PASSENGER", "DCQ": "NONE", "DCR": "NONE", "DDA": "F", "DDB": "01012020", "DDC": "01012031",
    "DDD": "0", "DAW": "150", "DAX": "068", "DDH": "03152006", "DDI": "03152007", "DDJ": "03152009",
    "DDK": "1", "DDL": "1",
}  # fmt: skip


def card_file(
    elements: dict[str, str],
    *,
    kind: str = "DL",
    version: int = 10,
    jurisdiction: str = "ZCAVALUE\n",
    wrong_offsets: bool = False,
) -> str:
    """A card file as the standard lays it out, with the header's offsets and lengths."""
    body = kind + "\n".join(f"{key}{value}" for key, value in elements.items()) + "\r"
    subfiles = [(kind, body)] + ([("ZC", "ZC" + jurisdiction + "\r")] if jurisdiction else [])
    header_fields = f"636014{version:02d}" + ("" if version == 1 else "00") + f"{len(subfiles):02d}"
    header = "@\n\x1e\rANSI " + header_fields
    offset = len(header) + 10 * len(subfiles)
    designators = ""
    for subfile_kind, subfile in subfiles:
        start = offset + (7 if wrong_offsets else 0)
        designators += f"{subfile_kind}{start:04d}{len(subfile):04d}"
        offset += len(subfile)
    return header + designators + "".join(subfile for _kind, subfile in subfiles)


def card_back_photo(
    payload: str, *, angle: float = 0.0, size: tuple[int, int] = (1400, 900), glare: bool = False
) -> bytes:
    """A PNG of a card's back on a darker table: some printed text and the PDF417, turned by
    ``angle`` degrees as a hand-held photo would be."""
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.PDF417).to_image(scale=3)
    height, width = barcode.shape
    code = Image.frombytes("L", (width, height), bytes(memoryview(barcode))).point(lambda value: min(value, 240))
    card = Image.new("L", (max(1000, width + 80), height + 220), 240)
    draw = ImageDraw.Draw(card)
    draw.text((40, 30), "COMMONWEALTH DRIVER LICENSE  -  RESTRICTIONS: NONE", fill=40)
    card.paste(code, (40, 120))
    card = card.rotate(angle, expand=True, fillcolor=90)
    photo = Image.new("L", (max(size[0], card.width + 100), max(size[1], card.height + 100)), 90)
    photo.paste(card, ((photo.width - card.width) // 2, (photo.height - card.height) // 2))
    if glare:  # a lamp's reflection across the middle of the card
        ImageDraw.Draw(photo).ellipse((450, 250, 950, 650), fill=255)
    buffer = io.BytesIO()
    photo.save(buffer, format="PNG")
    return buffer.getvalue()


OCR_B = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"  # Debian's fonts-ocr-b, the MRZ typeface
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def passport_zone(
    *,
    family_name: str = "RIVERA",
    given_names: str = "ALEX JORDAN",
    number: str = "A12345678",
    birth: str = "880315",
    sex: str = "F",
    expiry: str = "310812",
    country: str = "USA",
) -> str:
    from mrz.generator.td3 import TD3CodeGenerator

    return str(TD3CodeGenerator("P", country, family_name, given_names, number, country, birth, sex, expiry, ""))


def passport_page_photo(
    zone: str, *, portrait: Image.Image | None = None, angle: float = 0.0, blur: float = 0.0, jpeg: int = 0
) -> bytes:
    """A passport's data page as a photo: the visual zone, the portrait on the left and the
    two-line zone in OCR-B at the bottom, turned, blurred and compressed as asked."""
    from PIL import ImageFilter, ImageFont

    page = Image.new("RGB", (1250, 880), (236, 232, 220))
    draw = ImageDraw.Draw(page)
    label, value = ImageFont.truetype(SANS, 20), ImageFont.truetype(SANS, 28)
    draw.text((60, 40), "PASSPORT  -  UNITED STATES OF AMERICA", font=value, fill=(30, 40, 90))
    portrait = portrait or sample_face("astronaut")
    face = portrait.convert("RGB").copy()
    face.thumbnail((300, 380))
    page.paste(face, (60, 120))
    lines = zone.splitlines()
    names = lines[0][5:].split("<<")
    fields = [
        ("Surname", names[0].replace("<", " ")),
        ("Given names", names[1].replace("<", " ").strip() if len(names) > 1 else ""),
        ("Passport No.", lines[1][:9].rstrip("<")),
        ("Date of birth", lines[1][13:19]),
        ("Date of expiration", lines[1][21:27]),
    ]
    for row, (name, text) in enumerate(fields):
        draw.text((420, 130 + 70 * row), name, font=label, fill=(90, 90, 90))
        draw.text((420, 155 + 70 * row), text, font=value, fill=(20, 20, 20))
    mrz_font = ImageFont.truetype(OCR_B, 36)  # 44 characters fill the page's width, as they do on a real one
    for row, line in enumerate(lines):
        draw.text((40, 680 + 70 * row), line, font=mrz_font, fill=(15, 15, 15))
    photo = page.rotate(angle, expand=True, fillcolor=(70, 70, 70), resample=Image.Resampling.BICUBIC)
    if blur:
        photo = photo.filter(ImageFilter.GaussianBlur(blur))
    buffer = io.BytesIO()
    if jpeg:
        photo.save(buffer, format="JPEG", quality=jpeg)
    else:
        photo.save(buffer, format="PNG")
    return buffer.getvalue()


def sample_face(name: str) -> Image.Image:
    """Photos that ship inside packages: scikit-image's astronaut (Eileen Collins) and
    matplotlib's Grace Hopper."""
    if name == "astronaut":
        from skimage.data import astronaut

        return Image.fromarray(astronaut())
    from matplotlib import cbook

    with cbook.get_sample_data("grace_hopper.jpg") as handle:
        return Image.open(handle).convert("RGB")


def turned_head(face: Image.Image, nose: tuple[float, float], eyes_apart: float, amount: float) -> Image.Image:
    """``face`` with the nose and its surroundings pushed ``amount`` pixels sideways, fading
    with distance: to a landmark detector, a head turning."""
    import numpy as np
    from scipy.ndimage import map_coordinates

    pixels = np.asarray(face.convert("RGB")).astype(np.float32)
    rows, columns = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]].astype(np.float32)
    shift = amount * np.exp(-((columns - nose[0]) ** 2 + (rows - nose[1]) ** 2) / (2 * eyes_apart**2))
    channels = [map_coordinates(pixels[..., c], [rows, columns - shift], order=1, mode="nearest") for c in range(3)]
    return Image.fromarray(np.stack(channels, axis=-1).astype(np.uint8))


def jpeg(image: Image.Image, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def challenge_frames(face: Image.Image, turn_value: int, *, frames: int = 5) -> list[Image.Image]:
    """What a camera captures while the person in ``face`` turns their head: facing the
    camera, then turning further each frame (``turn_value`` 1 is to their left)."""
    from taxgov.identity.verification.faces import find_face

    found = find_face(face)
    steps = [turn_value * 25 * index / (frames - 1) for index in range(frames)]
    return [face if amount == 0 else turned_head(face, found.nose, found.eyes_apart, amount) for amount in steps]


def card_front_photo(portrait: Image.Image, *, angle: float = 0.0) -> bytes:
    """The front of a card: the portrait on the left, printed details on the right."""
    from PIL import ImageFont

    card = Image.new("RGB", (1010, 640), (225, 232, 242))
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(SANS, 30)
    draw.text((40, 30), "COMMONWEALTH  DRIVER LICENSE", font=font, fill=(20, 40, 90))
    face = portrait.convert("RGB").copy()
    face.thumbnail((330, 420))
    card.paste(face, (40, 110))
    for row, line in enumerate(["RIVERA", "ALEX JORDAN", "12 ELM STREET", "WORCESTER, MA 01609", "DOB 03/15/1988"]):
        draw.text((420, 130 + 60 * row), line, font=font, fill=(20, 20, 20))
    photo = Image.new("RGB", (1400, 950), (80, 80, 80))
    turned_card = card.rotate(angle, expand=True, fillcolor=(80, 80, 80))
    photo.paste(turned_card, ((photo.width - turned_card.width) // 2, (photo.height - turned_card.height) // 2))
    return jpeg(photo, 90)


def fake_camera_video(path, face: Image.Image | None, turn_value: int, *, fps: int = 10) -> None:
    """A Y4M video for Chromium's fake camera: the person faces it for 2 seconds, turns
    their head over 1 second and holds it turned for 5 (then the video loops). Without a
    face, 8 seconds of an empty room."""
    from taxgov.identity.verification.faces import find_face

    canvas = Image.new("RGB", (640, 480), (60, 60, 60))
    if face is not None:
        canvas.paste(face.resize((480, 480)), (80, 0))
        found = find_face(canvas)
    amounts = (
        [0.0] * (2 * fps) + [turn_value * 25 * (i + 1) / fps for i in range(fps)] + [turn_value * 25.0] * (5 * fps)
    )
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W640 H480 F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for amount in amounts:
            frame = canvas if amount == 0 or face is None else turned_head(canvas, found.nose, found.eyes_apart, amount)
            luma, blue, red = frame.convert("YCbCr").split()
            video.write(b"FRAME\n" + luma.tobytes())
            video.write(blue.resize((320, 240)).tobytes() + red.resize((320, 240)).tobytes())
