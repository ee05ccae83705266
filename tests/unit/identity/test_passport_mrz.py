"""Passport machine-readable zones (ICAO 9303 TD3): the specimen, check digits and dates."""

from __future__ import annotations

import datetime as dt

import pytest
from mrz.generator.td3 import TD3CodeGenerator

from taxgov.identity.verification.documents.passport import MrzError, parse_td3

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
