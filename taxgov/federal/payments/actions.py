"""Making, canceling and settling payments. Every one happens once: the form carries a key
made when it was shown (a double submit, a retry or a second tab makes one payment, and the
database refuses a second row with that key), and each ledger entry carries a key derived
from the payment, so a settlement run that is interrupted and run again posts nothing twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taxgov.common.audit.actions import NewEvent, record_event, record_events
from taxgov.common.banking import BankAccount
from taxgov.common.messaging.api import send_email
from taxgov.federal.accounts.models import User
from taxgov.federal.payments import queries
from taxgov.federal.payments.models import WAITING, Payment, PaymentStatus, ReturnReason
from taxgov.federal.payments.queries import Purpose
from taxgov.federal.payments.rail import PaymentRail
from taxgov.federal.payments.tags import PaymentTag
from taxgov.ledger.actions import (
    NewTransaction,
    do_open_account,
    do_open_period,
    do_post_transaction,
    do_post_transactions,
    do_reverse_transaction,
)
from taxgov.ledger.agencies import current_agency, current_rules, due_date
from taxgov.ledger.engine import dishonored_payment_penalty
from taxgov.ledger.models import Taxpayer, TaxPeriod

TOO_LATE_TO_CANCEL = gettext_lazy(
    "This payment can no longer be canceled: a scheduled payment can be canceled until 2 business days before its date."
)


class PaymentError(Exception):
    """The payment cannot be made or changed as asked; the message says why."""


def _confirmation_number() -> str:
    """15 digits, like the Treasury's EFT acknowledgment numbers."""
    return "".join(secrets.choice("0123456789") for _ in range(15))


def _period_for(taxpayer: Taxpayer, purpose: Purpose, today: dt.date) -> TaxPeriod:
    """The period the payment is for: a balance's own period, or this income tax year's,
    opened if nothing has been recorded for it yet (estimated tax comes before the return)."""
    account = do_open_account(taxpayer, purpose.account_type, opened_on=today)
    due = due_date(current_agency(), purpose.account_type, purpose.end)
    return do_open_period(account, start=dt.date(purpose.end.year, 1, 1), end=purpose.end, due_date=due)


def _check(amount: Decimal, pay_on: dt.date, today: dt.date) -> None:
    limits = queries.limits(today)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise PaymentError(_("The amount must be more than $0, in dollars and cents."))
    if amount >= limits.amount_below:
        raise PaymentError(
            _("Each payment must be less than $%(limit)s. Pay a larger amount by wire or in several payments.")
            % {"limit": f"{limits.amount_below:,.0f}"}
        )
    if not today <= pay_on <= today + dt.timedelta(days=limits.max_days_ahead):
        raise PaymentError(
            _("The payment date must be today or within the next %(days)d days.") % {"days": limits.max_days_ahead}
        )


def do_make_payment(
    *,
    user: User,
    taxpayer: Taxpayer,
    purpose: Purpose,
    amount: Decimal,
    pay_on: dt.date,
    bank: BankAccount,
    idempotency_key: str,
    email_to: str = "",
    request: HttpRequest | None = None,
) -> Payment:
    """A payment for today is ``pending`` (the debit goes with the next settlement run); one
    for a later day is ``scheduled``. The same key again returns the same payment."""
    today = timezone.localdate()
    _check(amount, pay_on, today)
    existing = _by_key(idempotency_key)
    if existing is not None:
        return _same_payment(existing, taxpayer, purpose, amount, pay_on)
    try:
        with transaction.atomic():
            Taxpayer.objects.select_for_update().filter(pk=taxpayer.pk).first()  # one payment at a time each
            existing = _by_key(idempotency_key)
            if existing is not None:
                return _same_payment(existing, taxpayer, purpose, amount, pay_on)
            limit = queries.limits(today).per_24_hours
            if queries.made_since(taxpayer, timezone.now() - dt.timedelta(hours=24)) >= limit:
                raise PaymentError(
                    _("You can make at most %(count)d payments in 24 hours. Try again tomorrow.") % {"count": limit}
                )
            payment = Payment.objects.create(
                taxpayer=taxpayer,
                period=_period_for(taxpayer, purpose, today),
                reason=purpose.reason,
                amount=amount,
                pay_on=pay_on,
                bank_account_kind=bank.kind,
                routing_number=bank.routing_number,
                account_number=bank.account_number,
                account_number_last4=bank.last4,
                status=PaymentStatus.PENDING if pay_on == today else PaymentStatus.SCHEDULED,
                idempotency_key=idempotency_key,
                confirmation_number=_confirmation_number(),
                made_by=user,
            )
            record_event(
                PaymentTag.SCHEDULED,
                actor=f"user:{user.pk}",
                subject=f"payment:{payment.pk}",
                request=request,
                extra={"amount": str(amount), "pay_on": pay_on.isoformat(), "reason": purpose.reason},
            )
            if email_to:
                send_email("federal_payment_made", email_to, {"payment": payment})
    except IntegrityError:
        existing = _by_key(idempotency_key)
        if existing is None:
            raise
        return _same_payment(existing, taxpayer, purpose, amount, pay_on)
    return payment


