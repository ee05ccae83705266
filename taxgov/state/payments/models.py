"""Payments made in the portal: a bank debit, today or on a later day, that becomes a
payment transaction (TC 670) in the ledger on its date."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxgov.common.banking import BankAccountKind
from taxgov.common.security.fields import EncryptedTextField
from taxgov.ledger.models import TaxAccount, Taxpayer, TaxPeriod, Transaction, money, whole_cents


class PaymentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    POSTED = "posted", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Payment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(TaxAccount, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(TaxPeriod, on_delete=models.PROTECT, related_name="+")
    amount = money()
    pay_on = models.DateField()
    bank_account_kind = models.CharField(max_length=8, choices=BankAccountKind.choices)
    routing_number = EncryptedTextField()
    account_number = EncryptedTextField()
    account_number_last4 = models.CharField(max_length=4)
    status = models.CharField(max_length=9, choices=PaymentStatus.choices, default=PaymentStatus.SCHEDULED)
    idempotency_key = models.CharField(max_length=64)
    confirmation_number = models.CharField(max_length=12)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    transaction = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="portal_payment"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="state_payment_idempotency_key_unique"),
            models.UniqueConstraint(fields=["confirmation_number"], name="state_payment_confirmation_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="state_payment_amount_positive"),
            whole_cents("amount", "state_payment_amount_cents"),
            models.CheckConstraint(
                condition=~Q(status="posted") | Q(transaction__isnull=False), name="state_payment_posted_has_entry"
            ),
        ]
        indexes = [models.Index(fields=["status", "pay_on"], name="state_payment_due")]

    def __str__(self) -> str:
        return f"payment {self.pk}"
