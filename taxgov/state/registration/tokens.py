"""The Activate link: a signed, expiring token naming the logon. It is single use because
activating is one-way: once ``activated_at`` is set the link only says so."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

SALT = "taxgov.state.registration.activate"


def activation_token(user_id: int) -> str:
    return signing.dumps({"user": user_id}, salt=SALT, compress=True)


def user_id_from_token(token: str) -> int | None:
    """The logon the token names, or None if it is forged, altered or expired."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.TAXGOV_STATE_ACTIVATION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    user_id = payload.get("user") if isinstance(payload, dict) else None
    return user_id if isinstance(user_id, int) else None
