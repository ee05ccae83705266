"""A model field that keeps personal data encrypted in the database."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from taxgov.common.security import pii


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Encrypts on the way in, decrypts on the way out; the context is ``app_label.Model.field``.

    Ciphertexts differ every time, so filtering on this field finds nothing: store a
    ``pii.fingerprint`` beside it for look-ups.
    """

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        self.pii_context = f"{cls._meta.app_label}.{cls.__name__}.{name}"

    def from_db_value(self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper) -> str | None:
        if value is None:
            return None
        return pii.decrypt(value, context=self.pii_context)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return pii.encrypt(str(value), context=self.pii_context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(f"{self.pii_context} is encrypted: look it up by its fingerprint, not {lookup_name!r}.")
        return super().get_lookup(lookup_name)
