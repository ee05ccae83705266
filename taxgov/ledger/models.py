"""An agency's tax ledger: taxpayers, their accounts and periods, returns as filed, and the
append-only transactions that make up every balance.

Each deployable that installs this app (federal, state) keeps its own ledger database. Money
is ``Decimal`` with two places; personal identifiers are encrypted, with a keyed fingerprint
beside them for look-up. Writes go through ``actions.py``; balances come from ``queries.py``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from taxgov.common.db import AppendOnlyModel
from taxgov.common.security.fields import EncryptedTextField


def money(**options: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount in dollars and cents, up to a trillion."""
    return models.DecimalField(max_digits=14, decimal_places=2, **options)


def whole_cents(field: str, name: str) -> models.CheckConstraint:
    """A database check that ``field`` holds whole cents (SQLite keeps whatever it is given)."""
    return models.CheckConstraint(condition=Q(**{field: Round(field, 2)}), name=name)


class TaxpayerKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    BUSINESS = "business", _("Business")
    ESTATE = "estate", _("Estate")


class TinType(models.TextChoices):
    SSN = "ssn", _("Social Security number")
    ITIN = "itin", _("Individual taxpayer identification number")
    EIN = "ein", _("Employer identification number")


class Taxpayer(models.Model):
    """A person, business or estate the agency keeps accounts for."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=TaxpayerKind.choices)
    tin_type = models.CharField(max_length=4, choices=TinType.choices)
    tin = EncryptedTextField()
    tin_fingerprint = models.CharField(max_length=64)  # unique: see Meta
    # Individuals: first/middle/last; businesses and estates: the legal name in `name`.
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    suffix = models.CharField(max_length=10, blank=True)
    name = models.CharField(max_length=200, blank=True, help_text=_("Legal name of a business or estate."))
    date_of_birth = EncryptedTextField(blank=True)  # ISO date; individuals only
    date_of_death = models.DateField(null=True, blank=True)
    # Businesses and estates: the fingerprint (identifiers.tin_fingerprint) of the SSN of their
    # responsible party (Form SS-4 line 7), never the number itself. Indexed in Meta.
    responsible_party_fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # A constraint rather than unique=True, which on PostgreSQL adds a second index for
            # LIKE that a hex fingerprint never needs (docs/ledger.md, "Indexes").
            models.UniqueConstraint(fields=["tin_fingerprint"], name="ledger_taxpayer_tin_fingerprint_unique"),
            models.CheckConstraint(
                condition=(Q(kind="individual", tin_type__in=["ssn", "itin"]) & ~Q(last_name=""))
                | (Q(kind__in=["business", "estate"], tin_type="ein") & ~Q(name="")),
                name="ledger_taxpayer_identity_fits_kind",
            ),
        ]
        indexes = [
            # Only entities have one: a partial index, without the LIKE twin db_index would add.
            models.Index(
                fields=["responsible_party_fingerprint"],
                condition=~Q(responsible_party_fingerprint=""),
                name="ledger_taxpayer_responsible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_kind_display()})"

    @property
    def display_name(self) -> str:
        if self.kind == TaxpayerKind.INDIVIDUAL:
            return " ".join(part for part in (self.first_name, self.middle_name, self.last_name, self.suffix) if part)
        return self.name


class AddressKind(models.TextChoices):
    MAILING = "mailing", _("Mailing")
    PHYSICAL = "physical", _("Physical")


class Address(models.Model):
    """One address a taxpayer has had; the current one has no ``valid_to``."""

    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="addresses")
    kind = models.CharField(max_length=10, choices=AddressKind.choices, default=AddressKind.MAILING)
    line1 = EncryptedTextField()
    line2 = EncryptedTextField(blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    country = models.CharField(max_length=2, default="US")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["taxpayer", "kind"], condition=Q(valid_to__isnull=True), name="ledger_address_one_current"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="ledger_address_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} address from {self.valid_from}"


class ContactKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile phone")
    HOME = "home", _("Home phone")
    WORK = "work", _("Work phone")
    EMAIL = "email", _("Email")


class Contact(models.Model):
    """A phone number (E.164) or email address on file."""

    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(max_length=8, choices=ContactKind.choices)
    value = EncryptedTextField()
    is_primary = models.BooleanField(default=False)
    added_on = models.DateField()

    def __str__(self) -> str:
        return self.get_kind_display()


class AccountType(models.TextChoices):
    """Kinds of tax account; each agency offers some of them (see ``queries.ACCOUNT_TYPES``)."""

    INDIVIDUAL_INCOME = "individual_income", _("Individual income tax")
    BUSINESS_INCOME = "business_income", _("Business income tax")
    PARTNERSHIP = "partnership", _("Partnership return")
    FIDUCIARY = "fiduciary", _("Estate and trust income tax")
    WITHHOLDING = "withholding", _("Withholding tax")
    SALES = "sales", _("Sales and use tax")


class TaxAccount(models.Model):
    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="accounts")
    account_type = models.CharField(max_length=20, choices=AccountType.choices)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["taxpayer", "account_type"], name="ledger_account_one_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.get_account_type_display()} — {self.taxpayer.display_name}"


class TaxPeriod(models.Model):
    """A tax module: one account's period (a year, quarter or month), the unit balances are kept in."""

    account = models.ForeignKey(TaxAccount, on_delete=models.PROTECT, related_name="periods")
    start = models.DateField()
    end = models.DateField()
    due_date = models.DateField(help_text=_("When the return and payment are due, without extensions."))

    class Meta:
        ordering = ["end"]
        constraints = [
            models.UniqueConstraint(fields=["account", "end"], name="ledger_period_unique_end"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="ledger_period_dates_in_order"),
            models.CheckConstraint(condition=Q(due_date__gt=models.F("end")), name="ledger_period_due_after_end"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.label}"

    @property
    def label(self) -> str:
        """``2023`` for a calendar year; ``2024-03`` (its last month) for shorter periods."""
        if self.start.month == 1 and self.start.day == 1 and self.end.month == 12 and self.end.day == 31:
            return str(self.end.year)
        return self.end.strftime("%Y-%m")


class ReturnKind(models.TextChoices):
    ORIGINAL = "original", _("Original")
    AMENDED = "amended", _("Amended")


class FilingStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED_JOINT = "married_joint", _("Married filing jointly")
    MARRIED_SEPARATE = "married_separate", _("Married filing separately")
    HEAD_OF_HOUSEHOLD = "head_of_household", _("Head of household")
    SURVIVING_SPOUSE = "surviving_spouse", _("Qualifying surviving spouse")


class TaxReturn(models.Model):
    """A return's key lines as filed; later changes are transactions, never edits here."""

    period = models.ForeignKey(TaxPeriod, on_delete=models.PROTECT, related_name="returns")
    kind = models.CharField(max_length=8, choices=ReturnKind.choices, default=ReturnKind.ORIGINAL)
    form = models.CharField(max_length=20, help_text=_("The form filed, such as 1040 or Form 1."))
    filed_on = models.DateField()
    filing_status = models.CharField(max_length=20, choices=FilingStatus.choices, blank=True)
    adjusted_gross_income = money(null=True, blank=True)
    taxable_income = money(null=True, blank=True)
    total_tax = money()
    income_tax_after_credits = money()
    total_payments = money()
    refund = money(default=0)
    balance_due = money(default=0)

    class Meta:
        db_table = "ledger_return"
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=Q(kind="original"), name="ledger_return_one_original_per_period"
            ),
            models.CheckConstraint(
                condition=Q(total_tax__gte=0, income_tax_after_credits__gte=0, refund__gte=0, balance_due__gte=0)
                & (Q(refund=0) | Q(balance_due=0)),
                name="ledger_return_amounts_make_sense",
            ),
            whole_cents("total_tax", "ledger_return_total_tax_cents"),
            whole_cents("income_tax_after_credits", "ledger_return_tax_after_credits_cents"),
            whole_cents("refund", "ledger_return_refund_cents"),
            whole_cents("balance_due", "ledger_return_balance_due_cents"),
        ]

    def __str__(self) -> str:
        return f"{self.form} ({self.get_kind_display()}) filed {self.filed_on}"


