"""One-time codes: six digits for what arrives in minutes (sign-in, email and phone
confirmation), ten characters for a letter that must stay unguessable for weeks. A code is
kept only as a keyed hash bound to what it was sent for, so a leaked table reveals no code
and a code for one purpose or account never checks for another."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


# Crockford's base 32: no I, L, O or U, so a code copied from paper is hard to get wrong.
LETTER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LETTER_CODE_LENGTH = 10  # 50 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_letter_code() -> str:
    return "".join(secrets.choice(LETTER_ALPHABET) for _ in range(LETTER_CODE_LENGTH))


def letter_code_for_print(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def normalize_letter_code(typed: str) -> str | None:
    """A letter code as typed (any case, spaces or dashes, O for 0, I or L for 1), or None."""
    code = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != LETTER_CODE_LENGTH or any(character not in LETTER_ALPHABET for character in code):
        return None
    return code


def code_hash(purpose: str, subject: object, code: str) -> str:
    key = f"{settings.SECRET_KEY}|{purpose}|{subject}".encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
