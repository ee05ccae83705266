"""The payoff cache: the same payoff, computed once a day per module, and never stale.

A stored period's payoff is kept under its facts and the mark of its postings (ADR 0034, "Keys
without the postings"): each test below changes one thing the payoff depends on and checks
that the engine runs again. Stores wait for the commit, so each test that expects a hit
reads inside ``django_capture_on_commit_callbacks(execute=True)`` first.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from taxgov.ledger import actions, engine, queries
from taxgov.ledger.models import AccountType, NoticeKind, ReturnKind, TaxAccount, TaxPeriod, TaxReturn

AS_OF = dt.date(2026, 11, 21)


def open_period(tin: str, *, year: int = 2024) -> TaxPeriod:
    taxpayer = actions.do_register_taxpayer(
        kind="individual",
        tin_type="ssn",
        tin=tin,
        first_name="Cache",
        last_name="Test",
        address=actions.NewAddress("1 Main St", "Boston", "MA", "02110", valid_from=dt.date(2020, 1, 1)),
        registered_on=dt.date(2020, 1, 1),
        date_of_birth=dt.date(1970, 1, 1),
    )
    account = actions.do_open_account(taxpayer, AccountType.INDIVIDUAL_INCOME, opened_on=dt.date(2020, 1, 1))
    return actions.do_open_period(
        account, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), due_date=dt.date(year + 1, 4, 15)
    )


@pytest.fixture
def period(db):
    cache.clear()
    found = open_period("001000001")
    actions.do_record_return(
        found,
        form="1040",
        filed_on=dt.date(2025, 4, 15),
        total_tax=Decimal("1000.00"),
        income_tax_after_credits=Decimal("1000.00"),
        total_payments=Decimal("0.00"),
    )
    return found


@pytest.fixture
def engine_runs():
    with mock.patch.object(engine, "payoff", wraps=engine.payoff) as computed:
        yield computed


def amounts(period: TaxPeriod, as_of: dt.date = AS_OF, *, load_postings: bool = False) -> engine.Payoff:
    """The period's payoff as the account home reads it (postings unread unless missed)."""
    position = queries.taxpayer_payoff(period.account.taxpayer, as_of, load_postings=load_postings)
    ((_period, payoff),) = position.periods
    return payoff


def fresh(period: TaxPeriod, as_of: dt.date = AS_OF) -> engine.Payoff:
    """What the engine says now, from every row read again."""
    reread = queries.periods_with_history(period.account.taxpayer)[0]
    return engine.payoff(queries.current_rules(), queries.module_of(reread), as_of)


def post(period: TaxPeriod, key: str, amount: str = "-100.00", code: str = "670") -> None:
    actions.do_post_transaction(period, code=code, amount=Decimal(amount), effective_date=AS_OF, idempotency_key=key)


