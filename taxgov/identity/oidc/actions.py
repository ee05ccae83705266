"""Every write of the OpenID Connect provider, each in a transaction with its audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from joserfc.jwk import RSAKey

from taxgov.common.audit.actions import record_event
from taxgov.identity.oidc.models import AuthMethod, Client, SigningKey
from taxgov.identity.oidc.tags import OidcTag

RSA_BITS = 2048


def secret_hash(secret: str) -> str:
    """Client secrets are 256-bit random strings: a plain SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def do_rotate_signing_key(*, actor: str, now: dt.datetime | None = None) -> SigningKey:
    """Make a new key the signing key and retire the others: they stay in the JWKS until
    the ID tokens they signed have expired (``queries.published_keys``)."""
    now = now or timezone.now()
    retired = list(SigningKey.objects.select_for_update().filter(retired_at__isnull=True).values_list("kid", flat=True))
    SigningKey.objects.filter(kid__in=retired).update(retired_at=now)
    key = RSAKey.generate_key(RSA_BITS, auto_kid=True)
    signing_key = SigningKey.objects.create(
        kid=key.thumbprint(),
        private_pem=key.as_pem(private=True).decode(),
        public_jwk={**key.as_dict(private=False), "use": "sig", "alg": "RS256"},
        created_at=now,
    )
    record_event(
        OidcTag.SIGNING_KEY_ROTATED,
        actor=actor,
        subject=f"signing_key:{signing_key.kid}",
        extra={"retired": retired},
    )
    return signing_key


@transaction.atomic
def do_register_client(data: dict[str, Any], *, secret: str | None, actor: str) -> tuple[Client, bool]:
    """Create the client, or update the one with this ``client_id``; a new secret replaces
    the old one. Returns the client and whether it was created."""
    redirect_host = urlsplit(data["redirect_uris"][0]).hostname or ""
    fields = {
        "name": data["name"],
        "auth_method": data["auth_method"],
        "redirect_uris": data["redirect_uris"],
        "post_logout_redirect_uris": data.get("post_logout_redirect_uris") or [],
        "scopes": data["scopes"],
        "acr_values": data["acr_values"],
        "jwks": data.get("jwks") or {},
    }
    client = Client.objects.select_for_update().filter(client_id=data["client_id"]).first()
    created = client is None
    if client is None:
        client = Client(client_id=data["client_id"], sector=redirect_host)
    for name, value in fields.items():
        setattr(client, name, value)
    if secret is not None:
        client.secret_hash = secret_hash(secret)
    if client.auth_method == AuthMethod.PRIVATE_KEY_JWT:
        client.secret_hash = ""
    client.save()
    record_event(
        OidcTag.CLIENT_REGISTERED if created else OidcTag.CLIENT_UPDATED,
        actor=actor,
        subject=f"oidc_client:{client.client_id}",
        extra={"scopes": client.scopes, "acr_values": client.acr_values, "auth_method": client.auth_method},
    )
    return client, created
