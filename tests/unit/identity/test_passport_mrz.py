"""Passport machine-readable zones (ICAO 9303 TD3): the specimen, check digits and dates."""

from __future__ import annotations

import datetime as dt

import pytest
from mrz.generator.td3 import TD3CodeGenerator

from taxgov.identity.verification.documents.passport import MrzError, names_agree, parse_td3, read_passport_page
from tests.support.documents import card_back_photo, passport_page_photo, passport_zone

SPECIMEN = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TODAY = dt.date(2026, 11, 21)


def test_the_icao_specimen():
    data = parse_td3(SPECIMEN, today=TODAY)
    assert data.family_name == "ERIKSSON"
    assert data.given_names == "ANNA MARIA"
    assert data.document_number == "L898902C3"
    assert data.issuing_state == data.nationality == "UTO"
    assert data.date_of_birth == dt.date(1974, 8, 12)
    assert data.expiry_date == dt.date(2012, 4, 15)
    assert data.sex == "F"
    assert data.personal_number == "ZE184226B"


def test_a_generated_us_passport():
    zone = str(TD3CodeGenerator("P", "USA", "Rivera", "Alex Jordan", "A12345678", "USA", "880315", "F", "310812", ""))
    data = parse_td3(zone, today=TODAY)
    assert data.date_of_birth == dt.date(1988, 3, 15)
    assert data.expiry_date == dt.date(2031, 8, 12)


@pytest.mark.parametrize(
    ("zone", "code"),
    [
        (SPECIMEN.replace("L898902C3", "L898902C4"), "IDV-DOC-004"),  # a document-number digit changed
        (SPECIMEN.replace("7408122", "7408132"), "IDV-DOC-004"),  # the birth date changed
        (SPECIMEN.split("\n")[0], "IDV-DOC-003"),
        ("I<UTO" + SPECIMEN[5:], "IDV-DOC-003"),  # not a passport
        ("hello", "IDV-DOC-003"),
    ],
)
def test_untrustworthy_zones_are_refused(zone: str, code: str):
    with pytest.raises(MrzError) as error:
        parse_td3(zone, today=TODAY)
    assert error.value.code == code


@pytest.mark.parametrize(
    "photo", [{}, {"angle": 4, "blur": 1.0, "jpeg": 70}, {"angle": -9, "jpeg": 80}, {"angle": 180}], ids=str
)
def test_the_zone_is_read_from_a_photo_of_the_data_page(photo):
    data = read_passport_page(passport_page_photo(passport_zone(), **photo), today=TODAY)
    assert (data.document_number, data.date_of_birth, data.expiry_date) == (
        "A12345678",
        dt.date(1988, 3, 15),
        dt.date(2031, 8, 12),
    )
    assert data.family_name == "RIVERA"
    assert names_agree(data.given_names, "Alex Jordan")


def test_a_page_without_a_zone_and_a_zone_with_a_wrong_check_digit():
    with pytest.raises(MrzError) as error:
        read_passport_page(card_back_photo("not a passport"), today=TODAY)
    assert error.value.code == "IDV-DOC-003"
    tampered = passport_zone().replace("A123456784", "A123456794")
    with pytest.raises(MrzError) as error:
        read_passport_page(passport_page_photo(tampered), today=TODAY)
    assert error.value.code == "IDV-DOC-004"


@pytest.mark.parametrize(
    ("read", "given", "agree"),
    [
        ("ALEX JORDAN", "Alex Jordan", True),
        ("ALEX JORDANK", "alex jordan", True),
        ("ALEX JORDAN KKS", "Alex Jordan", True),
        ("ALEX", "Alex Jordan", False),
        ("ALEX JORDANA", "Alex Jordan", False),
        ("SAM JORDAN", "Alex Jordan", False),
    ],
)
def test_names_read_from_a_zone_allow_for_misread_filler(read, given, agree):
    assert names_agree(read, given) is agree
