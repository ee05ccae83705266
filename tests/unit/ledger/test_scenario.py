"""Scenario files: a valid one parses into a module; a wrong one fails with a message that says what and where."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from taxgov.ledger.engine import ScenarioError, payoff
from taxgov.ledger.rules import rulebook
from taxgov.ledger.scenario import load, parse

ISSUE: dict[str, Any] = {
    "agency": "federal",
    "due_date": "2023-04-18",
    "filed_date": "2023-04-18",
    "installment_agreement_from": None,
    "entries": [
        {"code": "150", "date": "2023-04-18", "amount": "10000.00"},
        {"code": "806", "date": "2023-04-18", "amount": "-2500.00"},
        {"code": "670", "date": "2023-09-01", "amount": "-1000.00"},
    ],
}


def scenario(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(ISSUE)
    data.update(changes)
    return data


def with_entry(**entry: Any) -> dict[str, Any]:
    """The issue's scenario with one more entry (position 3)."""
    data = scenario()
    data["entries"].append(entry)
    return data


def test_the_issue_scenario_parses():
    parsed = parse(scenario(levy_notice_date="2024-01-05", individual=False))
    module = parsed.module
    assert parsed.agency == "federal"
    assert module.due_date == module.filed_date == dt.date(2023, 4, 18)
    assert module.installment_agreement_from is None
    assert module.levy_notice_date == dt.date(2024, 1, 5)
    assert module.individual is False
    assert [(p.code, p.day, p.amount, p.key) for p in module.postings] == [
        ("150", dt.date(2023, 4, 18), Decimal("10000.00"), 0),
        ("806", dt.date(2023, 4, 18), Decimal("-2500.00"), 1),
        ("670", dt.date(2023, 9, 1), Decimal("-1000.00"), 2),
    ]


def test_whole_dollar_integers_and_action_codes_are_accepted():
    data = with_entry(code="971", date="2023-06-19", action_code="063")
    data["entries"][0]["amount"] = 10000
    module = parse(data).module
    assert module.postings[0].amount == Decimal(10000)
    assert module.postings[3].action_code == "063"
    assert module.postings[3].amount == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "A scenario is a JSON object"),
        (scenario(colour="blue", notes="x"), "Unknown scenario keys: colour, notes"),
        (scenario(agency="county"), "agency: expected one of federal, state"),
        (scenario(agency=None), "agency: expected one of"),
        (scenario(entries={}), "entries: expected a list"),
        (scenario(individual="yes"), "individual: expected true or false"),
        (with_entry(code="670", date="2023-09-02", amount="-1.00", memo="x"), r"entries\[3\]: unknown keys memo"),
        (with_entry(code=670, date="2023-09-02", amount="-1.00"), r"entries\[3\]\.code: expected a 3-digit code"),
        (scenario(entries=["150"]), r"entries\[0\]: expected an object"),
    ],
)
def test_malformed_scenarios_say_what_is_wrong(data, message):
    with pytest.raises(ScenarioError, match=message):
        parse(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (scenario(due_date="2023-02-30"), r"due_date: '2023-02-30' is not a date \(YYYY-MM-DD\)"),
        (scenario(due_date="04/18/2023"), r"due_date: '04/18/2023' is not a date"),
        (scenario(due_date=20230418), r"due_date: expected a date as YYYY-MM-DD"),
        (scenario(due_date=None), r"due_date: expected a date"),
        (scenario(filed_date="2023-13-01"), r"filed_date: '2023-13-01' is not a date"),
        (scenario(installment_agreement_from="soon"), r"installment_agreement_from: 'soon' is not a date"),
        (scenario(levy_notice_date=""), r"levy_notice_date: '' is not a date"),
        (with_entry(code="670", date="2023-9-1", amount="-1.00"), r"entries\[3\]\.date: '2023-9-1' is not a date"),
        (with_entry(code="670", amount="-1.00"), r"entries\[3\]\.date: expected a date"),
    ],
)
def test_bad_dates_are_named(data, message):
    with pytest.raises(ScenarioError, match=message):
        parse(data)


@pytest.mark.parametrize("amount", [-2500.5, -2500.0, 1e3, True, None, ["-1.00"]])
def test_amounts_must_be_strings_or_whole_numbers(amount):
    with pytest.raises(ScenarioError, match=r'entries\[3\]\.amount: give amounts as strings such as "-2500.00"'):
        parse(with_entry(code="670", date="2023-09-02", amount=amount))


@pytest.mark.parametrize("amount", ["abc", "", "1,000.00", "$5", "NaN", "-Infinity", "sNaN"])
def test_invalid_amounts_are_refused(amount):
    with pytest.raises(ScenarioError, match=r"entries\[3\]\.amount: .* is not an amount"):
        parse(with_entry(code="670", date="2023-09-02", amount=amount))


@pytest.mark.parametrize("amount", ["-10.005", "0.001", "-0.5000001"])
def test_amounts_below_a_cent_are_refused(amount):
    code = "150" if not amount.startswith("-") else "670"
    with pytest.raises(ScenarioError, match=rf"TC {code}: amounts are whole cents"):
        parse(with_entry(code=code, date="2023-09-02", amount=amount))


