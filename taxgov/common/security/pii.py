"""Envelope encryption for personal data at rest, and fingerprints for exact-match look-ups.

Each value gets its own data key (AES-256-GCM); the data key is stored wrapped by a key-
encryption key from settings. ``TAXGOV_PII_KEYS`` is a comma-separated list of
``key_id:base64(32 bytes)``; the first encrypts, all decrypt. Rotating means putting a new
key first and re-wrapping the data keys (``manage.py rotate_pii_keys``); the data itself
is not re-encrypted. The *context* (for example ``ledger.Taxpayer.tin``) is bound into both
layers as associated data, so a ciphertext moved to another column does not decrypt.

Stored form: ``pii1.<key id>.<wrapped data key>.<nonce + ciphertext>`` (URL-safe base64 parts).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "pii1"
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    """The value was not made by this keyring for this context, or it was altered."""


@dataclass(frozen=True)
class Keyring:
    primary_id: str
    keys: dict[str, bytes]


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=4)
def parse_keyring(spec: str) -> Keyring:
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for item in spec.split(","):
        key_id, _, encoded = item.strip().partition(":")
        if not key_id or not key_id.isalnum():
            raise ImproperlyConfigured("TAXGOV_PII_KEYS: each entry is key_id:base64key, key_id alphanumeric.")
        try:
            key = _b64d(encoded)
        except (binascii.Error, ValueError) as error:
            raise ImproperlyConfigured(f"TAXGOV_PII_KEYS: key {key_id!r} is not base64.") from error
        if len(key) != 32:
            raise ImproperlyConfigured(f"TAXGOV_PII_KEYS: key {key_id!r} must be 32 bytes, not {len(key)}.")
        if key_id in keys:
            raise ImproperlyConfigured(f"TAXGOV_PII_KEYS: key {key_id!r} appears twice.")
        keys[key_id] = key
        order.append(key_id)
    return Keyring(primary_id=order[0], keys=keys)


def keyring() -> Keyring:
    return parse_keyring(settings.TAXGOV_PII_KEYS)


def _wrap_aad(key_id: str, context: str) -> bytes:
    return f"taxgov-data-key|{key_id}|{context}".encode()


def encrypt(plaintext: str, *, context: str) -> str:
    ring = keyring()
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = nonce + AESGCM(data_key).encrypt(nonce, plaintext.encode(), context.encode())
    return _envelope(ring, data_key, body, context)


def _envelope(ring: Keyring, data_key: bytes, body: bytes, context: str) -> str:
    """The stored form: the data key wrapped by the primary key, then the encrypted value."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    wrapped = nonce + AESGCM(ring.keys[ring.primary_id]).encrypt(nonce, data_key, _wrap_aad(ring.primary_id, context))
    return ".".join((PREFIX, ring.primary_id, _b64e(wrapped), _b64e(body)))


def _parts(stored: str) -> tuple[str, bytes, bytes]:
    parts = stored.split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise DecryptionError("not an encrypted value")
    try:
        wrapped, body = _b64d(parts[2]), _b64d(parts[3])
    except (binascii.Error, ValueError) as error:
        raise DecryptionError("malformed encrypted value") from error
    if len(wrapped) < NONCE_BYTES + TAG_BYTES or len(body) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("truncated encrypted value")
    return parts[1], wrapped, body


def _unwrap(ring: Keyring, key_id: str, wrapped: bytes, context: str) -> bytes:
    key = ring.keys.get(key_id)
    if key is None:
        raise DecryptionError(f"key {key_id!r} is not in the keyring")
    try:
        return AESGCM(key).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_aad(key_id, context))
    except InvalidTag as error:
        raise DecryptionError("data key does not open with this key and context") from error


def decrypt(stored: str, *, context: str) -> str:
    ring = keyring()
    key_id, wrapped, body = _parts(stored)
    data_key = _unwrap(ring, key_id, wrapped, context)
    try:
        return AESGCM(data_key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], context.encode()).decode()
    except InvalidTag as error:
        raise DecryptionError("value does not open with its data key and context") from error


def needs_rewrap(stored: str) -> bool:
    return _parts(stored)[0] != keyring().primary_id


def rewrap(stored: str, *, context: str) -> str:
    """The same value with its data key wrapped by the primary key (no-op if it already is)."""
    ring = keyring()
    key_id, wrapped, body = _parts(stored)
    if key_id == ring.primary_id:
        return stored
    return _envelope(ring, _unwrap(ring, key_id, wrapped, context), body, context)


def fingerprint(normalized: str, *, context: str) -> str:
    """A keyed hash for exact-match look-ups (e.g. find a taxpayer by SSN) without decrypting.

    The caller normalizes first (digits only for an SSN), so equal values give equal prints.
    """
    key = settings.TAXGOV_PII_FINGERPRINT_KEY.encode()
    return hmac.new(key, f"{context}\x00{normalized}".encode(), hashlib.sha256).hexdigest()
