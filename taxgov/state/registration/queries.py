"""Reads the registration steps need: the prior-filing check, usernames, IDs on file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.ledger import queries as ledger
from taxgov.ledger.engine import add_months
from taxgov.ledger.models import AccountType, TaxAccount, Taxpayer
from taxgov.state.accounts.models import AccessRole, AccessStatus, TaxpayerAccess, User
from taxgov.state.registration.models import AmountKind, Evidence, RegistrationRequest, RequestStatus

RETURNS_CHECKED = 3
LETTERS_ACCEPTED_FOR_YEARS = 3


@dataclass(frozen=True)
class PriorFiling:
    taxpayer: Taxpayer
    account: TaxAccount


def line_for(account_type: str, amount_kind: str) -> str:
    """Where on the return the amount is, for "How do I find this amount?"."""
    if amount_kind == AmountKind.REFUND:
        return _("The amount to be refunded to you, as shown on the return (for Form 1, the refund line).")
    if account_type == AccountType.INDIVIDUAL_INCOME:
        return _("Income Tax After Credits, as shown on your Form 1, with dollars and cents.")
    return _("The total tax, as shown on the return, with dollars and cents.")


def match_prior_filing(
    *,
    tin: str,
    account_type: str,
    evidence: str,
    amount_kind: str,
    amount: Decimal | None,
    letter_id: str,
    today: dt.date | None = None,
) -> PriorFiling | None:
    """The taxpayer and account the person proved they hold, or None.

    Proof is an amount above $0 (tax after credits, or total tax for business accounts; or
    the refund) from one of the last three returns filed on the account, or the Letter ID of
    a letter sent to the taxpayer in the last three years.
    """
    today = today or timezone.localdate()
    taxpayer = ledger.find_taxpayer_by_tin(tin)
    if taxpayer is None:
        return None
    account = TaxAccount.objects.filter(taxpayer=taxpayer, account_type=account_type).first()
    if account is None:
        return None
    if evidence == Evidence.LETTER:
        since = add_months(today, -12 * LETTERS_ACCEPTED_FOR_YEARS)
        found = ledger.letter_sent_to(taxpayer, letter_id, since) if letter_id else None
        return PriorFiling(taxpayer, account) if found else None
    if amount is None or amount <= 0:
        return None
    for filed in ledger.recent_returns(account, RETURNS_CHECKED):
        if amount_kind == AmountKind.REFUND:
            shown = filed.refund
        elif account_type == AccountType.INDIVIDUAL_INCOME:
            shown = filed.income_tax_after_credits
        else:
            shown = filed.total_tax
        if shown > 0 and shown == amount:
            return PriorFiling(taxpayer, account)
    return None


def tin_on_file(tin: str) -> bool:
    return ledger.find_taxpayer_by_tin(tin) is not None


def username_taken(username: str, *, exclude: RegistrationRequest | None = None) -> bool:
    """Taken by a logon, or asked for by a request that is waiting for review."""
    if User.objects.filter(username__iexact=username).exists():
        return True
    pending = RegistrationRequest.objects.filter(username__iexact=username, status=RequestStatus.SUBMITTED)
    if exclude is not None:
        pending = pending.exclude(pk=exclude.pk)
    return pending.exists()


def has_master_administrator(taxpayer: Taxpayer) -> bool:
    return TaxpayerAccess.objects.filter(
        taxpayer=taxpayer, role=AccessRole.MASTER_ADMINISTRATOR, status=AccessStatus.ACTIVE
    ).exists()


def review_queue() -> list[RegistrationRequest]:
    return list(RegistrationRequest.objects.filter(status=RequestStatus.SUBMITTED).order_by("submitted_at"))
