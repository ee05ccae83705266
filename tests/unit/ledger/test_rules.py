"""The dated rule files: they load, every value has a source, and a bad edit is refused on load."""

from __future__ import annotations

import datetime as dt
import importlib.resources
from decimal import Decimal

import pytest

from taxgov.ledger import rules
from taxgov.ledger.rules import AGENCIES, DatedValue, RuleBook, RuleDataError, RuleNotInForceError, rulebook

FEDERAL = rulebook("federal")
STATE = rulebook("state")


def entry(start: dt.date, value: object = 1, source: str = "Somewhere 1(a)") -> dict[str, object]:
    return {"from": start, "value": value, "source": source}


def minimal_rules(agency: str = "federal", **extra: object) -> dict[str, object]:
    """The least a rule book needs: its agency and the interest points."""
    start = dt.date(2000, 1, 1)
    raw: dict[str, object] = {
        "agency": agency,
        "interest": {"underpayment_points": [entry(start, 3)], "overpayment_points": [entry(start, 2)]},
    }
    raw.update(extra)
    return raw


@pytest.mark.parametrize("agency", AGENCIES)
def test_rule_files_load(agency):
    book = rulebook(agency)
    assert book.agency == agency
    assert book.has("failure_to_pay.rate_per_month")
    assert book.has("failure_to_file.rate_per_month")
    assert book.has("dishonored_payment.threshold")
    assert book.setting("interest.compounding") == "daily"


@pytest.mark.parametrize("agency", AGENCIES)
def test_every_dated_value_has_a_source(agency):
    table = rulebook(agency).sources()
    assert "short_term_rate" in table
    assert "failure_to_pay.rate_per_month" in table
    for name, entries in table.items():
        assert entries, name
        for start, value, source in entries:
            assert isinstance(start, dt.date), name
            assert value is not None, name
            assert isinstance(source, str), name
            assert source.strip(), f"{name} from {start} has no source"


@pytest.mark.parametrize("agency", AGENCIES)
def test_due_date_postponements_have_sources(agency):
    for postponement in rulebook(agency).setting("due_dates.postponed"):
        assert postponement["source"].strip()


@pytest.mark.parametrize("agency", AGENCIES)
def test_numbers_in_the_rules_are_decimals_not_floats(agency):
    for name, entries in rulebook(agency).sources().items():
        for _start, value, _source in entries:
            assert not isinstance(value, float), name
            if not isinstance(value, str):
                assert isinstance(value, Decimal), name


def test_short_term_rates_start_on_quarter_days_in_order():
    starts = [start for start, _value, _source in FEDERAL.sources()["short_term_rate"]]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)
    assert all(start.day == 1 and start.month in (1, 4, 7, 10) for start in starts)


@pytest.mark.parametrize(
    ("agency", "kind", "day", "rate"),
    [
        # FST 4% for 2023 Q1-Q3, 5% for 2023 Q4-2024 Q4, 4% from 2025 Q1 (short_term_rates.toml).
        ("federal", "underpayment", dt.date(2023, 6, 30), "0.07"),  # + 3, IRC 6621(a)(2)
        ("federal", "underpayment", dt.date(2023, 10, 1), "0.08"),
        ("federal", "underpayment", dt.date(2024, 12, 31), "0.08"),
        ("federal", "underpayment", dt.date(2025, 1, 1), "0.07"),
        ("federal", "overpayment", dt.date(2023, 10, 1), "0.08"),  # + 3 for individuals, 6621(a)(1)
        ("state", "underpayment", dt.date(2023, 6, 30), "0.08"),  # + 4, c. 62C §32
        ("state", "underpayment", dt.date(2023, 10, 1), "0.09"),
        ("state", "overpayment", dt.date(2023, 6, 30), "0.06"),  # + 2, c. 62C §40
        ("state", "overpayment", dt.date(2023, 10, 1), "0.07"),
    ],
)
def test_rate_for(agency, kind, day, rate):
    assert rulebook(agency).rate_for(kind, day) == Decimal(rate)


def test_rate_changes_between_lists_quarter_starts_inside_the_span():
    changes = FEDERAL.rate_changes_between(dt.date(2023, 4, 18), dt.date(2025, 2, 1))
    assert dt.date(2023, 10, 1) in changes
    assert dt.date(2025, 1, 1) in changes
    assert all(dt.date(2023, 4, 18) < day <= dt.date(2025, 2, 1) for day in changes)
    assert FEDERAL.rate_changes_between(dt.date(2023, 10, 1), dt.date(2023, 12, 31)) == []


def test_a_value_is_in_force_from_its_first_day():
    # IRC 6657 as amended: the $1,250 threshold applies from 2010-05-25.
    assert FEDERAL.value("dishonored_payment.threshold", dt.date(2010, 5, 25)) == Decimal(1250)
    assert FEDERAL.value("failure_to_file.minimum", dt.date(2023, 12, 31)) == Decimal(450)
    assert FEDERAL.value("failure_to_file.minimum", dt.date(2024, 1, 1)) == Decimal(485)
    assert STATE.value("dishonored_payment.threshold", dt.date(2024, 1, 1)) == Decimal(1500)


