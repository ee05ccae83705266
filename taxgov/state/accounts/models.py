"""Portal logons and what each logon may see in the state ledger."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taxgov.common.accounts import SignInNameUserManager
from taxgov.common.security.fields import EncryptedTextField
from taxgov.ledger.models import TaxAccount, Taxpayer


class UserManager(SignInNameUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)


class PhoneType(models.TextChoices):
    CELL = "cell", _("Cell")
    HOME = "home", _("Home")
    WORK = "work", _("Work")


class SecretQuestion(models.TextChoices):
    SPOUSE_CITY = "spouse_city", _("In what city did you meet your spouse or partner?")
    FIRST_STREET = "first_street", _("What was the name of the first street you lived on?")
    FIRST_PET = "first_pet", _("What was the name of your first pet?")
    CHILDHOOD_FRIEND = "childhood_friend", _("What was the first name of your childhood best friend?")
    FIRST_EMPLOYER = "first_employer", _("What was the name of your first employer?")
    FAVOURITE_TEACHER = "favourite_teacher", _("What was the last name of your favorite teacher?")


class User(AbstractBaseUser, PermissionsMixin):
    """A portal logon; usernames are unique whatever their letter case.

    A logon exists once its registration request is approved; it can sign in after the
    Activate link in the approval e-mail has been followed (``activated_at``).
    """

    username = models.CharField(max_length=60, unique=True)
    email = EncryptedTextField(blank=True)
    email_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    full_name = models.CharField(max_length=120, blank=True)
    phone_country = models.CharField(max_length=2, blank=True)
    phone_type = models.CharField(max_length=4, choices=PhoneType.choices, blank=True)
    phone_number = EncryptedTextField(blank=True)  # E.164
    pin = EncryptedTextField(blank=True)  # 4 digits, read back by agency staff on the phone
    secret_question = models.CharField(max_length=20, choices=SecretQuestion.choices, blank=True)
    secret_answer = models.CharField(max_length=128, blank=True)  # a password hash of the normalized answer
    is_tax_professional = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"

    class Meta:
        constraints = [models.UniqueConstraint(Lower("username"), name="state_user_username_ci_unique")]

    def __str__(self) -> str:
        return f"user {self.pk}"


class AccessRole(models.TextChoices):
    OWNER = "owner", _("Taxpayer")
    MASTER_ADMINISTRATOR = "master", _("Master Administrator")
    TAX_ADMINISTRATOR = "tax_admin", _("Tax Administrator")
    REPRESENTATIVE = "representative", _("Tax professional")


class AccessStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class TaxpayerAccess(models.Model):
    """A logon's access to a taxpayer in the ledger: to all its accounts, or to one.

    Owners and administrators get it when their registration is approved; a tax
    professional asks for it and the client approves (``REQUESTED`` → ``ACTIVE``).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="taxpayer_access")
    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(TaxAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=14, choices=AccessRole.choices)
    status = models.CharField(max_length=9, choices=AccessStatus.choices, default=AccessStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["taxpayer"],
                condition=Q(role="master", status="active"),
                name="state_access_one_master_per_taxpayer",
            ),
            models.UniqueConstraint(
                fields=["user", "taxpayer"],
                condition=~Q(status="revoked"),
                name="state_access_one_live_grant_per_taxpayer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} access {self.pk}"


class PasswordHistory(models.Model):
    """Hashes of a logon's earlier passwords, so a new password cannot be an old one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="state_password_history_latest")]

    def __str__(self) -> str:
        return f"password history {self.pk}"
