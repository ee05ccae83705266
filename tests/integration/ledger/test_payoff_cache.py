"""The payoff cache: the same payoff, computed once a day per module, and never stale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache

from taxgov.ledger import actions, engine, queries
from taxgov.ledger.models import AccountType

AS_OF = dt.date(2026, 11, 21)


@pytest.fixture
def period(db):
    cache.clear()
    taxpayer = actions.do_register_taxpayer(
        kind="individual",
        tin_type="ssn",
        tin="001000001",
        first_name="Cache",
        last_name="Test",
        address=actions.NewAddress("1 Main St", "Boston", "MA", "02110", valid_from=dt.date(2020, 1, 1)),
        registered_on=dt.date(2020, 1, 1),
        date_of_birth=dt.date(1970, 1, 1),
    )
    account = actions.do_open_account(taxpayer, AccountType.INDIVIDUAL_INCOME, opened_on=dt.date(2020, 1, 1))
    found = actions.do_open_period(
        account, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), due_date=dt.date(2025, 4, 15)
    )
    actions.do_post_transaction(
        found, code="150", amount=Decimal("1000.00"), effective_date=dt.date(2025, 4, 15), idempotency_key="c1"
    )
    return found


def test_a_payoff_is_computed_once_per_day_and_a_new_posting_is_seen_at_once(period):
    taxpayer = period.account.taxpayer
    with mock.patch.object(engine, "payoff", wraps=engine.payoff) as computed:
        first = queries.taxpayer_payoff(taxpayer, AS_OF).total
        again = queries.taxpayer_payoff(taxpayer, AS_OF).total
        assert computed.call_count == 1
        assert again == first
        queries.taxpayer_payoff(taxpayer, AS_OF + dt.timedelta(days=1))
        assert computed.call_count == 2  # another day, another key
        actions.do_post_transaction(
            period, code="670", amount=Decimal("-100.00"), effective_date=AS_OF, idempotency_key="c2"
        )
        paid = queries.taxpayer_payoff(taxpayer, AS_OF).total
        assert computed.call_count == 3
    assert paid.total == first.total - Decimal("100.00")


def test_the_cached_payoff_is_the_engines(period):
    module = queries.module_of(queries.periods_with_history(period.account.taxpayer)[0])
    rules = queries.current_rules()
    assert queries.payoffs(rules, [module], AS_OF) == [engine.payoff(rules, module, AS_OF)]
    assert queries.payoffs(rules, [module], AS_OF) == [engine.payoff(rules, module, AS_OF)]
