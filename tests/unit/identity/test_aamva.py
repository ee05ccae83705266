"""The AAMVA card-data parser against the standard's layout: every data element, the
header's offsets (and cards whose offsets are wrong), versions, countries and bad data."""

from __future__ import annotations

import datetime as dt

import pytest

from taxgov.identity.verification.documents.aamva import ELEMENTS, AamvaError, Kind, parse
from tests.support.documents import SAMPLE_ELEMENTS as SAMPLE
from tests.support.documents import card_file


def test_every_element_of_the_standard_is_read():
    card = parse(card_file(SAMPLE))
    assert card.issuer_id == "636014"
    assert card.version == 10
    assert card.document_type == "DL"
    for element_id, value in SAMPLE.items():
        assert card.elements[ELEMENTS[element_id].name] == value, element_id
    assert card.family_name == "RIVERA"
    assert card.first_name == "ALEX"
    assert card.sex == "F"
    assert card.date("date_of_birth") == dt.date(1988, 3, 15)
    assert card.expired_on == dt.date(2030, 8, 12)
    assert card.jurisdiction_subfiles == {"ZC": "ZCAVALUE"}


def test_every_date_element_is_a_date():
    card = parse(card_file(SAMPLE))
    for element in ELEMENTS.values():
        if element.kind is Kind.DATE and element.name in card.elements:
            assert isinstance(card.date(element.name), dt.date), element.id


def test_canadian_cards_write_dates_year_first():
    card = parse(card_file({**SAMPLE, "DCG": "CAN", "DBB": "19880315", "DBA": "20300812", "DBD": "20220812"}))
    assert card.date("date_of_birth") == dt.date(1988, 3, 15)


def test_cards_whose_offsets_are_wrong_are_still_read():
    card = parse(card_file(SAMPLE, wrong_offsets=True))
    assert card.text("customer_id") == "S12345678"
    assert card.jurisdiction_subfiles["ZC"] == "ZCAVALUE"


def test_an_id_card_needs_no_vehicle_class():
    without = {key: value for key, value in SAMPLE.items() if key not in ("DCA", "DCB", "DCD")}
    assert parse(card_file(without, kind="ID")).document_type == "ID"


def test_version_one_names_and_header():
    old = {key: value for key, value in SAMPLE.items() if key not in ("DCS", "DAC", "DAD", "DDE", "DDF", "DDG")}
    card = parse(card_file({**old, "DAA": "RIVERA,ALEX,JORDAN"}, version=1))
    assert card.version == 1
    assert card.family_name == "RIVERA"
    assert card.first_name == "ALEX"


def test_bytes_as_read_from_the_barcode():
    assert parse(card_file(SAMPLE).encode("latin-1")).text("city") == "WORCESTER"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("hello world", "not an AAMVA"),
        ("@\n\x1e\rANSI 63601", "header"),
        (card_file({key: v for key, v in SAMPLE.items() if key != "DAQ"}), "DAQ"),
        (card_file({**SAMPLE, "DBB": "13451988"}), "does not exist"),
        (card_file({**SAMPLE, "DBB": "1988"}), "not 8 digits"),
        (card_file({**SAMPLE, "DDE": "Y"}), "T, N or U"),
        (card_file(SAMPLE).replace("DL0", "D!0", 1), "designator"),
    ],
)
def test_bad_data_is_refused_with_an_error_code(data: str, message: str):
    with pytest.raises(AamvaError, match=message) as error:
        parse(data)
    assert error.value.code.startswith("IDV-DOC-")