class Transaction(AppendOnlyModel):
    """One entry on a tax module, append-only (the database refuses updates and deletes).

    Positive amounts are debits (tax, penalties, interest, refunds out), negative credits
    (payments, withholding). A correction is a new transaction; a reversal links to the
    transaction it cancels. ``idempotency_key`` makes every money movement happen once.
    """

    # Indexed by ledger_txn_period_date, whose first column it is.
    period = models.ForeignKey(TaxPeriod, on_delete=models.PROTECT, related_name="transactions", db_index=False)
    code = models.CharField(max_length=3)
    action_code = models.CharField(max_length=3, blank=True)
    amount = money()
    effective_date = models.DateField(help_text=_("The date on the transcript: assessment or payment date."))
    cycle = models.CharField(max_length=8, help_text=_("Posting cycle, YYYYWWDD."))
    posted_at = models.DateTimeField(auto_now_add=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    idempotency_key = models.CharField(max_length=100)  # unique: see Meta

    class Meta:
        db_table = "ledger_transaction"
        indexes = [models.Index(fields=["period", "effective_date"], name="ledger_txn_period_date")]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="ledger_transaction_idempotency_key_unique"),
            whole_cents("amount", "ledger_transaction_amount_cents"),
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{3}$"), name="ledger_transaction_code_format"),
            models.CheckConstraint(condition=Q(cycle__regex=r"^[0-9]{8}$"), name="ledger_transaction_cycle_format"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reverses=models.F("id")), name="ledger_transaction_not_self"
            ),
        ]


