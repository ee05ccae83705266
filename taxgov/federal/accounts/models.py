from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone

from taxgov.common.accounts import SignInNameUserManager


class UserManager(SignInNameUserManager["User"]):
    """People sign in at the identity provider: create users with no password."""


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signed in through the identity provider, keyed on its subject ("sub") only,
    never on an e-mail address."""

    subject = models.CharField(max_length=255, unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "subject"

    def __str__(self) -> str:
        return f"user {self.pk}"
