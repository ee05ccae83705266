"""Reading the provider's records: its issuer, its keys, subjects, consents and tokens."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest

from taxgov.identity.oidc import claims
from taxgov.identity.oidc.models import AccessToken, Client, Consent, SigningKey


def issuer(request: HttpRequest) -> str:
    """The issuer identifier: configured in production, this server's address in development
    (every URL in the discovery document starts with it)."""
    return str(settings.TAXGOV_OIDC["issuer"] or request.build_absolute_uri("/")).rstrip("/")


def published_keys(now: dt.datetime) -> QuerySet[SigningKey]:
    """The keys in the JWKS: the active ones, and retired ones while an ID token they signed
    may still be valid (its lifetime, plus a minute for clocks)."""
    grace = dt.timedelta(seconds=settings.TAXGOV_OIDC["token_seconds"] + 60)
    return SigningKey.objects.filter(Q(retired_at__isnull=True) | Q(retired_at__gt=now - grace)).order_by("-created_at")


def active_key() -> SigningKey | None:
    """The key that signs: the newest one not retired."""
    return SigningKey.objects.filter(retired_at__isnull=True).order_by("-created_at").first()


def token_hash(value: str) -> str:
    """Codes, access tokens and client secrets are random and long: a plain SHA-256 finds
    them, and a leaked table holds none that works."""
    return hashlib.sha256(value.encode()).hexdigest()


def subject_for(user_id: int, client: Client) -> str:
    """The pairwise subject (OIDC Core 8.1): the same person gets a different ``sub`` in each
    sector, so agencies cannot join their records on it; stable for the account's life."""
    key = settings.TAXGOV_OIDC["pairwise_key"].encode()
    digest = hmac.new(key, f"{client.sector}|{user_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def live_consent(user_id: int, client: Client) -> Consent | None:
    return Consent.objects.filter(user_id=user_id, client=client, revoked_at__isnull=True).first()


def claims_allowed(scopes: list[str], client: Client) -> list[str]:
    """The claims a request for these scopes would give this client, as registered now."""
    return sorted(set(claims.claims_of(scopes)) & set(client.claims))


def consent_covers(consent: Consent | None, scopes: list[str], client: Client) -> bool:
    """The person already allowed every scope asked and every claim it would now release (a
    claim added to the client's registration later is asked about before it is released)."""
    if consent is None:
        return False
    return set(scopes) <= set(consent.scopes) and set(claims_allowed(scopes, client)) <= set(consent.claims)


def connected_agencies(user_id: int) -> QuerySet[Consent]:
    """The agencies this person allowed, for the account page."""
    return (
        Consent.objects.filter(user_id=user_id, revoked_at__isnull=True)
        .select_related("client")
        .order_by("-granted_at")
    )


def live_access_token(token: str, now: dt.datetime) -> AccessToken | None:
    """The access token, if it exists, is not revoked or expired, and its client is enabled."""
    return (
        AccessToken.objects.filter(
            token_hash=token_hash(token),
            revoked_at__isnull=True,
            expires_at__gt=now,
            client__disabled_at__isnull=True,
        )
        .select_related("client", "user")
        .first()
    )


def enabled_client(client_id: str) -> Client | None:
    """The enabled client a request names. No registered id holds a NUL, and PostgreSQL refuses
    one in a query (an error, not an empty answer), so such an id names no client."""
    if "\x00" in client_id:
        return None
    return Client.objects.filter(client_id=client_id, disabled_at__isnull=True).first()


def client_origins(client_id: str) -> list[str]:
    """The origins of an enabled client's redirect and post-logout URIs."""
    client = enabled_client(client_id)
    if client is None:
        return []
    return sorted(
        {
            f"{parts.scheme}://{parts.netloc}"
            for parts in map(urlsplit, [*client.redirect_uris, *client.post_logout_redirect_uris])
        }
    )


def registered_clients() -> list[Client]:
    """Every client, enabled ones first, for the staff page."""
    return list(Client.objects.order_by(F("disabled_at").asc(nulls_first=True), "name"))
