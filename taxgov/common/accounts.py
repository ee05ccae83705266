"""What the three deployables' user models share: creating users by their sign-in name."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager

UserT = TypeVar("UserT", bound=AbstractBaseUser)


class SignInNameUserManager(BaseUserManager[UserT]):
    """Creates users keyed on the model's USERNAME_FIELD (an e-mail, a username, a subject)."""

    def normalize_sign_in_name(self, name: str) -> str:
        return name

    def create_user(self, name: str | None = None, password: str | None = None, **fields: Any) -> UserT:
        """``password=None`` leaves the user without a usable password. The sign-in name is the
        first argument, or the model's USERNAME_FIELD by keyword (as ``createsuperuser`` passes it)."""
        field = self.model.USERNAME_FIELD  # type: ignore[attr-defined]  # set on every concrete user model
        if name is None:
            name = fields.pop(field)
        user = self.model(**{field: self.normalize_sign_in_name(name)}, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, name: str | None = None, password: str | None = None, **fields: Any) -> UserT:
        return self.create_user(name, password, is_staff=True, is_superuser=True, **fields)
