"""Links sent by e-mail that more than one module makes."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from taxgov.identity.accounts.models import User


def password_reset_link(base_url: str, user: User) -> str:
    """Single use (Django's token changes with the password) and ``PASSWORD_RESET_TIMEOUT`` long."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("account:reset_password", kwargs={"uidb64": uid, "token": token})
