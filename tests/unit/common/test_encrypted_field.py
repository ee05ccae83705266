"""The model field that keeps personal data encrypted (taxgov.common.security.fields)."""

from __future__ import annotations

import pytest
from django.db import connection, models

from taxgov.common.security import pii
from taxgov.common.security.fields import EncryptedTextField


class Holder(models.Model):
    """Abstract, so nothing is registered or migrated; the field still learns its context."""

    secret = EncryptedTextField(null=True)

    class Meta:
        abstract = True
        app_label = "common_security"


@pytest.fixture
def field() -> EncryptedTextField:
    return Holder._meta.get_field("secret")


def test_field_context_is_app_label_model_and_field_name(field):
    assert field.pii_context == "common_security.Holder.secret"


def test_field_stores_ciphertext_bound_to_its_context(field):
    stored = field.get_prep_value("123-45-6789")

    assert stored.startswith("pii1.")
    assert "123-45-6789" not in stored
    assert pii.decrypt(stored, context="common_security.Holder.secret") == "123-45-6789"
    with pytest.raises(pii.DecryptionError):
        pii.decrypt(stored, context="common_security.Other.secret")


def test_field_reads_back_what_it_stored(field):
    stored = field.get_prep_value(123456789)

    assert field.from_db_value(stored, None, connection) == "123456789"


def test_field_keeps_null_as_null(field):
    assert field.get_prep_value(None) is None
    assert field.from_db_value(None, None, connection) is None


def test_field_refuses_a_value_encrypted_for_another_column(field):
    moved = pii.encrypt("123-45-6789", context="common_security.Other.secret")

    with pytest.raises(pii.DecryptionError):
        field.from_db_value(moved, None, connection)


@pytest.mark.parametrize("lookup", ["exact", "iexact", "contains", "startswith", "in"])
def test_field_refuses_lookups_other_than_isnull(field, lookup):
    with pytest.raises(TypeError, match="fingerprint"):
        field.get_lookup(lookup)


def test_field_allows_isnull_lookup(field):
    assert field.get_lookup("isnull") is not None
