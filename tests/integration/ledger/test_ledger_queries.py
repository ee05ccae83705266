"""Reads of stored accounts: payoff per period and in total, payment application, transcripts,
and the payoff command on scenario files and on stored taxpayers."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from taxgov.ledger import actions, queries
from taxgov.ledger.actions import NewAddress
from taxgov.ledger.checks import current_quarter_has_a_rate
from taxgov.ledger.models import AccountType, NoticeKind, Taxpayer, TaxPeriod

pytestmark = pytest.mark.django_db
SCENARIO = {
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


def taxpayer_with_years(*years: int, owed: Decimal = Decimal("1000.00")) -> Taxpayer:
    """A taxpayer who filed on time each year and left ``owed`` unpaid each year."""
    taxpayer = actions.do_register_taxpayer(
        kind="individual",
        tin_type="ssn",
        tin="900-01-0002",
        first_name="Pat",
        last_name="Kim",
        address=NewAddress("1 Main St", "Lowell", "MA", "01852", valid_from=dt.date(2018, 1, 1)),
        registered_on=dt.date(2019, 1, 1),
    )
    account = actions.do_open_account(taxpayer, AccountType.INDIVIDUAL_INCOME, opened_on=dt.date(2019, 1, 1))
    for year in years:
        due = dt.date(year + 1, 4, 15)
        period = actions.do_open_period(account, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), due_date=due)
        actions.do_record_return(
            period,
            form="1040",
            filed_on=due,
            total_tax=Decimal("5000.00"),
            income_tax_after_credits=Decimal("5000.00"),
            total_payments=Decimal("5000.00") - owed,
        )
        actions.do_post_transaction(
            period, code="806", amount=owed - Decimal("5000.00"), effective_date=due, idempotency_key=f"w{year}"
        )
    return taxpayer


def write_scenario(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data))
    return str(path)


def run(*args: str) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("payoff", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_payoff_command_prints_the_breakdown_of_a_scenario(tmp_path):
    result = run("--scenario", write_scenario(tmp_path, SCENARIO), "--as-of", "2023-04-19")
    # One day of 7% on $7,500: 7500 * 0.07 / 365 = 1.44; one month of failure to pay: 0.5% * 7500 = 37.50.
    assert result == {"tax": "7500.00", "penalties": "37.50", "interest": "1.44", "total": "7538.94"}


def test_the_payoff_command_explains_a_bad_scenario(tmp_path):
    bad = {**SCENARIO, "entries": [{"code": "670", "date": "2023-09-01", "amount": "1000.00"}]}
    with pytest.raises(CommandError, match="negative amount"):
        run("--scenario", write_scenario(tmp_path, bad), "--as-of", "2023-10-01")
    with pytest.raises(CommandError, match="not a date"):
        run("--scenario", write_scenario(tmp_path, SCENARIO), "--as-of", "yesterday")
    with pytest.raises(CommandError, match="Cannot read"):
        run("--scenario", str(tmp_path / "missing.json"), "--as-of", "2023-10-01")


def test_stored_data_gives_the_same_answer_as_the_same_scenario(tmp_path):
    taxpayer = taxpayer_with_years(2022)
    period = TaxPeriod.objects.get()
    assert period.due_date == dt.date(2023, 4, 15)
    scenario = {
        **SCENARIO,
        "due_date": "2023-04-15",
        "filed_date": "2023-04-15",
        "entries": [
            {"code": "150", "date": "2023-04-15", "amount": "5000.00"},
            {"code": "806", "date": "2023-04-15", "amount": "-4000.00"},
        ],
    }
    for day in ("2023-04-15", "2023-06-01", "2025-01-31"):
        stored = run("--taxpayer", str(taxpayer.public_id), "--as-of", day)
        assert stored == run("--scenario", write_scenario(tmp_path, scenario), "--as-of", day)
    assert run("--taxpayer", "900-01-0002", "--as-of", "2025-01-31") == stored  # by TIN, for support staff
    with pytest.raises(CommandError, match="No taxpayer"):
        run("--taxpayer", "900-99-0000", "--as-of", "2023-06-01")


def test_payoff_detail_names_what_accrued_since_the_last_posting_and_each_period():
    taxpayer = taxpayer_with_years(2021, 2022)
    detail = run("--taxpayer", str(taxpayer.pk), "--as-of", "2024-01-02", "--detail")
    assert detail["good_through"] == "2024-01-02"
    assert [p["period"] for p in detail["periods"]] == ["2021", "2022"]
    assert Decimal(detail["accrued_since_last_posting"]["interest"]) == Decimal(detail["interest"]) > 0
    assert Decimal(detail["total"]) == sum(Decimal(p["total"]) for p in detail["periods"])


def test_taxpayer_payoff_reads_a_fixed_number_of_queries_whatever_the_history():
    taxpayer = taxpayer_with_years(2019, 2020, 2021, 2022, 2023)
    with CaptureQueriesContext(connection) as small:
        queries.taxpayer_payoff(taxpayer, dt.date(2025, 1, 1))
    period = TaxPeriod.objects.first()
    for n in range(40):
        actions.do_post_transaction(
            period, code="670", amount=Decimal("-1.00"), effective_date=dt.date(2022, 1, 1), idempotency_key=f"p{n}"
        )
    with CaptureQueriesContext(connection) as large:
        queries.taxpayer_payoff(taxpayer, dt.date(2025, 1, 1))
    assert len(large) == len(small) <= 5


def test_an_undesignated_payment_goes_to_the_oldest_period_first_tax_then_penalties_then_interest():
    taxpayer = taxpayer_with_years(2021, 2022)
    day = dt.date(2024, 1, 2)
    position = queries.taxpayer_payoff(taxpayer, day)
    (old, old_payoff), (new, _) = position.periods
    amount = old_payoff.display()["total"] + Decimal("10.00")
    first, second = queries.allocate_payment(taxpayer, amount, day)
    assert first.period == old
    assert (first.tax, first.penalties, first.interest) == tuple(
        old_payoff.display()[k] for k in ("tax", "penalties", "interest")
    )
    assert second.period == new
    assert second.tax == Decimal("10.00")
    assert second.penalties == second.interest == 0


def test_a_designated_payment_goes_to_its_period_and_any_excess_stays_there_as_credit():
    taxpayer = taxpayer_with_years(2021, 2022)
    day = dt.date(2024, 1, 2)
    newest = TaxPeriod.objects.order_by("end").last()
    (allocation,) = queries.allocate_payment(taxpayer, Decimal("99999.00"), day, designated=newest)
    assert allocation.period == newest
    assert allocation.credit > 0
    assert allocation.amount == Decimal("99999.00")


def test_a_levy_notice_raises_the_failure_to_pay_rate_on_stored_accounts():
    taxpayer = taxpayer_with_years(2022)
    period = TaxPeriod.objects.get()
    before = queries.period_payoff(period, dt.date(2024, 6, 1)).penalties
    actions.do_issue_notice(
        taxpayer, kind=NoticeKind.FINAL_INTENT_TO_LEVY, issued_on=dt.date(2023, 8, 1), period=period
    )
    assert queries.period_payoff(TaxPeriod.objects.get(), dt.date(2024, 6, 1)).penalties > before


def test_transcript_rows_show_codes_explanations_dates_and_cycles_in_order():
    taxpayer_with_years(2022)
    rows = queries.transcript_rows(TaxPeriod.objects.get().transactions.all())
    assert [(r.code, str(r.explanation), r.cycle) for r in rows] == [
        ("150", "Tax return filed and tax assessed", "20231506"),
        ("806", "Credit for withheld taxes", "20231506"),
    ]


@override_settings(TAXGOV_LEDGER_AGENCY="state")
def test_the_state_ledger_uses_the_state_rules():
    taxpayer_with_years(2022)
    state = queries.period_payoff(TaxPeriod.objects.get(), dt.date(2023, 5, 15))
    # 1% late pay on $1,000 for one month; 8% (FST 4 + 4) on the tax for 30 days and on the
    # penalty from the day it accrued (29 days): 1000 * (g^30 - 1) + 10 * (g^29 - 1) = 6.597 + 0.064,
    # where g = 1 + 0.08/365.
    assert state.display()["penalties"] == Decimal("10.00")
    assert state.display()["interest"] == Decimal("6.66")


def test_the_deployment_check_warns_when_the_current_quarter_has_no_rate(monkeypatch):
    from taxgov.ledger import checks

    monkeypatch.setattr(checks.timezone, "localdate", lambda: dt.date(2026, 5, 20))
    assert current_quarter_has_a_rate() == []
    monkeypatch.setattr(checks.timezone, "localdate", lambda: dt.date(2027, 1, 5))
    (warning,) = current_quarter_has_a_rate()
    assert warning.id == "taxgov.W101"
    assert "2027-01-01" in warning.msg