def _by_key(idempotency_key: str) -> Payment | None:
    return Payment.objects.filter(idempotency_key=idempotency_key).select_related("period__account").first()


def _same_payment(existing: Payment, taxpayer: Taxpayer, purpose: Purpose, amount: Decimal, pay_on: dt.date) -> Payment:
    period = existing.period
    was = (
        existing.taxpayer_id,
        existing.reason,
        period.account.account_type,
        period.end,
        existing.amount,
        existing.pay_on,
    )
    same = was == (taxpayer.pk, purpose.reason, purpose.account_type, purpose.end, amount, pay_on)
    if not same:
        raise PaymentError(_("This form was already used for a different payment. Start a new payment."))
    return existing


@transaction.atomic
def do_cancel_payment(payment: Payment, *, user: User, request: HttpRequest | None = None) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not queries.can_cancel(payment):
        raise PaymentError(str(TOO_LATE_TO_CANCEL))
    payment.status, payment.canceled_at = PaymentStatus.CANCELED, timezone.now()
    payment.save(update_fields=["status", "canceled_at"])
    record_event(PaymentTag.CANCELED, actor=f"user:{user.pk}", subject=f"payment:{payment.pk}", request=request)
    return payment


@transaction.atomic
def do_return_payment(payment_id: int, reason: ReturnReason, today: dt.date) -> bool:
    """The bank sent the debit back: reverse the payment (TC 671) so the balance is owed again,
    and assess the dishonored payment penalty (TC 280, IRC 6657) unless the fault was on our
    side. True if it was returned now."""
    payment = Payment.objects.select_for_update(of=("self",)).select_related("period", "posted").get(pk=payment_id)
    if payment.status != PaymentStatus.PROCESSED or payment.posted is None:
        return False
    reversal = do_reverse_transaction(
        payment.posted, effective_date=today, idempotency_key=f"federal-payment-return:{payment.public_id}"
    )
    penalty = None
    if reason.taxpayer_at_fault:
        penalty = do_post_transaction(
            payment.period,
            code="280",
            amount=dishonored_payment_penalty(current_rules(), payment.amount, today),
            effective_date=today,
            idempotency_key=f"federal-payment-penalty:{payment.public_id}",
            actor=f"payment:{payment.pk}",
        )
    payment.status, payment.returned_at, payment.return_reason = PaymentStatus.RETURNED, timezone.now(), reason
    payment.reversal, payment.penalty = reversal, penalty
    payment.save(update_fields=["status", "returned_at", "return_reason", "reversal", "penalty"])
    record_event(
        PaymentTag.RETURNED,
        subject=f"payment:{payment.pk}",
        extra={"reason": str(reason), "penalty": str(penalty.amount) if penalty else "0.00", "reversal": reversal.pk},
    )
    return True


@dataclass
class Settlement:
    processed: int = 0
    returned: int = 0


RETURN_WINDOW_DAYS = 60  # a consumer may dispute an unauthorized debit for 60 days (NACHA)
BATCH_SIZE = 1000  # payments per transaction: a second or less of work, so a stopped run loses little


