"""Normal forms of taxpayer identification numbers, shared by the ledger and the identity provider."""

from __future__ import annotations


def normalize_tin(tin: str) -> str | None:
    """The nine digits of an SSN, ITIN or EIN however it was typed (``123-45-6789``), or None."""
    digits = "".join(ch for ch in tin if ch.isdigit())
    return digits if len(digits) == 9 and len(tin) <= 11 else None


def format_tin(digits: str, tin_type: str) -> str:
    """Nine characters (digits or X) with the dashes of their kind of number: ``123-45-6789``
    for an SSN or ITIN, ``12-3456789`` for an EIN."""
    if tin_type == "ein":
        return f"{digits[:2]}-{digits[2:]}"
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def masked_tin(tin: str, tin_type: str = "ssn") -> str:
    """Only the last four digits, in the number's own shape: ``XXX-XX-1234`` for an SSN or
    ITIN, ``XX-XXX1234`` for an EIN; empty for anything that is not nine digits."""
    digits = "".join(ch for ch in str(tin) if ch.isdigit())
    if len(digits) != 9:
        return ""
    return format_tin("XXXXX" + digits[-4:], tin_type)
