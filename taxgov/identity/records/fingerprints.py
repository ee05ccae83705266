"""Normal forms of the identifiers the records are looked up by, and their keyed fingerprints.

The loader and the look-ups both go through here, so ``s 1234 5678`` finds what
``S12345678`` stored; TINs are normalized by ``taxgov.common.identifiers``.
"""

from __future__ import annotations

from taxgov.common.security import pii

TIN_CONTEXT = "identity_records.PersonRecord.tin"
LICENCE_CONTEXT = "identity_records.DriverLicenceRecord.number"
PHONE_CONTEXT = "identity_records.PhoneRecord.number"


def normalize_licence_number(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def normalize_phone(number: str) -> str | None:
    """E.164 for a US number (``+1`` and ten digits), or None."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) == 10:
        digits = "1" + digits
    return f"+{digits}" if len(digits) == 11 and digits[0] == "1" else None


def tin_fingerprint(normalized: str) -> str:
    return pii.fingerprint(normalized, context=TIN_CONTEXT)


def licence_fingerprint(normalized: str) -> str:
    return pii.fingerprint(normalized, context=LICENCE_CONTEXT)


def phone_fingerprint(normalized: str) -> str:
    return pii.fingerprint(normalized, context=PHONE_CONTEXT)
