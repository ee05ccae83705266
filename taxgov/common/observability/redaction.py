"""Masks what looks like personal data in text bound for the logs.

Defence in depth: the code logs references (``user:42``), never values. Anything shaped like a
taxpayer identification number (an SSN, ITIN or EIN: nine digits, with or without dashes), an
e-mail address or a phone number is replaced all the same. Digits inside longer words, numbers
or hexadecimal ids (``a1b2...``, ``3.141592653``) are left alone.
"""

from __future__ import annotations

import re
from typing import Any

_BEFORE = r"(?<![A-Za-z0-9])(?<!\d\.)"
_AFTER = r"(?![A-Za-z0-9])(?!\.\d)"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# SSN and ITIN 123-45-6789 (or with spaces, or none), EIN 12-3456789.
TIN = re.compile(_BEFORE + r"(?:\d{3}([- ]?)\d{2}\1\d{4}|\d{2}-\d{7})" + _AFTER)
PATTERNS = (
    (EMAIL, "[redacted-email]"),
    (TIN, "[redacted-tin]"),
    # E.164 (+15555550100), and North American numbers however they are written.
    (re.compile(_BEFORE + r"\+[1-9]\d{7,14}" + _AFTER), "[redacted-phone]"),
    (
        re.compile(_BEFORE + r"(?:\+\d{1,3}[ .-]?|1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}" + _AFTER),
        "[redacted-phone]",
    ),
)


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_value(value: Any) -> Any:
    """``value`` with every string in it (and any bare nine-to-eleven-digit number) redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int) and not isinstance(value, bool):
        masked = redact(str(value))
        return value if masked == str(value) else masked
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_value(item) for item in value)
    return value
