"""What a payment can be for, the limits in force, the cut-off for canceling, and the
payments a taxpayer sees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from taxgov.federal.payments.models import WAITING, Payment, PaymentReason, PaymentStatus
from taxgov.ledger.agencies import current_agency, current_rules, is_business_day
from taxgov.ledger.models import AccountType, Taxpayer, TaxpayerKind
from taxgov.ledger.queries import taxpayer_payoff

# The income tax account whose estimated-tax and extension payments an online payment can
# make, by kind of taxpayer; a partnership (which pays no income tax) has none.
INCOME_ACCOUNTS = (AccountType.INDIVIDUAL_INCOME, AccountType.BUSINESS_INCOME, AccountType.FIDUCIARY)


@dataclass(frozen=True)
class Purpose:
    """One choice of "Apply the payment to": a reason, an account and its period (a calendar
    year unless ``period_end`` says otherwise), and what it owes now."""

    reason: PaymentReason
    year: int
    owed: Decimal | None = None
    account_type: AccountType = AccountType.INDIVIDUAL_INCOME
    period_end: dt.date | None = None

    @property
    def end(self) -> dt.date:
        return self.period_end or dt.date(self.year, 12, 31)

    @property
    def value(self) -> str:
        return f"{self.reason}:{self.account_type}:{self.end.isoformat()}"

    @property
    def label(self) -> str:
        if self.account_type == AccountType.INDIVIDUAL_INCOME:
            names: dict[str, Promise] = {
                PaymentReason.BALANCE_DUE: _("Balance due for %(year)s (you owe $%(owed)s today)"),
                PaymentReason.ESTIMATED_TAX: _("Estimated tax for %(year)s"),
                PaymentReason.EXTENSION: _("Extension payment for %(year)s"),
            }
        else:
            names = {
                PaymentReason.BALANCE_DUE: _("%(account)s, period ending %(end)s: balance due ($%(owed)s today)"),
                PaymentReason.ESTIMATED_TAX: _("%(account)s: estimated tax for %(year)s"),
                PaymentReason.EXTENSION: _("%(account)s: extension payment for %(year)s"),
            }
        return str(names[self.reason]) % {
            "year": self.year,
            "owed": f"{self.owed or 0:,.2f}",
            "account": AccountType(self.account_type).label,
            "end": date_format(self.end, "SHORT_DATE_FORMAT"),
        }


def income_account(taxpayer: Taxpayer, held: set[str]) -> AccountType | None:
    """An individual's is individual income tax; an entity's, the income account it holds."""
    if taxpayer.kind == TaxpayerKind.INDIVIDUAL:
        return AccountType.INDIVIDUAL_INCOME
    return next((kind for kind in INCOME_ACCOUNTS if kind in held), None)


def purposes(taxpayer: Taxpayer, today: dt.date) -> list[Purpose]:
    """Balances owed on any account (oldest first); then, for the taxpayer's income tax
    account, estimated tax for this year (and last year until its fourth installment is due,
    January 15) and an extension for last year until it is due."""
    position = taxpayer_payoff(taxpayer, today)
    choices = [
        Purpose(
            PaymentReason.BALANCE_DUE,
            period.end.year,
            payoff.total,
            AccountType(period.account.account_type),
            period.end,
        )
        for period, payoff in position.owing
    ]
    choices.sort(key=lambda purpose: (purpose.end, purpose.account_type))
    income = income_account(taxpayer, {period.account.account_type for period, _payoff in position.periods})
    if income is None:
        return choices
    if today <= dt.date(today.year, 1, 15):
        choices.append(Purpose(PaymentReason.ESTIMATED_TAX, today.year - 1, account_type=income))
    choices.append(Purpose(PaymentReason.ESTIMATED_TAX, today.year, account_type=income))
    if today <= dt.date(today.year, 4, 15):
        choices.append(Purpose(PaymentReason.EXTENSION, today.year - 1, account_type=income))
    return choices


@dataclass(frozen=True)
class Limits:
    max_days_ahead: int
    per_24_hours: int
    amount_below: Decimal
    cancel_business_days_before: int


def limits(day: dt.date) -> Limits:
    rules = current_rules()
    return Limits(
        max_days_ahead=int(rules.number("online_payments.max_days_ahead", day)),
        per_24_hours=int(rules.number("online_payments.per_24_hours", day)),
        amount_below=rules.number("online_payments.amount_below", day),
        cancel_business_days_before=int(rules.number("online_payments.cancel_business_days_before", day)),
    )


def cancel_deadline(pay_on: dt.date) -> dt.date:
    """The last day a payment scheduled for ``pay_on`` can be canceled: that many business
    days before it (weekends and federal holidays are not business days)."""
    day, left = pay_on, limits(pay_on).cancel_business_days_before
    while left:
        day -= dt.timedelta(days=1)
        if is_business_day(current_agency(), day):
            left -= 1
    return day


def can_cancel(payment: Payment, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return payment.status == PaymentStatus.SCHEDULED and today <= cancel_deadline(payment.pay_on)


def payments_of(taxpayer: Taxpayer) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(taxpayer=taxpayer).select_related("period__account").order_by("-pay_on", "-created_at")
    )


def upcoming_of(taxpayer: Taxpayer) -> list[Payment]:
    """Scheduled and pending payments, soonest first, for the account home."""
    return list(
        Payment.objects.filter(taxpayer=taxpayer, status__in=WAITING)
        .select_related("period__account")
        .order_by("pay_on")
    )


def made_since(taxpayer: Taxpayer, since: dt.datetime) -> int:
    """Payments made (and not canceled) since then, for the limit per 24 hours."""
    return (
        Payment.objects.filter(taxpayer=taxpayer, created_at__gte=since).exclude(status=PaymentStatus.CANCELED).count()
    )
