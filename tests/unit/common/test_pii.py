"""Envelope encryption of personal data (taxgov.common.security.pii). No database needed."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from taxgov.common.security import pii

CONTEXT = "ledger.Taxpayer.tin"
KEY_ONE = base64.b64encode(b"test-key-one-32-bytes-long-12345").decode()
KEY_TWO = base64.b64encode(b"test-key-two-32-bytes-long-12345").decode()
KEY_OTHER = base64.b64encode(b"another-key-32-bytes-long-abcdef").decode()


def _flip_byte(part: str, index: int) -> str:
    raw = bytearray(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    raw[index] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


def test_encrypt_round_trips_with_the_same_context(settings):
    settings.TAXGOV_PII_KEYS = f"k2:{KEY_TWO},k1:{KEY_ONE}"

    stored = pii.encrypt("123-45-6789", context=CONTEXT)

    assert stored.startswith("pii1.k2.")
    assert "123-45-6789" not in stored
    assert pii.decrypt(stored, context=CONTEXT) == "123-45-6789"


def test_encrypt_round_trips_unicode_and_empty_values():
    for value in ("", "José Núñez", "名前 🙂"):
        assert pii.decrypt(pii.encrypt(value, context=CONTEXT), context=CONTEXT) == value


def test_encrypt_gives_a_different_ciphertext_each_time_for_the_same_value():
    first = pii.encrypt("123-45-6789", context=CONTEXT)
    second = pii.encrypt("123-45-6789", context=CONTEXT)

    assert first != second
    # Both the wrapped data key and the body differ (fresh data key and nonces).
    assert first.split(".")[2] != second.split(".")[2]
    assert first.split(".")[3] != second.split(".")[3]


def test_decrypt_fails_when_context_differs():
    stored = pii.encrypt("123-45-6789", context=CONTEXT)

    with pytest.raises(pii.DecryptionError):
        pii.decrypt(stored, context="ledger.Taxpayer.name")


def test_decrypt_fails_when_body_is_tampered():
    prefix, key_id, wrapped, body = pii.encrypt("123-45-6789", context=CONTEXT).split(".")
    tampered = ".".join((prefix, key_id, wrapped, _flip_byte(body, 20)))

    with pytest.raises(pii.DecryptionError):
        pii.decrypt(tampered, context=CONTEXT)


def test_decrypt_fails_when_wrapped_data_key_is_tampered():
    prefix, key_id, wrapped, body = pii.encrypt("123-45-6789", context=CONTEXT).split(".")
    tampered = ".".join((prefix, key_id, _flip_byte(wrapped, 20), body))

    with pytest.raises(pii.DecryptionError):
        pii.decrypt(tampered, context=CONTEXT)


def test_decrypt_fails_when_key_id_is_swapped_for_another_known_key(settings):
    settings.TAXGOV_PII_KEYS = f"k2:{KEY_TWO},k1:{KEY_ONE}"
    prefix, _, wrapped, body = pii.encrypt("123-45-6789", context=CONTEXT).split(".")

    with pytest.raises(pii.DecryptionError):
        pii.decrypt(".".join((prefix, "k1", wrapped, body)), context=CONTEXT)


def test_decrypt_fails_when_key_id_is_not_in_the_keyring(settings):
    settings.TAXGOV_PII_KEYS = f"gone:{KEY_OTHER}"
    stored = pii.encrypt("123-45-6789", context=CONTEXT)
    settings.TAXGOV_PII_KEYS = f"k2:{KEY_TWO},k1:{KEY_ONE}"

    with pytest.raises(pii.DecryptionError, match="not in the keyring"):
        pii.decrypt(stored, context=CONTEXT)


@pytest.mark.parametrize("stored", ["123-45-6789", "pii2.k2.AAAA.AAAA", "pii1.k2.AAAA", "pii1.k2.a.b"])
def test_decrypt_fails_when_value_is_not_an_encrypted_value(stored):
    with pytest.raises(pii.DecryptionError):
        pii.decrypt(stored, context=CONTEXT)


def test_decrypt_fails_with_decryption_error_when_value_is_truncated():
    prefix, key_id, wrapped, _ = pii.encrypt("123-45-6789", context=CONTEXT).split(".")

    with pytest.raises(pii.DecryptionError):
        pii.decrypt(".".join((prefix, key_id, wrapped, "AAAA")), context=CONTEXT)


def test_rewrap_moves_a_value_from_the_second_key_to_the_primary(settings):
    settings.TAXGOV_PII_KEYS = f"k1:{KEY_ONE}"
    old = pii.encrypt("123-45-6789", context=CONTEXT)
    settings.TAXGOV_PII_KEYS = f"k2:{KEY_TWO},k1:{KEY_ONE}"

    assert pii.needs_rewrap(old)
    new = pii.rewrap(old, context=CONTEXT)

    assert new.split(".")[1] == "k2"
    assert not pii.needs_rewrap(new)
    assert new.split(".")[3] == old.split(".")[3], "the data itself is not re-encrypted"
    assert pii.decrypt(new, context=CONTEXT) == "123-45-6789"
    # Once every value is re-wrapped, the old key can leave the keyring.
    settings.TAXGOV_PII_KEYS = f"k2:{KEY_TWO}"
    assert pii.decrypt(new, context=CONTEXT) == "123-45-6789"
    with pytest.raises(pii.DecryptionError):
        pii.decrypt(old, context=CONTEXT)


def test_rewrap_returns_the_value_unchanged_when_already_under_the_primary():
    stored = pii.encrypt("123-45-6789", context=CONTEXT)

    assert not pii.needs_rewrap(stored)
    assert pii.rewrap(stored, context=CONTEXT) == stored


def test_rewrap_fails_when_context_differs(settings):
    settings.TAXGOV_PII_KEYS = f"k1:{KEY_ONE}"
    old = pii.encrypt("123-45-6789", context=CONTEXT)
    settings.TAXGOV_PII_KEYS = f"k2:{KEY_TWO},k1:{KEY_ONE}"

    with pytest.raises(pii.DecryptionError):
        pii.rewrap(old, context="ledger.Taxpayer.name")


def test_fingerprint_is_deterministic_for_the_same_value_and_context():
    first = pii.fingerprint("123456789", context=CONTEXT)

    assert first == pii.fingerprint("123456789", context=CONTEXT)
    assert len(first) == 64
    assert "123456789" not in first


def test_fingerprint_differs_by_context_and_by_value():
    base = pii.fingerprint("123456789", context=CONTEXT)

    assert pii.fingerprint("123456789", context="ledger.Taxpayer.ein") != base
    assert pii.fingerprint("123456788", context=CONTEXT) != base


def test_fingerprint_differs_when_fingerprint_key_differs(settings):
    base = pii.fingerprint("123456789", context=CONTEXT)
    settings.TAXGOV_PII_FINGERPRINT_KEY = "another-fingerprint-key"

    assert pii.fingerprint("123456789", context=CONTEXT) != base


def test_parse_keyring_puts_the_first_key_first():
    ring = pii.parse_keyring(f" k2:{KEY_TWO} , k1:{KEY_ONE}")

    assert ring.primary_id == "k2"
    assert ring.keys == {"k2": b"test-key-two-32-bytes-long-12345", "k1": b"test-key-one-32-bytes-long-12345"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (f"k1:{base64.b64encode(b'too short').decode()}", "must be 32 bytes"),
        (f"k1:{base64.b64encode(b'x' * 33).decode()}", "must be 32 bytes"),
        (f"k1:{KEY_ONE},k1:{KEY_TWO}", "appears twice"),
        (f"key-1:{KEY_ONE}", "alphanumeric"),
        (f"key_1:{KEY_ONE}", "alphanumeric"),
        (f":{KEY_ONE}", "alphanumeric"),
        ("", "alphanumeric"),
        (f"k1:{KEY_ONE},", "alphanumeric"),
        ("k1:@@@", "32 bytes|base64"),
    ],
)
def test_parse_keyring_rejects_bad_spec(spec, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        pii.parse_keyring(spec)


def test_encrypt_refuses_to_run_when_keyring_setting_is_bad(settings):
    settings.TAXGOV_PII_KEYS = "k1:c2hvcnQ="

    with pytest.raises(ImproperlyConfigured):
        pii.encrypt("123-45-6789", context=CONTEXT)
