"""Payments: make (form, review, submit), limits, one payment per form whatever happens,
cancel until the cut-off, settlement exactly once, and a returned payment with its penalty."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.federal.payments import actions, queries
from taxgov.federal.payments.models import Payment, PaymentStatus
from taxgov.federal.payments.rail import DemoBanks
from taxgov.ledger.models import Transaction
from tests.integration.federal.test_account import with_profile

pytestmark = pytest.mark.django_db
ROUTING = "011000015"  # a valid ABA checksum


@pytest.fixture
def alex(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "alex", on=client)
    return personas["alex"]


def form(client, **changes):
    page = client.get(reverse("payments:make"))
    key = page.context["form"]["idempotency_key"].value()
    purpose = page.context["form"].fields["purpose"].choices[0][0]
    return {
        "purpose": purpose,
        "amount": "150.00",
        "pay_on": timezone.localdate().strftime("%m/%d/%Y"),
        "bank_account_kind": "checking",
        "routing_number": ROUTING,
        "account_number": "123456789",
        "account_number_confirmation": "123456789",
        "idempotency_key": key,
        **changes,
    }


def submit(client, data):
    review = client.post(reverse("payments:make"), data)
    assert review.status_code == 200
    assert b"Review your payment" in review.content
    return client.post(reverse("payments:make"), {**data, "submit": ""})


def test_a_payment_today_is_pending_then_processed_once(client, alex):
    answer = submit(client, form(client))
    payment = Payment.objects.get()
    assert answer["Location"] == reverse("payments:detail", args=[payment.public_id])
    assert payment.status == PaymentStatus.PENDING
    assert payment.account_number_last4 == "6789"
    assert len(payment.confirmation_number) == 15
    assert b"123456789" not in client.get(answer["Location"]).content
    call_command("settle_payments")
    call_command("settle_payments")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PROCESSED
    assert Transaction.objects.filter(idempotency_key__startswith="federal-payment:").count() == 1


def test_a_double_submit_makes_one_payment(client, alex):
    data = form(client)
    first = submit(client, data)
    again = client.post(reverse("payments:make"), {**data, "submit": ""})
    assert first["Location"] == again["Location"]
    assert Payment.objects.count() == 1
    other = client.post(reverse("payments:make"), {**data, "amount": "151.00", "submit": ""})
    assert b"already used for a different payment" in other.content
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"routing_number": "011000016"}, b"9-digit routing number"),
        ({"account_number_confirmation": "123456780"}, b"do not match"),
        ({"amount": "10000000.00"}, b"less than $10,000,000"),
        ({"amount": "0"}, b"greater than or equal to 0.01"),
        ({"pay_on": "01/01/2020"}, b"within the next 365 days"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, alex, changes, problem):
    answer = client.post(reverse("payments:make"), form(client, **changes))
    assert problem in answer.content
    assert not Payment.objects.exists()


def test_at_most_two_payments_in_24_hours(client, alex):
    submit(client, form(client))
    submit(client, form(client, amount="20.00"))
    third = submit(client, form(client, amount="30.00"))
    assert b"at most 2 payments in 24 hours" in third.content
    assert Payment.objects.count() == 2


def test_a_scheduled_payment_is_canceled_until_two_business_days_before(client, alex):
    later = timezone.localdate() + dt.timedelta(days=30)
    submit(client, form(client, pay_on=later.strftime("%m/%d/%Y")))
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.SCHEDULED
    assert client.get(reverse("payments:cancel", args=[payment.public_id])).status_code == 200
    client.post(reverse("payments:cancel", args=[payment.public_id]))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELED
    call_command("settle_payments", "--as-of", later.isoformat())
    assert not Transaction.objects.filter(idempotency_key__startswith="federal-payment").exists()
    assert AuditEvent.objects.filter(tag="federal:payment:canceled").count() == 1


def test_the_cut_off_counts_business_days_and_federal_holidays():
    # Thanksgiving 2026 is Thursday 26 November: a payment for Monday 30 November can be
    # canceled until Wednesday 25 November (Friday 27 counts, the holiday and weekend do not).
    assert queries.cancel_deadline(dt.date(2026, 11, 30)) == dt.date(2026, 11, 25)
    assert queries.cancel_deadline(dt.date(2026, 12, 2)) == dt.date(2026, 11, 30)


def test_too_late_to_cancel(client, alex):
    submit(client, form(client))
    payment = Payment.objects.get()
    client.post(reverse("payments:cancel", args=[payment.public_id]))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_someone_elses_payment_is_a_404(client, alex, sign_in, population, personas):
    submit(client, form(client))
    payment = Payment.objects.get()
    other = Client()
    with_profile(sign_in, population, personas, "pat", on=other)
    assert other.get(reverse("payments:detail", args=[payment.public_id])).status_code == 404
    assert other.post(reverse("payments:cancel", args=[payment.public_id])).status_code == 404


def test_an_interrupted_settlement_posts_each_payment_once(client, alex):
    submit(client, form(client))
    submit(client, form(client, amount="20.00"))
    rail = DemoBanks()
    # The batch (both payments) stops in the middle: it is rolled back whole.
    with (
        mock.patch.object(rail, "send_debits", side_effect=ConnectionError("the bank went away")),
        pytest.raises(ConnectionError),
    ):
        actions.do_settle_payments(rail)
    assert Payment.objects.filter(status=PaymentStatus.PROCESSED).count() == 0
    assert not Transaction.objects.filter(idempotency_key__startswith="federal-payment:").exists()
    actions.do_settle_payments(DemoBanks())
    actions.do_settle_payments(DemoBanks())
    assert Payment.objects.filter(status=PaymentStatus.PROCESSED).count() == 2
    assert Transaction.objects.filter(idempotency_key__startswith="federal-payment:").count() == 2


def test_a_returned_payment_reopens_the_balance_with_a_penalty(client, alex):
    submit(client, form(client, account_number="99000001", account_number_confirmation="99000001", amount="100.00"))
    call_command("settle_payments")
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.RETURNED
    assert payment.return_reason == "R01"
    assert payment.reversal.code == "671"
    assert payment.reversal.amount == Decimal("100.00")
    assert payment.penalty.code == "280"
    assert payment.penalty.amount == Decimal("25.00")  # under $1,250: the lesser of $25 and the payment
    page = client.get(reverse("payments:detail", args=[payment.public_id])).content.decode()
    assert "Insufficient funds (R01)" in page
    assert "$25.00" in page
    call_command("settle_payments")
    assert Transaction.objects.filter(idempotency_key__startswith="federal-payment-penalty:").count() == 1