def test_a_payoff_is_computed_once_per_day_and_a_new_posting_is_seen_at_once(
    period, engine_runs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = amounts(period)
    assert amounts(period) == first
    assert engine_runs.call_count == 1
    amounts(period, AS_OF + dt.timedelta(days=1))
    assert engine_runs.call_count == 2  # another day, another key
    post(period, "c2")
    paid = amounts(period)
    assert engine_runs.call_count == 3
    assert paid.total == first.total - Decimal("100.00") == fresh(period).total


def test_pages_that_load_the_postings_share_the_cached_payoffs(period, engine_runs, django_capture_on_commit_callbacks):
    """The mark counted in the database and the one taken from loaded postings are the same."""
    with django_capture_on_commit_callbacks(execute=True):
        loaded = amounts(period, load_postings=True)
    assert amounts(period) == loaded == queries.period_payoff(TaxPeriod.objects.get(), AS_OF)
    assert engine_runs.call_count == 1


def test_a_period_without_postings_is_cached_too(period, engine_runs, django_capture_on_commit_callbacks):
    empty = actions.do_open_period(
        period.account, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), due_date=dt.date(2024, 4, 15)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert queries.period_payoff(empty, AS_OF) == engine.zero_payoff(AS_OF)
    position = queries.taxpayer_payoff(period.account.taxpayer, AS_OF, load_postings=False)
    assert position.periods[0] == (empty, engine.zero_payoff(AS_OF))
    assert engine_runs.call_count == 2  # the empty period's payoff was cached; the other period's was not


def test_the_cached_payoff_is_the_engines(period, django_capture_on_commit_callbacks):
    module = queries.module_of(queries.periods_with_history(period.account.taxpayer)[0])
    rules = queries.current_rules()
    assert queries.payoffs(rules, [module], AS_OF) == [engine.payoff(rules, module, AS_OF)]
    assert queries.payoffs(rules, [module], AS_OF) == [engine.payoff(rules, module, AS_OF)]
    with django_capture_on_commit_callbacks(execute=True):
        assert amounts(period) == engine.payoff(rules, module, AS_OF)
    assert amounts(period) == engine.payoff(rules, module, AS_OF)


def move_the_due_date(period: TaxPeriod) -> None:
    TaxPeriod.objects.filter(pk=period.pk).update(due_date=dt.date(2025, 6, 16))


def correct_the_filing_date(period: TaxPeriod) -> None:
    TaxReturn.objects.filter(period=period).update(filed_on=dt.date(2025, 9, 1))


def remove_the_return_on_file(period: TaxPeriod) -> None:
    """The engine falls back on the TC 150's date: the key must name the return's absence."""
    TaxReturn.objects.filter(period=period).update(kind=ReturnKind.AMENDED)


def issue_a_levy_notice(period: TaxPeriod) -> None:
    actions.do_issue_notice(
        period.account.taxpayer, kind=NoticeKind.FINAL_INTENT_TO_LEVY, issued_on=dt.date(2025, 8, 1), period=period
    )


def change_the_account_type(period: TaxPeriod) -> None:
    TaxAccount.objects.filter(pk=period.account_id).update(account_type=AccountType.BUSINESS_INCOME)


FACTS: dict[str, Callable[[TaxPeriod], None]] = {
    "due date": move_the_due_date,
    "filing date": correct_the_filing_date,
    "return on file": remove_the_return_on_file,
    "levy notice": issue_a_levy_notice,
    "account type": change_the_account_type,
}


@pytest.mark.parametrize("change", FACTS.values(), ids=FACTS.keys())
def test_a_change_of_any_fact_besides_the_postings_is_seen_at_once(
    period, engine_runs, django_capture_on_commit_callbacks, change
):
    actions.do_issue_notice(
        period.account.taxpayer, kind=NoticeKind.INTENT_TO_LEVY, issued_on=dt.date(2025, 10, 1), period=period
    )
    with django_capture_on_commit_callbacks(execute=True):
        amounts(period)
    amounts(period)
    assert engine_runs.call_count == 1
    change(period)
    assert amounts(period) == fresh(period)
    assert engine_runs.call_count == 3  # the read after the change, and fresh()


def test_new_rules_are_a_new_key(period, engine_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        amounts(period)
    changed = copy.copy(queries.current_rules())
    changed.version = "another"
    with mock.patch.object(queries, "current_rules", return_value=changed):
        amounts(period)
    assert engine_runs.call_count == 2


def test_a_miss_is_stored_under_the_postings_it_read(period, engine_runs, django_capture_on_commit_callbacks):
    """A posting that arrives between counting and reading makes a newer key, never a wrong one."""
    periods = list(queries.with_postings_marks(queries.with_module_facts(TaxPeriod.objects.all())))
    counted = [queries.PostingsMark.annotated(found) for found in periods]
    post(period, "late")
    with django_capture_on_commit_callbacks(execute=True):
        (seen,) = queries.period_payoffs(periods, counted, AS_OF)
    assert seen == fresh(period)
    assert amounts(period) == seen
    assert engine_runs.call_count == 2  # the miss, and fresh(); the last read was a hit
    queries.period_payoffs(periods, counted, AS_OF)
    assert engine_runs.call_count == 3  # nothing was stored under the mark counted before the posting


def test_a_payoff_is_stored_only_once_its_postings_are_committed(
    period, engine_runs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(period, "new")
        amounts(period)
        amounts(period)
        assert engine_runs.call_count == 2
    amounts(period)
    assert engine_runs.call_count == 2


class RolledBackError(Exception):
    pass


def read_in_a_transaction_that_rolls_back(period: TaxPeriod) -> None:
    with transaction.atomic():
        post(period, "undone")
        amounts(period)
        raise RolledBackError


def test_a_rolled_back_posting_leaves_nothing_in_the_cache(period, engine_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as stored, pytest.raises(RolledBackError):
        read_in_a_transaction_that_rolls_back(period)
    assert stored == []
    amounts(period)
    assert engine_runs.call_count == 2


def reads(period: TaxPeriod, capture: Callable[..., Any]) -> tuple[int, int]:
    """The queries of the account home's payoff read on a miss, then on a hit."""
    with capture(execute=True), CaptureQueriesContext(connection) as missed:
        amounts(period)
    with CaptureQueriesContext(connection) as hit:
        amounts(period)
    return len(missed), len(hit)


def test_the_queries_do_not_grow_with_the_postings(period, django_capture_on_commit_callbacks):
    small = open_period("001000002")
    post(small, "s1", "500.00", code="150")
    for number in range(120):
        post(period, f"many{number}")
    assert reads(small, django_capture_on_commit_callbacks) == reads(period, django_capture_on_commit_callbacks)
    assert reads(period, django_capture_on_commit_callbacks)[1] == 3  # periods with their marks, returns, notices
