"""Letter codes: ten characters of Crockford's base 32, read back however a person types them."""

from __future__ import annotations

import pytest

from taxgov.common.security.codes import (
    LETTER_ALPHABET,
    letter_code_for_print,
    new_letter_code,
    normalize_letter_code,
)


def test_new_codes_use_only_the_alphabet_and_differ():
    codes = {new_letter_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 10 and set(code) <= set(LETTER_ALPHABET) for code in codes)


def test_a_code_is_printed_in_two_groups_of_five():
    assert letter_code_for_print("7K3QX9MWD2") == "7K3QX-9MWD2"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("7K3QX-9MWD2", "7K3QX9MWD2"),
        ("7k3qx 9mwd2", "7K3QX9MWD2"),
        (" 7K3QX9MWD2 ", "7K3QX9MWD2"),
        ("O1IL0-ABCDE", "01110ABCDE"),  # O is 0; I and L are 1
    ],
)
def test_typed_codes_are_read_back(typed, code):
    assert normalize_letter_code(typed) == code


FULL_WIDTH_SEVEN = "\uff17"


@pytest.mark.parametrize(
    "typed", ["", "7K3QX-9MWD", "7K3QX-9MWD2X", "7K3QX-9MWDU", "7K3QX_9MWD2", FULL_WIDTH_SEVEN + "K3QX9MWD2"]
)
def test_anything_else_is_not_a_code(typed):
    assert normalize_letter_code(typed) is None