class InformationReturnKind(models.TextChoices):
    W2 = "W-2", "W-2"
    NEC = "1099-NEC", "1099-NEC"
    MISC = "1099-MISC", "1099-MISC"
    INT = "1099-INT", "1099-INT"
    DIV = "1099-DIV", "1099-DIV"
    R = "1099-R", "1099-R"
    G = "1099-G", "1099-G"
    K = "1099-K", "1099-K"
    SSA = "SSA-1099", "SSA-1099"
    MORTGAGE = "1098", "1098"
    IRA = "5498", "5498"


class InformationReturn(models.Model):
    """A W-2 or 1099 a payer filed about a taxpayer; the source of wage & income transcripts."""

    # Indexed by ledger_inforeturn_year, whose first column it is.
    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="information_returns", db_index=False)
    tax_year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=InformationReturnKind.choices)
    payer_name = models.CharField(max_length=200)
    payer_tin = EncryptedTextField()
    income = money(help_text=_("The main amount: wages, interest, dividends, compensation."))
    withholding = money(default=0)
    boxes = models.JSONField(default=dict, help_text=_("Other boxes as strings, keyed by box number."))
    received_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["taxpayer", "tax_year"], name="ledger_inforeturn_year")]
        constraints = [
            whole_cents("income", "ledger_inforeturn_income_cents"),
            whole_cents("withholding", "ledger_inforeturn_withholding_cents"),
            models.CheckConstraint(condition=Q(withholding__gte=0), name="ledger_inforeturn_withholding_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.tax_year}"


class NoticeKind(models.TextChoices):
    """Notices and letters; the codes are the agency's form numbers."""

    REFUND = "CP12", _("We changed your return: refund")
    BALANCE_DUE = "CP14", _("Balance due")
    REMINDER = "CP501", _("Reminder: balance due")
    SECOND_REMINDER = "CP503", _("Second reminder: balance due")
    INTENT_TO_LEVY = "CP504", _("Notice of intent to levy")
    FINAL_INTENT_TO_LEVY = "LT11", _("Final notice of intent to levy")
    UNDERREPORTED = "CP2000", _("Proposed changes to your return")
    INSTALLMENT_AGREEMENT = "CP521", _("Installment agreement statement")
    INSTALLMENT_TERMINATION = "CP523", _("Notice of intent to terminate your installment agreement")
    STATE_ASSESSMENT = "NOA", _("Notice of Assessment")
    STATE_STATEMENT = "SOA", _("Statement of Account")
    STATE_INTENT_TO_ASSESS = "NIA", _("Notice of Intent to Assess")
    STATE_REFUND = "RFN", _("Refund notice")
    STATE_WELCOME = "WEL", _("Welcome letter")


LEVY_NOTICES = (NoticeKind.INTENT_TO_LEVY, NoticeKind.FINAL_INTENT_TO_LEVY)


class Notice(models.Model):
    """A notice or letter the agency sent; state letters carry a Letter ID (``L`` + 10 digits)."""

    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="notices")
    period = models.ForeignKey(TaxPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=8, choices=NoticeKind.choices)
    issued_on = models.DateField()
    amount = money(null=True, blank=True)
    letter_id = models.CharField(max_length=11, null=True, blank=True, unique=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(letter_id__isnull=True) | Q(letter_id__regex=r"^L[0-9]{10}$"),
                name="ledger_notice_letter_id_format",
            ),
            whole_cents("amount", "ledger_notice_amount_cents"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.issued_on}"
