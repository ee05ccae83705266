"""Masking personal data on transcripts, as the IRS has done on individual transcripts since
September 2018 and on business transcripts since December 2020: enough stays visible for
someone who knows the taxpayer to recognise them, not enough to steal their identity; every
money amount stays in full.

Pure functions, so they are tested without a database. How much stays visible is dated data
(``transcripts.masking`` in ``federal.toml``); ``masking_on`` reads it for a day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from taxgov.common.identifiers import format_tin
from taxgov.ledger.rules import rulebook

HIDDEN = "X"
HIDDEN_TAIL = HIDDEN * 4  # after the visible start of a name or street, whatever its length


def _digits(value: str) -> str:
    return "".join(character for character in value if character.isdigit())


@dataclass(frozen=True)
class Masking:
    """How many characters each kind of value keeps. A value never shows in full: one at
    most as long as its visible part keeps one character less (so a four-letter last name
    shows three, as the IRS rule says)."""

    last_digits: int  # of a TIN, an account number or a phone number
    name_characters: int  # at the start of a first, middle, last or business name
    street_characters: int  # at the start of the street address, spaces included

    def number(self, value: str) -> str:
        """An account or phone number (or a TIN's digits): each digit but the last few becomes X."""
        digits = _digits(value)
        shown = max(min(self.last_digits, len(digits) - 1), 0)
        return HIDDEN * (len(digits) - shown) + digits[len(digits) - shown :]

    def tin(self, tin: str, tin_type: str) -> str:
        """``XXX-XX-1234`` for an SSN or ITIN, ``XX-XXX1234`` for an EIN."""
        return format_tin(self.number(tin), tin_type)

    def name(self, name: str) -> str:
        return _keep_start(name.strip(), self.name_characters)

    def street(self, street: str) -> str:
        return _keep_start(street.strip(), self.street_characters)


def _keep_start(text: str, count: int) -> str:
    if not text:
        return ""
    return text[: max(min(count, len(text) - 1), 0)] + HIDDEN_TAIL


def masking_on(day: dt.date) -> Masking:
    rules = rulebook("federal")
    return Masking(
        last_digits=int(rules.number("transcripts.masking.tin_last_digits", day)),
        name_characters=int(rules.number("transcripts.masking.name_first_characters", day)),
        street_characters=int(rules.number("transcripts.masking.street_first_characters", day)),
    )
