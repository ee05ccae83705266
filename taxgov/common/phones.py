"""Phone numbers through ``phonenumbers``: typed in any national style, stored in E.164,
shown back the way people write them."""

from __future__ import annotations

import phonenumbers


def to_e164(entry: str, country: str) -> str | None:
    """``(617) 555-0123`` typed for ``US`` → ``+16175550123``; None if it cannot be dialed."""
    try:
        parsed = phonenumbers.parse(entry, country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def for_display(e164: str, *, home_country: str = "US") -> str:
    """National style for numbers of ``home_country``, international style for others."""
    parsed = phonenumbers.parse(e164)
    national = phonenumbers.region_code_for_number(parsed) == home_country
    style = phonenumbers.PhoneNumberFormat.NATIONAL if national else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, style)