def do_settle_payments(rail: PaymentRail, today: dt.date | None = None) -> Settlement:
    """The settlement run (hourly, and ``manage.py settle_payments``): payments whose day has
    come are debited and posted in batches, once every batch other processes are settling in
    parallel has ended the run's debits are submitted to the bank together, then the debits the
    banks sent back are returned. A run stopped half-way is finished by the next one."""
    today = today or timezone.localdate()
    result = Settlement()
    while True:
        result.processed += do_settle_batches(rail, today)
        if not _due_once_other_batches_end(today):
            break
    rail.submit(today)
    since = timezone.now() - dt.timedelta(days=RETURN_WINDOW_DAYS)
    for payment_id, reason in rail.returned(since).items():
        result.returned += do_return_payment(payment_id, reason, today)
    return result


def do_settle_batches(rail: PaymentRail, today: dt.date) -> int:
    """Settle the payments due now in batches of ``BATCH_SIZE``, each in its own transaction,
    passing over those another process is settling (what each process a run fans out to
    does). How many it settled."""
    due = list(
        Payment.objects.filter(status__in=WAITING, pay_on__lte=today).order_by("pk").values_list("pk", flat=True)
    )
    return sum(
        do_settle_batch(rail, today, due[start : start + BATCH_SIZE]) for start in range(0, len(due), BATCH_SIZE)
    )


@transaction.atomic
def do_settle_batch(rail: PaymentRail, today: dt.date, payment_ids: Sequence[int]) -> int:
    """These payments in one transaction, those still due and not held by another process:
    claimed under their row locks; each debited, posted (TC 670 dated its payment day, with a
    ledger key from the payment) and marked processed, with an audit event. Stopped at any
    point, the whole batch rolls back and is claimed again. How many it settled.

    The batch is a list of ids rather than "the next due payments" so that each claim reads
    its rows by primary key, however many processed payments the table holds and whatever
    the planner's statistics say."""
    claimed = list(
        Payment.objects.select_for_update(skip_locked=True)
        .filter(pk__in=payment_ids, status__in=WAITING, pay_on__lte=today)
        .only("pk", "public_id", "period_id", "amount", "pay_on")
    )
    if not claimed:
        return 0
    rail.send_debits(claimed)
    posted = do_post_transactions(
        [
            NewTransaction(
                period_id=payment.period_id,
                code="670",
                amount=-payment.amount,
                effective_date=payment.pay_on,
                idempotency_key=f"federal-payment:{payment.public_id}",
                posted_on=today,
                actor=f"payment:{payment.pk}",
            )
            for payment in claimed
        ]
    )
    _mark_processed({payment.pk: entry.pk for payment, entry in zip(claimed, posted, strict=True)})
    record_events(
        [
            NewEvent(PaymentTag.PROCESSED, subject=f"payment:{payment.pk}", extra={"transaction": entry.pk})
            for payment, entry in zip(claimed, posted, strict=True)
        ]
    )
    return len(claimed)


def _mark_processed(posted: dict[int, int]) -> None:
    """Payments processed now, each with its posting (by payment id), in one UPDATE: Django's
    ``bulk_update`` would build and run a CASE of every payment for every row, which costs
    more than the rest of the batch."""
    table = connection.ops.quote_name(Payment._meta.db_table)
    now = Payment._meta.get_field("processed_at").get_db_prep_save(timezone.now(), connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, processed_at = %s, posted_id = batch.column2 "  # noqa: S608
            f"FROM (VALUES {', '.join(['(%s, %s)'] * len(posted))}) AS batch WHERE {table}.id = batch.column1",
            [PaymentStatus.PROCESSED.value, now, now, *(value for pair in posted.items() for value in pair)],
        )


def _due_once_other_batches_end(today: dt.date) -> bool:
    """Whether payments are still due once the batches other processes hold have ended: waits
    on their row locks, then sees the payments they settled as processed and those of a batch
    that was stopped as still due."""
    with transaction.atomic():
        return bool(
            list(
                Payment.objects.select_for_update()
                .filter(status__in=WAITING, pay_on__lte=today)
                .values_list("pk", flat=True)[:1]
            )
        )