def test_trailing_zeros_below_a_cent_are_whole_cents():
    module = parse(with_entry(code="670", date="2023-09-02", amount="-10.000")).module
    assert module.postings[3].amount == Decimal("-10.00")


@pytest.mark.parametrize(
    ("code", "amount", "message"),
    [
        ("670", "1000.00", r"TC 670 \(Payment\) takes a negative amount \(a credit\), not 1000\.00"),
        ("670", "0", r"TC 670 \(Payment\) takes a negative amount"),
        ("806", "2500.00", r"TC 806 .* takes a negative amount"),
        ("671", "-1000.00", r"TC 671 \(Payment reversed\) takes a positive amount \(a debit\), not -1000\.00"),
        ("846", "-100.00", r"TC 846 \(Refund issued\) takes a positive amount"),
        ("276", "-5.00", r"TC 276 .* takes a positive amount"),
        ("150", "-1.00", r"TC 150 .* takes zero or a positive amount, not -1\.00"),
        ("460", "10.00", r"TC 460 \(Extension of time to file\) takes no amount, not 10\.00"),
    ],
)
def test_amounts_with_the_wrong_sign_for_their_code_are_refused(code, amount, message):
    with pytest.raises(ScenarioError, match=message):
        parse(with_entry(code=code, date="2023-09-02", amount=amount))


@pytest.mark.parametrize("code", ["999", "67", "0670", ""])
def test_unknown_codes_are_refused(code):
    with pytest.raises(ScenarioError, match=rf"Unknown transaction code '{code}'"):
        parse(with_entry(code=code, date="2023-09-02", amount="-1.00"))


@pytest.mark.parametrize("reverses", [4, 40, -1, "2", 2.0, [2]])
def test_reverses_must_be_the_position_of_an_entry(reverses):
    data = with_entry(code="671", date="2023-09-05", amount="1000.00", reverses=reverses)
    with pytest.raises(ScenarioError, match=r"entries\[3\]\.reverses: expected the position of another entry"):
        parse(data)


def test_a_reversal_with_nothing_to_reverse_is_refused_when_computed():
    """The parser checks each entry alone; pairing a reversal with its payment happens in the engine."""
    data = with_entry(code="671", date="2023-09-05", amount="500.00")
    parsed = parse(data)
    with pytest.raises(ScenarioError, match=r"TC 671 on 2023-09-05 reverses a TC 670 of -500\.00 that is not there"):
        payoff(rulebook(parsed.agency), parsed.module, dt.date(2023, 10, 1))


def test_a_reversal_dated_before_its_payment_has_nothing_to_reverse():
    data = with_entry(code="671", date="2023-08-31", amount="1000.00")
    parsed = parse(data)
    with pytest.raises(ScenarioError, match="that is not there"):
        payoff(rulebook(parsed.agency), parsed.module, dt.date(2023, 10, 1))


def test_a_reversal_must_name_an_entry_of_its_code_and_amount():
    parsed = parse(with_entry(code="671", date="2023-09-05", amount="1000.00", reverses=1))  # the TC 806
    with pytest.raises(ScenarioError, match="TC 671 must reverse a TC 670 of the same amount"):
        payoff(rulebook(parsed.agency), parsed.module, dt.date(2023, 10, 1))


def test_a_reversal_that_names_its_payment_cancels_it():
    parsed = parse(with_entry(code="671", date="2023-09-05", amount="1000.00", reverses=2))
    without = parse(scenario(entries=ISSUE["entries"][:2]))
    as_of = dt.date(2023, 10, 1)
    assert payoff(rulebook("federal"), parsed.module, as_of) == payoff(rulebook("federal"), without.module, as_of)


def test_load_reads_a_file(tmp_path):
    path = tmp_path / "issue.json"
    path.write_text(json.dumps(ISSUE), encoding="utf-8")
    assert load(str(path)) == parse(ISSUE)


def test_load_explains_a_missing_file_or_bad_json(tmp_path):
    with pytest.raises(ScenarioError, match=r"Cannot read .*missing\.json: No such file or directory"):
        load(str(tmp_path / "missing.json"))
    broken = tmp_path / "broken.json"
    broken.write_text('{"agency": "federal",', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken\.json is not valid JSON"):
        load(str(broken))


def test_payoff_command_prints_the_issue_scenario_to_the_cent(tmp_path):
    """The issue's scenario as of 2023-05-18: 7500 * ((1 + .07/365)^30 - 1) = 43.27 interest, 37.50 failure to pay."""
    path = tmp_path / "issue.json"
    path.write_text(json.dumps(ISSUE), encoding="utf-8")
    out = StringIO()
    call_command("payoff", "--scenario", str(path), "--as-of", "2023-05-18", stdout=out)
    assert json.loads(out.getvalue()) == {
        "tax": "7500.00",
        "penalties": "37.50",
        "interest": "43.27",
        "total": "7580.77",
    }


def test_payoff_command_reports_scenario_errors(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(with_entry(code="670", date="2023-09-02", amount="5.00")), encoding="utf-8")
    with pytest.raises(CommandError, match=r"TC 670 \(Payment\) takes a negative amount"):
        call_command("payoff", "--scenario", str(path), "--as-of", "2023-10-01", stdout=StringIO())
