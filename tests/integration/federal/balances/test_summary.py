"""The account home's summary: the payment plan read from its codes with small queries, and a
query count that stays the same however long the history (issue 9, ADR 0034)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taxgov.federal.balances import queries as balances
from taxgov.ledger import actions
from taxgov.ledger.models import AccountType, Taxpayer, TaxPeriod

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 3, 2)


def taxpayer_with_years(tin: str, *years: int) -> Taxpayer:
    """A person who filed on time each year and owes $1,000 on each."""
    taxpayer = actions.do_register_taxpayer(
        kind="individual",
        tin_type="ssn",
        tin=tin,
        first_name="Home",
        last_name="Test",
        address=actions.NewAddress("1 Main St", "Boston", "MA", "02110", valid_from=dt.date(2020, 1, 1)),
        registered_on=dt.date(2020, 1, 1),
        date_of_birth=dt.date(1970, 1, 1),
    )
    account = actions.do_open_account(taxpayer, AccountType.INDIVIDUAL_INCOME, opened_on=dt.date(2020, 1, 1))
    for year in years:
        period = actions.do_open_period(
            account, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), due_date=dt.date(year + 1, 4, 15)
        )
        actions.do_record_return(
            period,
            form="1040",
            filed_on=dt.date(year + 1, 4, 1),
            total_tax=Decimal("1000.00"),
            income_tax_after_credits=Decimal("1000.00"),
            total_payments=Decimal("0.00"),
        )
    return taxpayer


def year(taxpayer: Taxpayer, number: int) -> TaxPeriod:
    return TaxPeriod.objects.get(account__taxpayer=taxpayer, end__year=number)


def post(period: TaxPeriod, code: str, day: dt.date, amount: str = "0", action_code: str = "") -> None:
    actions.do_post_transaction(
        period,
        code=code,
        amount=Decimal(amount),
        effective_date=day,
        action_code=action_code,
        idempotency_key=f"{period.pk}-{code}-{action_code}-{day}-{amount}",
    )


@pytest.fixture
def planned() -> Taxpayer:
    """Two years under a plan established on 2025-06-20 (requested 2025-06-02 for 2024)."""
    taxpayer = taxpayer_with_years("001000011", 2023, 2024)
    older, newer = year(taxpayer, 2023), year(taxpayer, 2024)
    post(newer, "971", dt.date(2025, 6, 2), action_code="043")
    for period in (older, newer):
        post(period, "971", dt.date(2025, 6, 20), action_code="063")
    post(older, "670", dt.date(2025, 6, 1), "-300.00")  # before the plan
    post(older, "670", dt.date(2025, 7, 20), "-50.00")
    post(newer, "670", dt.date(2025, 8, 20), "-60.00")
    post(newer, "670", dt.date(2026, 4, 1), "-70.00")  # after the day asked about
    return taxpayer


def test_a_plan_and_its_last_payment_come_from_the_codes_on_or_before_the_day(planned):
    summary = balances.summary(planned, AS_OF)
    plan = summary.plan
    assert plan is not None
    assert (plan.status, plan.since) == (balances.PlanStatus.ESTABLISHED, dt.date(2025, 6, 20))
    assert [period.end.year for period in plan.periods] == [2023, 2024]
    assert plan.last_payment is not None
    assert (plan.last_payment.effective_date, plan.last_payment.amount) == (dt.date(2025, 8, 20), Decimal("-60.00"))
    owed = [year.amounts["total"] for account in summary.accounts for year in account.years]
    assert len(owed) == 2
    assert plan.balance == sum(owed)


def test_a_plan_requested_but_not_yet_established_on_the_day_is_pending(planned):
    plan = balances.summary(planned, dt.date(2025, 6, 10)).plan
    assert plan is not None
    assert (plan.status, plan.since, plan.last_payment) == (balances.PlanStatus.PENDING, dt.date(2025, 6, 2), None)
    assert [period.end.year for period in plan.periods] == [2024]


def test_an_ended_plan_names_the_day_it_ended_and_no_payment_after(planned):
    for period in (year(planned, 2023), year(planned, 2024)):
        post(period, "971", dt.date(2025, 7, 1) if period.end.year == 2023 else dt.date(2025, 9, 1), action_code="064")
    plan = balances.summary(planned, AS_OF).plan
    assert plan is not None
    assert (plan.status, plan.since, plan.last_payment) == (balances.PlanStatus.ENDED, dt.date(2025, 9, 1), None)


def test_someone_who_never_had_a_plan_has_none():
    assert balances.summary(taxpayer_with_years("001000012", 2024), AS_OF).plan is None


def home_queries(taxpayer: Taxpayer, capture) -> tuple[int, int]:
    """The summary's queries on a miss of the payoff cache, then on a hit."""
    with capture(execute=True), CaptureQueriesContext(connection) as missed:
        balances.summary(taxpayer, AS_OF)
    with CaptureQueriesContext(connection) as hit:
        balances.summary(taxpayer, AS_OF)
    return len(missed), len(hit)


def many_payments(taxpayer: Taxpayer, per_year: int) -> None:
    for period in TaxPeriod.objects.filter(account__taxpayer=taxpayer):
        for day in range(per_year):
            post(period, "670", period.due_date + dt.timedelta(days=day + 1), "-1.00")


@pytest.mark.parametrize("with_plan", [False, True], ids=["no plan", "a plan"])
def test_the_summary_reads_the_same_queries_for_one_transaction_or_many(django_capture_on_commit_callbacks, with_plan):
    small = taxpayer_with_years("001000013", 2024)
    large = taxpayer_with_years("001000014", 2019, 2020, 2021, 2022, 2023, 2024)
    many_payments(large, 40)
    if with_plan:
        for taxpayer in (small, large):
            post(year(taxpayer, 2024), "971", dt.date(2025, 6, 20), action_code="063")
    counts = [home_queries(taxpayer, django_capture_on_commit_callbacks) for taxpayer in (small, large)]
    assert counts[0] == counts[1]
    missed, hit = counts[0]
    assert missed == hit + 1  # the postings of the periods missed, in one query
    assert hit == (7 if with_plan else 6)
