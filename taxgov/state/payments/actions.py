"""Making, posting and cancelling portal payments. Each is idempotent: the form carries a key
made when it was shown, so a double submit or a retried request makes one payment, and the
ledger entry carries the payment's own key, so posting twice posts once."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email
from taxgov.ledger.actions import do_post_transaction
from taxgov.ledger.models import TaxPeriod
from taxgov.state.accounts.models import User
from taxgov.state.payments.models import Payment, PaymentStatus
from taxgov.state.payments.tags import PaymentTag

MAX_DAYS_AHEAD = 365


class PaymentError(Exception):
    """The payment cannot be made or changed as asked; the message says why."""


def _confirmation_number() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(12))


def do_make_payment(
    *,
    user: User,
    period: TaxPeriod,
    amount: Decimal,
    pay_on: dt.date,
    bank_account_kind: str,
    routing_number: str,
    account_number: str,
    idempotency_key: str,
    request: HttpRequest | None = None,
) -> Payment:
    """Schedule a bank debit for ``pay_on``; a payment for today is posted at once."""
    today = timezone.localdate()
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise PaymentError(_("The amount must be more than $0, in dollars and cents."))
    if not today <= pay_on <= today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise PaymentError(_("The payment date must be today or within the next 12 months."))
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_payment(existing, user, period, amount, pay_on)
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                taxpayer_id=period.account.taxpayer_id,
                account_id=period.account_id,
                period=period,
                amount=amount,
                pay_on=pay_on,
                bank_account_kind=bank_account_kind,
                routing_number=routing_number,
                account_number=account_number,
                account_number_last4=account_number[-4:],
                idempotency_key=idempotency_key,
                confirmation_number=_confirmation_number(),
                made_by=user,
            )
            record_event(
                PaymentTag.SCHEDULED,
                actor=f"user:{user.pk}",
                subject=f"payment:{payment.pk}",
                request=request,
                extra={"amount": str(amount), "pay_on": pay_on.isoformat(), "period": period.pk},
            )
            if pay_on <= today:
                do_post_payment(payment)
            send_email(
                "payment_scheduled",
                user.email,
                {
                    "name": user.full_name,
                    "amount": amount,
                    "pay_on": pay_on,
                    "confirmation_number": payment.confirmation_number,
                    "last4": payment.account_number_last4,
                    "period": period.label,
                },
            )
    except IntegrityError:
        existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_payment(existing, user, period, amount, pay_on)
    return payment


def _same_payment(existing: Payment, user: User, period: TaxPeriod, amount: Decimal, pay_on: dt.date) -> Payment:
    if (existing.made_by_id, existing.period_id, existing.amount, existing.pay_on) != (
        user.pk,
        period.pk,
        amount,
        pay_on,
    ):
        raise PaymentError(_("This form was already used for a different payment. Start a new payment."))
    return existing


@transaction.atomic
def do_post_payment(payment: Payment) -> Payment:
    """Put the payment on the ledger (TC 670, dated its payment day); posting again changes nothing."""
    payment = Payment.objects.select_for_update().select_related("period").get(pk=payment.pk)
    if payment.status != PaymentStatus.SCHEDULED:
        return payment
    entry = do_post_transaction(
        payment.period,
        code="670",
        amount=-payment.amount,
        effective_date=payment.pay_on,
        idempotency_key=f"state-portal-payment:{payment.public_id}",
        actor=f"payment:{payment.pk}",
    )
    payment.status, payment.transaction, payment.posted_at = PaymentStatus.POSTED, entry, timezone.now()
    payment.save(update_fields=["status", "transaction", "posted_at"])
    record_event(PaymentTag.POSTED, subject=f"payment:{payment.pk}", extra={"transaction": entry.pk})
    return payment


@transaction.atomic
def do_cancel_payment(payment: Payment, *, user: User, request: HttpRequest | None = None) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != PaymentStatus.SCHEDULED or payment.pay_on <= timezone.localdate():
        raise PaymentError(_("Only a payment scheduled for a later day can be cancelled."))
    payment.status, payment.cancelled_at = PaymentStatus.CANCELLED, timezone.now()
    payment.save(update_fields=["status", "cancelled_at"])
    record_event(PaymentTag.CANCELLED, actor=f"user:{user.pk}", subject=f"payment:{payment.pk}", request=request)
    return payment


def do_post_due_payments(today: dt.date | None = None) -> int:
    """Post every scheduled payment whose day has come (the daily task); returns how many."""
    today = today or timezone.localdate()
    due = Payment.objects.filter(status=PaymentStatus.SCHEDULED, pay_on__lte=today).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        do_post_payment(Payment(pk=pk))
        count += 1
    return count
