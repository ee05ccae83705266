"""What the account summary shows: each account's periods with their payoff under the
state's rules, the letters sent, and the returns filed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from taxgov.ledger import queries as ledger
from taxgov.ledger.agencies import account_name, current_rules
from taxgov.ledger.engine import Payoff
from taxgov.ledger.models import Notice, TaxPeriod, TaxReturn
from taxgov.state.accounts.models import TaxpayerAccess
from taxgov.state.portal.access import taxpayer_name


@dataclass
class PeriodRow:
    period: TaxPeriod
    payoff: Payoff

    @property
    def amounts(self) -> dict[str, Decimal]:
        return self.payoff.display()


@dataclass
class AccountRows:
    label: str
    periods: list[PeriodRow] = field(default_factory=list)

    @property
    def owed(self) -> Decimal:
        return sum((row.amounts["total"] for row in self.periods if row.amounts["total"] > 0), Decimal(0))


@dataclass
class Summary:
    grant: TaxpayerAccess
    name: str
    as_of: dt.date
    accounts: list[AccountRows]
    letters: list[Notice]
    returns: list[TaxReturn]

    @property
    def owed(self) -> Decimal:
        return sum((account.owed for account in self.accounts), Decimal(0))


def summary(grant: TaxpayerAccess, as_of: dt.date) -> Summary:
    taxpayer = grant.taxpayer
    periods = [p for p in ledger.periods_with_history(taxpayer) if grant.account_id in (None, p.account_id)]
    found = ledger.payoffs(current_rules(), [ledger.module_of(period) for period in periods], as_of)
    by_account: dict[int, AccountRows] = {}
    for period, payoff in reversed(list(zip(periods, found, strict=True))):  # newest first on the page
        rows = by_account.setdefault(period.account_id, AccountRows(account_name(period.account.account_type)))
        rows.periods.append(PeriodRow(period, payoff))
    letters = Notice.objects.filter(taxpayer=taxpayer, letter_id__isnull=False).select_related("period__account")
    returns = TaxReturn.objects.filter(period__account__taxpayer=taxpayer).select_related("period__account")
    if grant.account_id is not None:
        letters = letters.filter(period__account_id=grant.account_id)
        returns = returns.filter(period__account_id=grant.account_id)
    return Summary(
        grant=grant,
        name=taxpayer_name(taxpayer),
        as_of=as_of,
        accounts=list(by_account.values()),
        letters=list(letters.order_by("-issued_on", "-pk")[:50]),
        returns=list(returns.order_by("-filed_on", "-pk")[:20]),
    )
