"""Six-digit one-time codes (sign-in, email confirmation, phone confirmation). A code is kept
only as a keyed hash bound to what it was sent for, so a leaked table reveals no code and a
code for one purpose or account never checks for another."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def code_hash(purpose: str, subject: object, code: str) -> str:
    key = f"{settings.SECRET_KEY}|{purpose}|{subject}".encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
