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

    @property
    def finished_sign_up(self) -> bool:
        """Confirmed e-mail and a password; the second step is checked separately."""
        return self.email_confirmed_at is not None and self.has_usable_password()
