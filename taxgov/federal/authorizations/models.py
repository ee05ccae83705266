"""Who may see or act on a taxpayer's account besides the taxpayer.

A *professional* signs in through the identity provider like anyone and keeps a professional
profile: a tax professional (CAF number) sends power of attorney (Form 2848) and tax
information authorization (Form 8821) requests; an income-verification participant (a lender)
asks for return transcripts. A request names a client by name, TIN and address; when those
match the ledger it is linked to that taxpayer, and only that taxpayer ever sees it. When they
do not match it is kept all the same, so the sender sees the same thing either way.

An authorization covers tax matters and years, one ``AuthorizationLine`` each, because a newer
authorization of the same kind replaces older ones line by line: an older one keeps the
lines the newer one does not name.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxgov.common.security.fields import EncryptedTextField
from taxgov.federal.accounts.models import User
from taxgov.ledger.models import Taxpayer


class ProfessionalKind(models.TextChoices):
    TAX_PROFESSIONAL = "tax_professional", _("Tax professional")
    INCOME_VERIFICATION = "income_verification", _("Income verification participant")


class Designation(models.TextChoices):
    """Form 2848, Part II: who may practice before the agency, and the unenrolled preparer."""

    ATTORNEY = "attorney", _("Attorney")
    CPA = "cpa", _("Certified public accountant")
    ENROLLED_AGENT = "enrolled_agent", _("Enrolled agent")
    ENROLLED_ACTUARY = "enrolled_actuary", _("Enrolled actuary")
    ERPA = "erpa", _("Enrolled retirement plan agent")
    UNENROLLED = "unenrolled", _("None of these (tax information authorizations only)")


PRACTISING = (
    Designation.ATTORNEY,
    Designation.CPA,
    Designation.ENROLLED_AGENT,
    Designation.ENROLLED_ACTUARY,
    Designation.ERPA,
)
LICENSED_BY_A_STATE = (Designation.ATTORNEY, Designation.CPA)


class Professional(models.Model):
    """A professional profile, one per sign-in account. ``number`` is the CAF number of a tax
    professional or the participant number of an income-verification participant."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="federal_professional")
    kind = models.CharField(max_length=19, choices=ProfessionalKind.choices)
    name = EncryptedTextField()  # as the identity provider verified it
    organization = EncryptedTextField(blank=True)  # firm, or the lender
    designation = models.CharField(max_length=16, choices=Designation.choices, blank=True)
    license_jurisdiction = models.CharField(max_length=2, blank=True)
    license_number = models.CharField(max_length=30, blank=True)
    number = models.CharField(max_length=11)  # unique: see Meta
    address_line1 = EncryptedTextField()
    address_line2 = EncryptedTextField(blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    rules_accepted_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["number"], name="federal_professional_number_unique"),
            models.CheckConstraint(
                condition=(Q(kind="tax_professional") & ~Q(designation=""))
                | Q(kind="income_verification", designation=""),
                name="federal_professional_kind_fits",
            ),
            models.CheckConstraint(
                condition=Q(designation__in=["", "unenrolled"]) | ~Q(license_number=""),
                name="federal_professional_practising_has_license",
            ),
            models.CheckConstraint(
                condition=~Q(designation__in=["attorney", "cpa"]) | ~Q(license_jurisdiction=""),
                name="federal_professional_state_license",
            ),
        ]

    def __str__(self) -> str:
        return f"professional {self.pk}"

    @property
    def may_represent(self) -> bool:
        return self.designation in PRACTISING


class AuthorizationKind(models.TextChoices):
    POWER_OF_ATTORNEY = "poa", _("Power of attorney (Form 2848)")
    TAX_INFORMATION = "tia", _("Tax information authorization (Form 8821)")


class TaxMatter(models.TextChoices):
    """The matters an online request may name (calendar years only)."""

    INCOME_TAX = "income_tax", _("Form 1040 income tax")
    SPLIT_SPOUSAL = "split_spousal", _("Split spousal assessment or Form 8857 innocent spouse relief")
    SHARED_RESPONSIBILITY = "srp", _("Shared responsibility payment")
    SHARED_RESPONSIBILITY_SPLIT = "srp_split", _("Shared responsibility payment: split spousal assessment")
    CIVIL_PENALTY = "civil_penalty", _("Civil penalty (periods ending in March, June, September and December)")


