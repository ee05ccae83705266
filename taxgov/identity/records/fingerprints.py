"""Normal forms of the identifiers the records are looked up by, and their keyed fingerprints.

The loader and the look-ups both go through here, so ``123-45-6789`` finds what
``123456789`` stored, and ``s 1234 5678`` what ``S12345678`` did.
"""

from __future__ import annotations

from taxgov.common.security import pii

TIN_CONTEXT = "identity_records.PersonRecord.tin"
LICENCE_CONTEXT = "identity_records.DriverLicenceRecord.number"
PHONE_CONTEXT = "identity_records.PhoneRecord.number"


def normalize_tin(tin: str) -> str | None:
    """Nine digits, or None if it is not a TIN."""
    digits = "".join(ch for ch in tin if ch.isdigit())
    return digits if len(digits) == 9 and len(tin) <= 11 else None


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
