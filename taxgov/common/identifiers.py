"""Normal forms of taxpayer identification numbers, shared by the ledger and the identity provider."""

from __future__ import annotations


def normalize_tin(tin: str) -> str | None:
    """The nine digits of an SSN, ITIN or EIN however it was typed (``123-45-6789``), or None."""
    digits = "".join(ch for ch in tin if ch.isdigit())
    return digits if len(digits) == 9 and len(tin) <= 11 else None
