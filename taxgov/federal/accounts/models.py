from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    def create_user(self, subject: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(subject=subject, **fields)
        user.set_password(password)  # None: unusable; people sign in at the identity provider
        user.save(using=self._db)
        return user

    def create_superuser(self, subject: str, password: str | None = None, **fields: Any) -> User:
        return self.create_user(subject, password, is_staff=True, is_superuser=True, **fields)


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
