"""A request to create an online account: the wizard's draft, then the submitted request.

One row per request, whichever of the four registration paths made it. While ``STARTED``
it holds the answers given so far (saved after every step); Submit makes it ``SUBMITTED``
with a confirmation number; approval creates the logon (and, for the Register paths, the
taxpayer in the ledger) and makes it ``APPROVED``; staff may instead deny it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxgov.common.security.fields import EncryptedTextField
from taxgov.ledger.models import AccountType, TaxAccount, Taxpayer, money
from taxgov.state.accounts.models import AccessRole, PhoneType, SecretQuestion


class RegistrationKind(models.TextChoices):
    LOGON = "logon", _("Create My Logon")
    BUSINESS = "business", _("Register a Business")
    INDIVIDUAL = "individual", _("Register an Individual")
    ESTATE = "estate", _("Register an Estate")


class RequestStatus(models.TextChoices):
    STARTED = "started", _("Started")
    SUBMITTED = "submitted", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class TaxpayerType(models.TextChoices):
    ORGANIZATION = "organization", _("Business or organization")
    INDIVIDUAL = "individual", _("Individual")


class IdType(models.TextChoices):
    SSN = "ssn", _("SSN")
    ITIN = "itin", _("ITIN")
    FEIN = "fein", _("FEIN")


class Evidence(models.TextChoices):
    AMOUNT = "amount", _("A tax return amount or a tax refund amount")
    LETTER = "letter", _("A Letter ID")


class AmountKind(models.TextChoices):
    RETURN = "return", _("Tax Return Amount")
    REFUND = "refund", _("Refund Amount")


class OrganizationType(models.TextChoices):
    CORPORATION = "corporation", _("Corporation")
    PARTNERSHIP = "partnership", _("Partnership")
    SOLE_PROPRIETOR = "sole_proprietor", _("Sole proprietor")
    LLC = "llc", _("Limited liability company")
    TRUST = "trust", _("Fiduciary or trust")
    NONPROFIT = "nonprofit", _("Nonprofit organization")


class RegistrationRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=RegistrationKind.choices)
    status = models.CharField(max_length=9, choices=RequestStatus.choices, default=RequestStatus.STARTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Create My Logon: who the person says they are, and the proof from a past return or letter.
    taxpayer_type = models.CharField(max_length=12, choices=TaxpayerType.choices, blank=True)
    id_type = models.CharField(max_length=4, choices=IdType.choices, blank=True)
    tin = EncryptedTextField(blank=True)
    account_type = models.CharField(max_length=20, choices=AccountType.choices, blank=True)
    evidence = models.CharField(max_length=6, choices=Evidence.choices, blank=True)
    amount_kind = models.CharField(max_length=6, choices=AmountKind.choices, blank=True)
    amount = money(null=True, blank=True)
    letter_id = models.CharField(max_length=11, blank=True)
    verified_taxpayer = models.ForeignKey(Taxpayer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verified_account = models.ForeignKey(TaxAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # Register a Business / an Individual / an Estate: the new taxpayer.
    organization_type = models.CharField(max_length=16, choices=OrganizationType.choices, blank=True)
    legal_name = models.CharField(max_length=200, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = EncryptedTextField(blank=True)  # ISO date
    decedent_name = models.CharField(max_length=200, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    address_line1 = models.CharField(max_length=100, blank=True)
    address_line2 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=60, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    new_account_types = models.JSONField(default=list, blank=True)
    new_accounts_from = models.DateField(null=True, blank=True)

    # Every path: the online profile and the logon.
    full_name = models.CharField(max_length=120, blank=True)
    phone_country = models.CharField(max_length=2, blank=True)
    phone_type = models.CharField(max_length=4, choices=PhoneType.choices, blank=True)
    phone_number = EncryptedTextField(blank=True)  # E.164
    pin = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    username = models.CharField(max_length=60, blank=True)
    password_hash = models.CharField(max_length=128, blank=True)
    secret_question = models.CharField(max_length=20, choices=SecretQuestion.choices, blank=True)
    secret_answer_hash = models.CharField(max_length=128, blank=True)
    profile_access_seen = models.BooleanField(default=False)
    is_tax_professional = models.BooleanField(default=False)
    terms_agreed_at = models.DateTimeField(null=True, blank=True)

    # After Submit.
    role = models.CharField(max_length=14, choices=AccessRole.choices, blank=True)
    confirmation_number = models.CharField(max_length=13, null=True, blank=True, unique=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    personal_data_removed_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="registration"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status="started") | (Q(confirmation_number__isnull=False) & Q(submitted_at__isnull=False)),
                name="state_registration_submitted_has_number",
            ),
            models.CheckConstraint(
                condition=Q(confirmation_number__isnull=True)
                | Q(confirmation_number__regex=r"^[0-9]-[0-9]{3}-[0-9]{3}-[0-9]{3}$"),
                name="state_registration_confirmation_format",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(user__isnull=False), name="state_registration_approved_has_user"
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="state_registration_queue")]

    def __str__(self) -> str:
        return f"registration {self.pk}"

    @property
    def is_organization(self) -> bool:
        return self.kind in (RegistrationKind.BUSINESS, RegistrationKind.ESTATE) or (
            self.kind == RegistrationKind.LOGON and self.taxpayer_type == TaxpayerType.ORGANIZATION
        )

    @property
    def masked_tin(self) -> str:
        """``***-**-6789`` (or ``**-***6789`` for an FEIN): shown once the ID is entered."""
        if not self.tin:
            return ""
        last_four = self.tin[-4:]
        return f"**-***{last_four}" if self.id_type == IdType.FEIN else f"***-**-{last_four}"
