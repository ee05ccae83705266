"""Payments from a bank account, made in the online account.

A payment is ``scheduled`` for a later day or ``pending`` once its day has come and the debit
is sent; the settlement job makes it ``processed`` (TC 670 on the ledger) or, when the bank
sends the debit back, ``returned`` (TC 671 reverses the payment, TC 280 adds the dishonored
payment penalty). A scheduled payment can be ``canceled`` until its cut-off.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxgov.common.banking import BankAccountKind
from taxgov.common.security.fields import EncryptedTextField
from taxgov.federal.accounts.models import User
from taxgov.ledger.models import Taxpayer, TaxPeriod, Transaction, money, whole_cents


class PaymentReason(models.TextChoices):
    BALANCE_DUE = "balance_due", _("Balance due")
    ESTIMATED_TAX = "estimated_tax", _("Estimated tax")
    EXTENSION = "extension", _("Extension")


class PaymentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PENDING = "pending", _("Pending")
    PROCESSED = "processed", _("Processed")
    CANCELED = "canceled", _("Canceled")
    RETURNED = "returned", _("Returned")


# Made and not yet processed: the debit is still to go to the bank.
WAITING = (PaymentStatus.SCHEDULED, PaymentStatus.PENDING)


class ReturnReason(models.TextChoices):
    """NACHA return reason codes a bank gives for a debit it sends back; ``OTH`` for any other
    code (the rail reads the nearest reason, ADR 0028; the code itself stays on its entry)."""

    R01 = "R01", _("Insufficient funds")
    R02 = "R02", _("Account closed")
    R03 = "R03", _("No account, or the account could not be found")
    R04 = "R04", _("Invalid account number")
    R07 = "R07", _("Authorization revoked by the account holder")
    R08 = "R08", _("Payment stopped")
    R10 = "R10", _("The account holder says the debit was not authorized")
    R16 = "R16", _("Account frozen")
    R20 = "R20", _("The account does not allow debits")
    OUR_ERROR = "ORG", _("An error in how we sent the debit to the bank")
    OTHER = "OTH", _("Another reason given by the bank")

    @property
    def taxpayer_at_fault(self) -> bool:
        """Whether the penalty for a dishonored payment applies: not when the debit came back for
        a fault on the originating side, since the taxpayer paid in good faith (IRC 6657)."""
        return self != ReturnReason.OUR_ERROR


class Payment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(TaxPeriod, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=14, choices=PaymentReason.choices)
    amount = money()
    pay_on = models.DateField()
    bank_account_kind = models.CharField(max_length=8, choices=BankAccountKind.choices)
    routing_number = EncryptedTextField()
    account_number = EncryptedTextField()
    account_number_last4 = models.CharField(max_length=4)
    status = models.CharField(max_length=9, choices=PaymentStatus.choices)
    idempotency_key = models.CharField(max_length=64)  # unique: see Meta
    confirmation_number = models.CharField(max_length=15)  # unique: see Meta
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)  # the debit went to the bank
    processed_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(max_length=3, choices=ReturnReason.choices, blank=True)
    posted = models.OneToOneField(Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reversal = models.OneToOneField(Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    penalty = models.OneToOneField(Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="federal_payment_idempotency_key_unique"),
            models.UniqueConstraint(fields=["confirmation_number"], name="federal_payment_confirmation_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="federal_payment_amount_positive"),
            whole_cents("amount", "federal_payment_amount_cents"),
            models.CheckConstraint(
                condition=~Q(status__in=["processed", "returned"]) | Q(posted__isnull=False),
                name="federal_payment_processed_is_posted",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | (Q(reversal__isnull=False) & ~Q(return_reason="")),
                name="federal_payment_returned_is_reversed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "pay_on"], name="federal_payment_due"),
            models.Index(fields=["taxpayer", "created_at"], name="federal_payment_taxpayer"),
        ]

    def __str__(self) -> str:
        return f"payment {self.pk}"


class NachaFile(models.Model):
    """A file of debits for the financial agent (the nacha rail, ADR 0028). Its name, header and
    entries are fixed when it is created, so a run that stops half-way writes this same file
    again, never a second one: ``staged`` once it is complete in the outbox's staging folder,
    ``sent_at`` once it was moved into the outbox."""

    name = models.CharField(max_length=40)  # unique: see Meta
    created_at = models.DateTimeField()  # the file header's creation date and time
    created_on = models.DateField()  # the local creation date, which the modifier numbers within
    modifier = models.CharField(max_length=1)
    effective_date = models.DateField()
    staged = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name"], name="federal_nacha_file_name_unique"),
            models.UniqueConstraint(fields=["created_on", "modifier"], name="federal_nacha_file_modifier_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class NachaEntry(models.Model):
    """A payment's debit on the nacha rail: one per payment however often it is sent, the file
    it went out in, and the return reason code as the bank gave it if it came back."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="+")
    trace_number = models.CharField(max_length=15)
    file = models.ForeignKey(NachaFile, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    return_code = models.CharField(max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["trace_number"], name="federal_nacha_entry_trace"),
            models.Index(fields=["payment"], condition=~Q(return_code=""), name="federal_nacha_entry_returned"),
        ]

    def __str__(self) -> str:
        return f"NACHA entry {self.trace_number}"
