"""A state ledger with a few taxpayers to register against, and clean rate limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from taxgov.common.ratelimit import clear_all_counters
from taxgov.ledger import actions
from taxgov.ledger.actions import NewAddress
from taxgov.ledger.models import AccountType, NoticeKind, Taxpayer


@pytest.fixture(autouse=True)
def outbox_backend(settings):
    """pytest-django swaps in Django's locmem e-mail backend; use the project's outbox, as in development."""
    settings.EMAIL_BACKEND = "taxgov.common.messaging.outbox.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Counters outlive a test's database; user ids and addresses repeat from test to test."""
    clear_all_counters()


def individual(
    tin: str, *, tax_after_credits: tuple[str, ...] = ("1234.56",), refund: str = "0.00", letter: bool = False
) -> Taxpayer:
    """A person with a Form 1 for each amount (newest first, years 2025 back), and a letter."""
    taxpayer = actions.do_register_taxpayer(
        kind="individual",
        tin_type="ssn",
        tin=tin,
        first_name="Larry",
        last_name="Mo",
        address=NewAddress("1 Main St", "Boston", "MA", "02110", valid_from=dt.date(2015, 1, 1)),
        registered_on=dt.date(2015, 1, 1),
    )
    account = actions.do_open_account(taxpayer, AccountType.INDIVIDUAL_INCOME, opened_on=dt.date(2015, 1, 1))
    for offset, amount in enumerate(tax_after_credits):
        year = 2025 - offset
        period = actions.do_open_period(
            account, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), due_date=dt.date(year + 1, 4, 15)
        )
        tax = Decimal(amount)
        paid = tax + Decimal(refund) if offset == 0 else tax
        actions.do_record_return(
            period,
            form="Form 1",
            filed_on=dt.date(year + 1, 4, 1),
            total_tax=tax,
            income_tax_after_credits=tax,
            total_payments=paid,
        )
    if letter:
        actions.do_issue_notice(
            taxpayer, kind=NoticeKind.STATE_WELCOME, issued_on=dt.date(2026, 1, 5), with_letter_id=True
        )
    return taxpayer
