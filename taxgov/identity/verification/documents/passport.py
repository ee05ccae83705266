"""Reading the machine-readable zone of a passport's data page (ICAO 9303 part 4, TD3: two
lines of 44 characters), checked with the ``mrz`` package: every check digit must hold."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from mrz.checker.td3 import TD3CodeChecker

LINE = re.compile(r"[A-Z0-9<]{44}")


class MrzError(ValueError):
    """The zone cannot be trusted; ``code`` names the verification error."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


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
