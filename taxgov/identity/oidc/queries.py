"""Reading the provider's records: its issuer, and the keys it publishes and signs with."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from taxgov.identity.oidc.models import SigningKey


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
