"""What the account home shows, read with a fixed number of queries whatever the history's size.

Amounts come from the ledger's payoff engine through ``taxpayer_payoff``, the same call the
``payoff`` command makes, so the page and the command always agree; the page reads no posting
when the payoffs are cached (ADR 0034). The payment plan is read from the transaction codes the
ledger records for it (TC 971 with action code 043 pending, 063 established, 064 ended) and its
latest payment, a query each; pending and scheduled payments are not in the ledger yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from taxgov.ledger import codes
from taxgov.ledger import queries as ledger
from taxgov.ledger.engine import ZERO, Payoff
from taxgov.ledger.models import Address, Notice, Taxpayer, TaxPeriod, TaxReturn, Transaction

RECENT_NOTICES = 5
PLAN_ACTIONS = {
    codes.INSTALLMENT_AGREEMENT_PENDING: "pending",
    codes.INSTALLMENT_AGREEMENT_ESTABLISHED: "established",
    codes.INSTALLMENT_AGREEMENT_ENDED: "ended",
}


@dataclass(frozen=True)
class YearBalance:
    period: TaxPeriod
    amounts: dict[str, Decimal]  # Payoff.display(): tax, penalties, interest, total

    @property
    def is_credit(self) -> bool:
        return self.amounts["total"] < ZERO


@dataclass
class AccountBalances:
    account_type: str
    years: list[YearBalance] = field(default_factory=list)


class PlanStatus(StrEnum):
    PENDING = "pending"
    ESTABLISHED = "established"
    ENDED = "ended"


@dataclass(frozen=True)
class PaymentPlan:
    status: PlanStatus
    since: dt.date  # requested, established or ended on
    periods: list[TaxPeriod]
    balance: Decimal  # what the periods under the plan owe today
    last_payment: Transaction | None


@dataclass(frozen=True)
class Summary:
    as_of: dt.date
    payoff: dict[str, Decimal]  # the total to pay everything off today, as the payoff command prints it
    good_through: dt.date
    accounts: list[AccountBalances]
    latest_return: TaxReturn | None
    plan: PaymentPlan | None
    address: Address | None
    notices: list[Notice]

    @property
    def has_credits(self) -> bool:
        return any(year.is_credit for account in self.accounts for year in account.years)


def summary(taxpayer: Taxpayer, as_of: dt.date) -> Summary:
    position = ledger.taxpayer_payoff(taxpayer, as_of, load_postings=False)
    total = position.total
    return Summary(
        as_of=as_of,
        payoff=total.display(),
        good_through=total.good_through,
        accounts=_balances(position.periods),
        latest_return=_latest_original_return(position.periods),
        plan=payment_plan(position.periods, as_of),
        address=ledger.current_address(taxpayer),
        notices=list(
            Notice.objects.filter(taxpayer=taxpayer)
            .select_related("period")
            .order_by("-issued_on", "-pk")[:RECENT_NOTICES]
        ),
    )


def _balances(periods: list[tuple[TaxPeriod, Payoff]]) -> list[AccountBalances]:
    """Each account's years that owe or hold a credit, newest first."""
    accounts: dict[str, AccountBalances] = {}
    for period, payoff in reversed(periods):
        amounts = payoff.display()
        if amounts["total"] == ZERO:
            continue
        account_type = period.account.account_type
        accounts.setdefault(account_type, AccountBalances(account_type)).years.append(YearBalance(period, amounts))
    return list(accounts.values())


def _latest_original_return(periods: list[tuple[TaxPeriod, Payoff]]) -> TaxReturn | None:
    """The return for the latest period, as first filed (the ledger's ``original_returns``)."""
    filed = [r for period, _payoff in periods for r in getattr(period, "original_returns", [])]
    return max(filed, key=lambda r: (r.period.end, r.filed_on, r.pk), default=None)


def _plan_states(periods: list[TaxPeriod], as_of: dt.date) -> dict[int, tuple[PlanStatus, dt.date]]:
    """Each period's latest plan code on or before ``as_of`` and its date, by period id."""
    entries = (
        Transaction.objects.filter(
            period__in=periods, code="971", action_code__in=PLAN_ACTIONS, effective_date__lte=as_of
        )
        .order_by("effective_date", "id")
        .values_list("period_id", "action_code", "effective_date")
    )
    return {period_id: (PlanStatus(PLAN_ACTIONS[action]), day) for period_id, action, day in entries}


def payment_plan(periods: list[tuple[TaxPeriod, Payoff]], as_of: dt.date) -> PaymentPlan | None:
    """The plan the ledger records: established if any period is under one, else pending if
    one was requested, else the one that ended last; None if there never was one."""
    states = _plan_states([period for period, _payoff in periods], as_of)
    planned = [(period, payoff, *states[period.pk]) for period, payoff in periods if period.pk in states]
    for status in (PlanStatus.ESTABLISHED, PlanStatus.PENDING, PlanStatus.ENDED):
        covered = [(period, payoff, day) for period, payoff, state, day in planned if state == status]
        if not covered:
            continue
        days = [day for _period, _payoff, day in covered]
        since = max(days) if status == PlanStatus.ENDED else min(days)
        covered_periods = [period for period, _payoff, _day in covered]
        return PaymentPlan(
            status=status,
            since=since,
            periods=covered_periods,
            balance=sum((max(payoff.display()["total"], ZERO) for _p, payoff, _d in covered), ZERO),
            last_payment=_last_payment(covered_periods, since, as_of),
        )
    return None


def _last_payment(periods: list[TaxPeriod], since: dt.date, as_of: dt.date) -> Transaction | None:
    return (
        Transaction.objects.filter(period__in=periods, code="670", effective_date__gte=since, effective_date__lte=as_of)
        .order_by("-effective_date", "-id")
        .first()
    )
