"""The transcript masking rules: what stays visible of numbers, names and streets, and that no
value ever shows in full."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taxgov.common.identifiers import format_tin
from taxgov.federal.records.masking import Masking, masking_on
from taxgov.ledger.rules import RuleNotInForceError

IRS = Masking(last_digits=4, name_characters=4, street_characters=6)


@pytest.mark.parametrize(
    ("tin", "tin_type", "shown"),
    [
        ("123456789", "ssn", "XXX-XX-6789"),
        ("123-45-6789", "ssn", "XXX-XX-6789"),
        ("912-70-1234", "itin", "XXX-XX-1234"),
        ("12-3456789", "ein", "XX-XXX6789"),
    ],
)
def test_only_the_last_four_digits_of_a_tin_show(tin, tin_type, shown):
    assert IRS.tin(tin, tin_type) == shown


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("(617) 555-0123", "XXXXXX0123"),  # a phone number
        ("000123456789", "XXXXXXXX6789"),  # an account number
        ("1234", "X234"),  # never in full, even when short
        ("7", "X"),
    ],
)
def test_account_and_phone_numbers_keep_their_last_four_digits(number, shown):
    assert IRS.number(number) == shown


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Rivera", "RiveXXXX"),
        ("Hill", "HilXXXX"),  # a four-letter last name shows three, as the IRS rule says
        ("Lee", "LeXXXX"),
        ("Morgan Family Bakery LLC", "MorgXXXX"),  # a business name
        ("  Patel ", "PateXXXX"),
        ("", ""),
    ],
)
def test_names_keep_their_first_four_characters(name, shown):
    assert IRS.name(name) == shown


@pytest.mark.parametrize(
    ("street", "shown"),
    [
        ("66 Lopez Avenue", "66 LopXXXX"),  # spaces count
        ("905 Central Street Unit 26B", "905 CeXXXX"),
        ("1 A St", "1 A SXXXX"),
    ],
)
def test_the_street_keeps_its_first_six_characters(street, shown):
    assert IRS.street(street) == shown


def test_an_unmasked_tin_is_formatted_by_its_kind():
    assert format_tin("123456789", "ssn") == "123-45-6789"
    assert format_tin("123456789", "ein") == "12-3456789"


def test_the_visible_lengths_are_dated_rules():
    assert masking_on(dt.date(2026, 6, 1)) == IRS
    with pytest.raises(RuleNotInForceError):
        masking_on(dt.date(2018, 9, 22))  # masked transcripts began on September 23, 2018


@settings(max_examples=200, derandomize=True, database=None)
@given(st.text(alphabet=st.characters(blacklist_characters="X", blacklist_categories=("Cs",)), min_size=1))
def test_no_name_or_street_ever_shows_in_full(text):
    for masked in (IRS.name(text), IRS.street(text)):
        assert text.strip() == "" or text.strip() not in masked


@settings(max_examples=200, derandomize=True, database=None)
@given(st.text(alphabet="0123456789-() ", min_size=1).filter(lambda value: any(c.isdigit() for c in value)))
def test_no_number_ever_shows_in_full(number):
    digits = "".join(c for c in number if c.isdigit())
    assert digits not in IRS.number(number)