SHARED_RESPONSIBILITY_MATTERS = (TaxMatter.SHARED_RESPONSIBILITY, TaxMatter.SHARED_RESPONSIBILITY_SPLIT)


class AuthorizationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the taxpayer")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected by the taxpayer")
    REVOKED = "revoked", _("Revoked by the taxpayer")
    WITHDRAWN = "withdrawn", _("Withdrawn by the professional")
    REPLACED = "replaced", _("Replaced by a newer authorization")


class Authorization(models.Model):
    """A request and, once the taxpayer signs it, the authorization. ``taxpayer`` is set only
    when the client's details matched the ledger; the details as typed are kept encrypted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="authorizations")
    kind = models.CharField(max_length=3, choices=AuthorizationKind.choices)
    taxpayer = models.ForeignKey(Taxpayer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    client_name = EncryptedTextField()
    client_tin = EncryptedTextField()
    client_tin_last4 = models.CharField(max_length=4)
    status = models.CharField(max_length=9, choices=AuthorizationStatus.choices, default=AuthorizationStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)  # signed or rejected
    signed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signature = models.TextField(blank=True)  # the declaration the taxpayer signed, as shown
    keeps_earlier = models.BooleanField(default=False)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["active", "revoked", "replaced"])
                | (Q(decided_at__isnull=False, signed_by__isnull=False) & ~Q(signature="")),
                name="federal_authorization_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(decided_at__isnull=True, ended_at__isnull=True),
                name="federal_authorization_pending_undecided",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["revoked", "withdrawn", "replaced"]) | Q(ended_at__isnull=False),
                name="federal_authorization_ended_when",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | ~Q(status__in=["active", "rejected"]) | Q(taxpayer__isnull=False),
                name="federal_authorization_decided_by_a_taxpayer",
            ),
        ]
        indexes = [
            models.Index(fields=["taxpayer", "status"], name="federal_authz_taxpayer"),
            models.Index(fields=["professional", "status"], name="federal_authz_professional"),
        ]

    def __str__(self) -> str:
        return f"authorization {self.pk}"


class AuthorizationLine(models.Model):
    """One tax matter and year of an authorization; ``replaced_by`` is the newer authorization
    that took it over (this line stays with the older one, inactive)."""

    authorization = models.ForeignKey(Authorization, on_delete=models.PROTECT, related_name="lines")
    matter = models.CharField(max_length=13, choices=TaxMatter.choices)
    year = models.PositiveSmallIntegerField()
    replaced_by = models.ForeignKey(
        Authorization, null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_lines"
    )
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["matter", "year"]
        constraints = [
            models.UniqueConstraint(fields=["authorization", "matter", "year"], name="federal_authz_line_unique"),
            models.CheckConstraint(
                condition=Q(replaced_by__isnull=True, replaced_at__isnull=True)
                | Q(replaced_by__isnull=False, replaced_at__isnull=False),
                name="federal_authz_line_replaced_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter} {self.year}"


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the taxpayer")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected by the taxpayer")


class IncomeVerification(models.Model):
    """A participant's request for return transcripts (as on Form 4506-C). Once the taxpayer
    signs, the transcripts of ``tax_years`` can be downloaded until ``available_until``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="verifications")
    taxpayer = models.ForeignKey(Taxpayer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    client_name = EncryptedTextField()
    client_tin = EncryptedTextField()
    client_tin_last4 = models.CharField(max_length=4)
    tax_years = models.JSONField()  # a sorted list of years
    customer_file_number = models.CharField(max_length=10, blank=True)  # the lender's loan number, say
    status = models.CharField(max_length=8, choices=VerificationStatus.choices, default=VerificationStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signature = models.TextField(blank=True)
    available_until = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (
                    Q(decided_at__isnull=False, signed_by__isnull=False, available_until__isnull=False)
                    & ~Q(signature="")
                ),
                name="federal_verification_signed",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(taxpayer__isnull=False),
                name="federal_verification_decided_by_a_taxpayer",
            ),
            models.CheckConstraint(
                condition=Q(customer_file_number__regex=r"^[0-9]{0,10}$"),
                name="federal_verification_file_number_digits",
            ),
        ]
        indexes = [
            models.Index(fields=["taxpayer", "status"], name="federal_verification_taxpayer"),
            models.Index(fields=["participant", "created_at"], name="federal_verification_sender"),
        ]

    def __str__(self) -> str:
        return f"income verification {self.pk}"
