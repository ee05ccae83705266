"""Reading the machine-readable zone of a passport's data page (ICAO 9303 part 4, TD3: two
lines of 44 characters), checked with the ``mrz`` package: every check digit must hold."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytesseract
from mrz.checker.td3 import TD3CodeChecker
from PIL import Image, ImageOps

from taxgov.identity.verification.documents.images import Lines, binarized, estimate_skew, open_photo, turned
from taxgov.identity.verification.errors import VerificationError

LINE = re.compile(r"[A-Z0-9<]{44}")


class MrzError(VerificationError):
    """The zone cannot be trusted."""


@dataclass(frozen=True)
class PassportData:
    issuing_state: str
    family_name: str
    given_names: str
    document_number: str
    nationality: str
    date_of_birth: dt.date
    sex: str
    expiry_date: dt.date
    personal_number: str


def _date(yymmdd: str, *, future: bool, today: dt.date) -> dt.date:
    """Two-digit years: an expiry is at most 20 years ahead; a birth date is in the past."""
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    century = today.year // 100 * 100
    full = century + year
    if future and full > today.year + 20:
        full -= 100
    if not future and full > today.year:
        full -= 100
    return dt.date(full, month, day)


def parse_td3(zone: str, *, today: dt.date | None = None) -> PassportData:
    """``zone`` is the two lines as read (spaces and a wrong O/0 in number fields are for the
    OCR step to fix; here every character must already be right)."""
    today = today or dt.date.today()  # noqa: DTZ011 (a calendar date, no time zone involved)
    lines = [line.strip() for line in zone.strip().splitlines() if line.strip()]
    if len(lines) != 2 or not all(LINE.fullmatch(line) for line in lines) or not lines[0].startswith("P"):
        raise MrzError("not a passport's two 44-character lines", code="IDV-DOC-003")
    checker = TD3CodeChecker("\n".join(lines))
    if not checker:
        raise MrzError("a check digit does not match", code="IDV-DOC-004")
    fields = checker.fields()
    try:
        born = _date(fields.birth_date, future=False, today=today)
        expires = _date(fields.expiry_date, future=True, today=today)
    except ValueError as error:
        raise MrzError("a date does not exist", code="IDV-DOC-004") from error
    return PassportData(
        issuing_state=fields.country,
        family_name=fields.surname,
        given_names=fields.name,
        document_number=fields.document_number,
        nationality=fields.nationality,
        date_of_birth=born,
        sex=fields.sex if fields.sex in ("M", "F") else "X",
        expiry_date=expires,
        personal_number=fields.optional_data,
    )


# Reading the zone from a photo. tesseract (Debian's eng model) reads the OCR-B characters of
# the fixed fields well but garbles runs of the "<" filler: it reads some as K and drops or
# adds others. Every field but the names sits at a fixed position and is covered by a check
# digit, so the lines are rebuilt field by field and the check digits decide; the names (no
# check digit) lose K-only filler words and are confirmed against what the person gives.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
TESSERACT_CONFIG = f"--psm 6 -c tessedit_char_whitelist={ALPHABET} -c load_system_dawg=0 -c load_freq_dawg=0"
ZONE_SHARES = (0.32, 1.0)  # the bottom third of a data page first, then the whole photo
ZONE_WIDTH = 1000  # pixels across the crop tesseract reads: characters about 20 px wide
FILLER_LOOKALIKES = set("KSEXC")
AS_DIGIT = str.maketrans("OQDUIZSBG", "000011582")
AS_LETTER = str.maketrans("0125863", "OIZSBGB")


def _digits(text: str) -> str:
    return text.translate(AS_DIGIT)


def _letters(text: str) -> str:
    return text.translate(AS_LETTER)


def _names(text: str) -> str:
    """The names field (39 characters): words made only of what filler is misread as are
    dropped and the filler put back. A name may still end in a stray K or S: see
    ``names_agree``."""
    surname, _, given = text.replace("<K<", "<<<").partition("<<")
    given_words = [word for word in given.split("<") if word and set(word) - FILLER_LOOKALIKES]
    field = _letters(surname.strip("<")) + "<<" + "<".join(_letters(word) for word in given_words)
    return field[:39].ljust(39, "<")


def _line_one(text: str) -> str:
    return "P" + (text[1] if text[1] != "K" else "<") + _letters(text[2:5]) + _names(text[5:])


def _line_two(text: str) -> str:
    """Number, nationality, birth date, sex and expiry at their places; then the personal
    number (filler restored to 14) with its check digit, and the composite check digit."""
    fixed = text[:9] + _digits(text[9]) + _letters(text[10:13]) + _digits(text[13:20])
    fixed += text[20].replace("K", "<") + _digits(text[21:28])
    tail = text[28:]
    personal = tail[:-2].replace("K", "<").rstrip("<").ljust(14, "<")[:14]
    check = tail[-2] if tail[-2] in "<K" else _digits(tail[-2])
    return fixed + personal + check.replace("K", "<") + _digits(tail[-1])


def _number_readings(line_two: str) -> Iterator[str]:
    """The line as read, then with each O and 0 in the document number swapped, which OCR-B
    cannot tell apart reliably; the number's check digit decides among them."""
    yield line_two
    number = line_two[:9]
    places = [i for i, char in enumerate(number) if char in "O0"]
    for mask in range(1, 2 ** min(len(places), 4)):
        chars = list(number)
        for bit, place in enumerate(places[:4]):
            if mask >> bit & 1:
                chars[place] = "0" if chars[place] == "O" else "O"
        yield "".join(chars) + line_two[9:]


