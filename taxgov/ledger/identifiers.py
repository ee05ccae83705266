"""Taxpayer identification numbers and Letter IDs: normal forms, fingerprints, new values."""

from __future__ import annotations

import secrets

from taxgov.common.identifiers import normalize_tin as common_normalize_tin
from taxgov.common.security import pii

TIN_CONTEXT = "ledger.Taxpayer.tin"
LETTER_ID_DIGITS = 10


class InvalidTinError(ValueError):
    pass


def normalize_tin(tin: str) -> str:
    """Digits only: ``123-45-6789`` and ``123456789`` are the same number."""
    digits = common_normalize_tin(tin)
    if digits is None:
        raise InvalidTinError("A taxpayer identification number has 9 digits.")
    return digits


def tin_fingerprint(tin: str) -> str:
    """The keyed fingerprint stored beside the encrypted number, for look-ups."""
    return pii.fingerprint(normalize_tin(tin), context=TIN_CONTEXT)


def new_letter_id() -> str:
    """``L`` and 10 random digits: unique by the database, never a guessable sequence."""
    return "L" + "".join(secrets.choice("0123456789") for _ in range(LETTER_ID_DIGITS))
