"""The identity provider's password rules (NIST SP 800-63B): length, breached and common
passwords, context words, and no composition rules."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

PERSON = SimpleNamespace(email="nia.okafor@example.com", full_name="Nia Okafor")


def refusal(password: str) -> list[str]:
    try:
        validate_password(password, user=PERSON)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short one", "password_length"),
        ("x" * 129, "password_length"),
        ("password123!", "password_breached"),
        ("iloveyou2010", "password_breached"),
        ("qwertyuiop12", "password_breached"),
        ("okafor-loves-tea", "password_context_word"),
        ("my verifyid account", "password_context_word"),
        ("Z" * 64, "password_repetitive"),
        ("abababababababab", "password_repetitive"),
        ("mnopqrstuvwxyz", "password_repetitive"),
    ],
)
def test_refused(password: str, code: str):
    assert code in refusal(password)


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "all lower case and long",
        "a" + "quiet river bend " * 4,
        "contraseña de montaña 7",
    ],
)
def test_accepted_without_composition_rules(password: str):
    assert refusal(password) == []