@pytest.mark.parametrize(
    ("lookup"),
    [
        lambda: FEDERAL.value("dishonored_payment.threshold", dt.date(2010, 5, 24)),
        lambda: FEDERAL.value("failure_to_file.minimum", dt.date(2015, 12, 31)),
        lambda: FEDERAL.rate_for("underpayment", dt.date(2015, 12, 31)),
        lambda: STATE.value("failure_to_pay.rate_per_month", dt.date(2003, 6, 30)),
        lambda: STATE.rate_for("overpayment", dt.date(2003, 6, 30)),
    ],
)
def test_lookups_before_the_first_entry_raise(lookup):
    with pytest.raises(RuleNotInForceError, match="no value before"):
        lookup()


def test_asking_for_a_rule_that_does_not_exist_is_a_data_error():
    with pytest.raises(RuleDataError, match="no_such_rule"):
        FEDERAL.value("failure_to_pay.no_such_rule", dt.date(2023, 1, 1))


def test_unknown_agency_is_refused():
    with pytest.raises(RuleDataError, match="Unknown agency"):
        rulebook("county")


def test_dated_value_picks_the_latest_entry_in_force():
    dated = DatedValue.parse("x", [entry(dt.date(2020, 1, 1), 1), entry(dt.date(2021, 1, 1), 2)])
    assert dated.at(dt.date(2020, 12, 31)) == Decimal(1)
    assert dated.at(dt.date(2021, 1, 1)) == Decimal(2)
    assert dated.at(dt.date(2030, 1, 1)) == Decimal(2)
    assert dated.changes_between(dt.date(2020, 1, 1), dt.date(2021, 1, 1)) == [dt.date(2021, 1, 1)]
    with pytest.raises(RuleNotInForceError):
        dated.at(dt.date(2019, 12, 31))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "non-empty list"),
        ({"from": dt.date(2020, 1, 1), "value": 1, "source": "s"}, "non-empty list"),
        ([entry(dt.date(2021, 1, 1)), entry(dt.date(2020, 1, 1))], "date order"),
        ([entry(dt.date(2020, 1, 1)), entry(dt.date(2020, 1, 1))], "date order"),
        ([{"from": dt.date(2020, 1, 1), "value": 1}], "exactly `from`, `value` and `source`"),
        ([{**entry(dt.date(2020, 1, 1)), "note": "extra"}], "exactly `from`, `value` and `source`"),
        ([entry(dt.date(2020, 1, 1), source="")], "needs its source"),
        ([entry(dt.date(2020, 1, 1), source="   ")], "needs its source"),
        ([entry(dt.date(2020, 1, 1), source=None)], "needs its source"),  # type: ignore[arg-type]
        ([entry("2020-01-01")], "must be a date"),  # type: ignore[arg-type]
        ([entry(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))], "must be a date"),
        (["2020-01-01"], "exactly `from`, `value` and `source`"),
    ],
)
def test_malformed_dated_values_are_refused(raw, message):
    with pytest.raises(RuleDataError, match=message):
        DatedValue.parse("failure_to_pay.rate_per_month", raw)


def test_a_rule_book_refuses_a_malformed_entry_anywhere_in_it():
    bad = minimal_rules(failure_to_pay={"rate_per_month": [entry(dt.date(2020, 1, 1), Decimal("0.005"), source="")]})
    with pytest.raises(RuleDataError, match=r"federal\.failure_to_pay\.rate_per_month: every value needs its source"):
        RuleBook("federal", bad, rules.short_term_rates())


def test_a_rule_book_must_name_its_agency():
    with pytest.raises(RuleDataError, match="must say agency"):
        RuleBook("federal", minimal_rules(agency="state"), rules.short_term_rates())
    book = RuleBook("state", minimal_rules(agency="state"), rules.short_term_rates())
    assert book.rate_for("underpayment", dt.date(2023, 6, 30)) == Decimal("0.07")  # FST 4 + 3 points given here


def test_a_short_term_rate_that_does_not_start_a_quarter_is_refused(monkeypatch):
    good = [entry(dt.date(2023, 1, 1), 4), entry(dt.date(2023, 4, 1), 4)]
    bad = [entry(dt.date(2023, 1, 1), 4), entry(dt.date(2023, 5, 1), 5)]
    monkeypatch.setattr(rules, "_read", lambda filename: {"quarter": good})
    assert rules.short_term_rates.__wrapped__().at(dt.date(2023, 6, 1)) == Decimal(4)
    monkeypatch.setattr(rules, "_read", lambda filename: {"quarter": bad})
    with pytest.raises(RuleDataError, match="2023-05-01 is not the first day of a quarter"):
        rules.short_term_rates.__wrapped__()
    monkeypatch.setattr(rules, "_read", lambda filename: {"quarter": [entry(dt.date(2023, 1, 2), 4)]})
    with pytest.raises(RuleDataError, match="not the first day of a quarter"):
        rules.short_term_rates.__wrapped__()


def test_a_file_that_is_not_toml_is_a_data_error(monkeypatch):
    class Files:
        def joinpath(self, filename):
            return self

        def read_text(self, encoding):
            return 'agency = "federal"\n[interest\n'

    monkeypatch.setattr(importlib.resources, "files", lambda package: Files())
    with pytest.raises(RuleDataError, match=r"federal\.toml"):
        rules._read("federal.toml")
