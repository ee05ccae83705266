from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from taxgov.common.accounts import SignInNameUserManager


class UserManager(SignInNameUserManager["User"]):
    def normalize_sign_in_name(self, name: str) -> str:
        return self.normalize_email(name).lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A person's account; the e-mail address is the sign-in name, unique in any letter case."""

    email = models.EmailField(max_length=254, unique=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The sign-up confirmation code: a keyed hash, when it was sent, how often it was tried.
    confirmation_code_hash = models.CharField(max_length=64, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmation_attempts = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="identity_user_email_ci_unique")]

    def __str__(self) -> str:
        return f"user {self.pk}"


class AccountReset(models.Model):
    """Lost every second step: after a waiting period (with e-mails the owner can cancel
    from), the person may remove them all and set up new ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_resets")
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ready_notice_sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(cancelled_at__isnull=True, completed_at__isnull=True),
                name="identity_one_open_account_reset",
            )
        ]

    def __str__(self) -> str:
        return f"account reset {self.pk}"


class EmailAddress(models.Model):
    """Another address of the account (the primary one is ``User.email``, the sign-in name);
    usable once its link is followed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_addresses")
    email = models.EmailField(max_length=254)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Anyone may have a pending row for any address (so adding one reveals nothing);
        # only one confirmed row per address, whatever its letter case.
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(confirmed_at__isnull=False),
                name="identity_email_address_confirmed_ci_unique",
            ),
            models.UniqueConstraint("user", Lower("email"), name="identity_email_address_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"email address {self.pk}"