def _zone_lines(image: Image.Image, share: float) -> list[str] | None:
    width, height = image.size
    crop = image.crop((0, int(height * (1 - share)), width, height))
    crop = crop.resize((ZONE_WIDTH, max(1, round(crop.height * ZONE_WIDTH / crop.width))), Image.Resampling.LANCZOS)
    text = pytesseract.image_to_string(ImageOps.expand(binarized(crop), 20, fill=255), config=TESSERACT_CONFIG)
    lines = [line.replace(" ", "") for line in text.splitlines()]
    lines = [line for line in lines if len(line) >= 30]
    if len(lines) < 2 or not lines[-2].startswith("P") or len(lines[-1]) < 30:
        return None
    return lines[-2:]


def read_passport_page(data: bytes, *, today: dt.date | None = None) -> PassportData:
    """The zone in a photo of a passport's data page, every check digit holding."""
    return read_zone(open_photo(data), today=today)


def read_zone(photo: Image.Image, *, today: dt.date | None = None) -> PassportData:
    image = photo.convert("L")
    level = turned(image, estimate_skew(image, Lines.TEXT))
    failure = MrzError("no machine-readable zone found", code="IDV-DOC-003")
    for upright, share in itertools.product((level, level.rotate(180)), ZONE_SHARES):
        lines = _zone_lines(upright, share)
        if lines is None:
            continue
        first = _line_one(lines[0])
        for second in _number_readings(_line_two(lines[1])):
            try:
                return parse_td3(f"{first}\n{second}", today=today)
            except MrzError as error:
                failure = error
    raise failure


def names_agree(read: str, given: str) -> bool:
    """Whether names read from a zone match the names a person gave: word for word, a read
    word may run on with letters that filler is misread as (``JORDANK`` for ``JORDAN``)."""
    read_words, given_words = read.upper().split(), given.upper().replace("-", " ").split()
    if len(read_words) < len(given_words):
        return False
    for read_word, given_word in zip(read_words, given_words, strict=False):
        if not read_word.startswith(given_word) or set(read_word[len(given_word) :]) - FILLER_LOOKALIKES:
            return False
    return all(not set(word) - FILLER_LOOKALIKES for word in read_words[len(given_words) :])
