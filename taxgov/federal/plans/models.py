"""Payment plans (installment agreements) applied for in the online account.

The ledger is the record the rest of the system reads: approving a plan posts TC 971 action
code 043 (pending) and 063 (established) on each tax period it covers, a default posts action
code 064, the setup and revision fees post as TC 360, and a low-income setup fee is paid back
on completion as TC 361. These rows keep what the ledger has no place for: the terms (kind,
monthly amount, due day, direct debit), each month's installment with its debit and any notice
of intent to terminate, and each revision.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxgov.common.banking import BankAccountKind
from taxgov.common.security.fields import EncryptedTextField
from taxgov.federal.accounts.models import User
from taxgov.federal.payments.models import Payment
from taxgov.ledger.models import Notice, Taxpayer, TaxPeriod, Transaction, money, whole_cents


class PlanKind(models.TextChoices):
    SHORT_TERM = "short_term", _("Short-term payment plan")
    LONG_TERM = "long_term", _("Long-term payment plan")


class PlanStatus(models.TextChoices):
    ESTABLISHED = "established", _("In effect")
    DEFAULTED = "defaulted", _("Defaulted")
    COMPLETED = "completed", _("Paid in full")


class PaymentPlan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="+")
    periods = models.ManyToManyField(TaxPeriod, related_name="+")
    kind = models.CharField(max_length=10, choices=PlanKind.choices)
    status = models.CharField(max_length=11, choices=PlanStatus.choices, default=PlanStatus.ESTABLISHED)
    owed_at_start = money()  # the payoff of the periods on the day the plan was approved
    pay_by = models.DateField(null=True, blank=True)  # short-term: the whole balance by then
    monthly_amount = money(null=True, blank=True)  # long-term
    due_day = models.PositiveSmallIntegerField(null=True, blank=True)  # long-term: day of the month
    first_due_on = models.DateField(null=True, blank=True)  # long-term
    term_months = models.PositiveSmallIntegerField(null=True, blank=True)  # long-term: months allowed
    direct_debit = models.BooleanField(default=False)
    bank_account_kind = models.CharField(max_length=8, choices=BankAccountKind.choices, blank=True)
    routing_number = EncryptedTextField(blank=True)
    account_number = EncryptedTextField(blank=True)
    account_number_last4 = models.CharField(max_length=4, blank=True)
    low_income = models.BooleanField(default=False)
    setup_fee = money(default=0)
    fee_reimbursable = money(default=0)  # low income: paid back when the plan is completed
    fee_posted = models.OneToOneField(Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The TC 361 that paid ``fee_reimbursable`` back when the plan was completed.
    fee_reimbursed = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    established_on = models.DateField()
    defaulted_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64)  # unique: see Meta
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="federal_plan_idempotency_key_unique"),
            models.UniqueConstraint(
                fields=["taxpayer"], condition=Q(status="established"), name="federal_plan_one_in_effect"
            ),
            models.CheckConstraint(
                condition=Q(kind="short_term", pay_by__isnull=False, direct_debit=False)
                | Q(
                    kind="long_term",
                    monthly_amount__gt=0,
                    due_day__gte=1,
                    due_day__lte=31,
                    first_due_on__isnull=False,
                    term_months__gte=1,
                ),
                name="federal_plan_terms_fit_kind",
            ),
            models.CheckConstraint(
                condition=Q(direct_debit=False) | ~Q(account_number_last4=""), name="federal_plan_debit_has_account"
            ),
            models.CheckConstraint(
                condition=Q(setup_fee__gte=0, fee_reimbursable__gte=0, fee_reimbursable__lte=models.F("setup_fee")),
                name="federal_plan_fee_sensible",
            ),
            models.CheckConstraint(
                condition=~Q(status="defaulted") | Q(defaulted_on__isnull=False), name="federal_plan_default_dated"
            ),
            whole_cents("monthly_amount", "federal_plan_monthly_cents"),
            whole_cents("setup_fee", "federal_plan_fee_cents"),
            whole_cents("owed_at_start", "federal_plan_owed_cents"),
        ]
        indexes = [models.Index(fields=["status", "taxpayer"], name="federal_plan_status")]

    def __str__(self) -> str:
        return f"payment plan {self.pk}"


class Installment(models.Model):
    """One payment due under a plan: a month's installment, or a short-term plan's balance.
    A direct-debit plan's installment carries the payment the job made for it; a missed one
    carries the notice of intent to terminate."""

    plan = models.ForeignKey(PaymentPlan, on_delete=models.PROTECT, related_name="installments")
    due_on = models.DateField()
    amount = money()
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notice = models.OneToOneField(Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "due_on"], name="federal_installment_one_per_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="federal_installment_amount_positive"),
            whole_cents("amount", "federal_installment_amount_cents"),
        ]

    def __str__(self) -> str:
        return f"installment {self.pk}"


class PlanRevision(models.Model):
    """A change of the monthly amount or the due day, with its fee."""

    plan = models.ForeignKey(PaymentPlan, on_delete=models.PROTECT, related_name="revisions")
    monthly_amount_before = money()
    monthly_amount_after = money()
    due_day_before = models.PositiveSmallIntegerField()
    due_day_after = models.PositiveSmallIntegerField()
    fee = money(default=0)
    fee_reimbursable = money(default=0)
    fee_posted = models.OneToOneField(Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revised_on = models.DateField()
    idempotency_key = models.CharField(max_length=64)  # unique: see Meta
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="federal_plan_revision_key_unique"),
            models.CheckConstraint(condition=Q(monthly_amount_after__gt=0), name="federal_plan_revision_amount"),
            whole_cents("monthly_amount_after", "federal_plan_revision_amount_cents"),
            whole_cents("fee", "federal_plan_revision_fee_cents"),
        ]

    def __str__(self) -> str:
        return f"plan revision {self.pk}"
