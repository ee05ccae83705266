"""Password rules as Django password validators, configured per deployable in
``AUTH_PASSWORD_VALIDATORS`` (the state portal has the agency's 8-15 characters with upper
case, lower case and a number; the identity provider follows NIST SP 800-63B instead).

Each validator's message states the rule as the sign-up page lists it, so an error reads
like the hint the person has already seen.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LengthRangeValidator:
    """Between ``min_length`` and ``max_length`` characters."""

    def __init__(self, min_length: int = 8, max_length: int = 64) -> None:
        if not 1 <= min_length <= max_length:
            raise ValueError("LengthRangeValidator needs 1 <= min_length <= max_length")
        self.min_length, self.max_length = min_length, max_length

    def validate(self, password: str, user: Any = None) -> None:
        if not self.min_length <= len(password) <= self.max_length:
            raise ValidationError(self.get_help_text(), code="password_length")

    def get_help_text(self) -> str:
        return _("Passwords must be between %(min)d-%(max)d characters.") % {
            "min": self.min_length,
            "max": self.max_length,
        }


CHARACTER_CLASSES = {"upper": re.compile(r"[A-Z]"), "lower": re.compile(r"[a-z]"), "digit": re.compile(r"[0-9]")}


class CharacterClassesValidator:
    """At least one character of each class named in ``required`` (``upper``, ``lower``, ``digit``)."""

    def __init__(self, required: tuple[str, ...] = ("upper", "lower", "digit")) -> None:
        unknown = set(required) - set(CHARACTER_CLASSES)
        if unknown:
            raise ValueError(f"unknown character classes {sorted(unknown)}")
        self.required = tuple(required)

    def validate(self, password: str, user: Any = None) -> None:
        missing = [name for name in self.required if not CHARACTER_CLASSES[name].search(password)]
        if missing:
            raise ValidationError([self._rule(name) for name in missing], code="password_character_classes")

    def _rule(self, name: str) -> str:
        return {
            "upper": _("Passwords must contain at least one upper case letter."),
            "lower": _("Passwords must contain at least one lower case letter."),
            "digit": _("Passwords must contain at least one number."),
        }[name]

    def get_help_text(self) -> str:
        return " ".join(self._rule(name) for name in self.required)
