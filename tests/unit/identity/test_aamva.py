"""The AAMVA card-data parser against the standard's layout: every data element, the
header's offsets (and cards whose offsets are wrong), versions, countries and bad data."""

from __future__ import annotations

import datetime as dt

import pytest

from taxgov.identity.verification.documents.aamva import ELEMENTS, AamvaError, Kind, parse

SAMPLE = {
    "DCA": "C", "DCB": "NONE", "DCD": "NONE", "DBA": "08122030", "DCS": "RIVERA", "DAC": "ALEX",
    "DAD": "JORDAN", "DBD": "08122022", "DBB": "03151988", "DBC": "2", "DAY": "BRO", "DAU": "066 in",
    "DAG": "12 ELM STREET", "DAI": "WORCESTER", "DAJ": "MA", "DAK": "016090000", "DAQ": "S12345678",
    "DCF": "20220812123456", "DCG": "USA", "DDE": "N", "DDF": "N", "DDG": "N", "DAH": "APT 4",
    "DAZ": "BLK", "DCI": "BOSTON MA", "DCJ": "AUDIT1", "DCK": "ICN0001", "DBN": "SMITH", "DBG": "AL",
    "DBS": "JR", "DCU": "III", "DCE": "4", "DCL": "W", "DCM": "D", "DCN": "NONE", "DCO": "NONE",
    "DCP": "PASSENGER", "DCQ": "NONE", "DCR": "NONE", "DDA": "F", "DDB": "01012020", "DDC": "01012031",
    "DDD": "0", "DAW": "150", "DAX": "068", "DDH": "03152006", "DDI": "03152007", "DDJ": "03152009",
    "DDK": "1", "DDL": "1",
}  # fmt: skip


def card_file(
    elements: dict[str, str],
    *,
    kind: str = "DL",
    version: int = 10,
    jurisdiction: str = "ZCAVALUE\n",
    wrong_offsets: bool = False,
) -> str:
    """A card file as the standard lays it out, with the header's offsets and lengths."""
    body = kind + "\n".join(f"{key}{value}" for key, value in elements.items()) + "\r"
    subfiles = [(kind, body)] + ([("ZC", "ZC" + jurisdiction + "\r")] if jurisdiction else [])
    header_fields = f"636014{version:02d}" + ("" if version == 1 else "00") + f"{len(subfiles):02d}"
    header = "@\n\x1e\rANSI " + header_fields
    offset = len(header) + 10 * len(subfiles)
    designators = ""
    for subfile_kind, subfile in subfiles:
        start = offset + (7 if wrong_offsets else 0)
        designators += f"{subfile_kind}{start:04d}{len(subfile):04d}"
        offset += len(subfile)
    return header + designators + "".join(subfile for _kind, subfile in subfiles)


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
