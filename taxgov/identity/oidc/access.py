"""How views get the provider's records: a person's own consents only, and registered
clients for staff with the ``manage_clients`` permission; 404 otherwise."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from taxgov.common.access.rules import signed_in_user_id
from taxgov.identity.oidc.models import Client, Consent
from taxgov.identity.signin.access import staff_with

CLIENT_MANAGER = staff_with("identity_oidc.manage_clients")


def own_consent(request: HttpRequest, public_id: uuid.UUID) -> Consent:
    consent = (
        Consent.objects.filter(public_id=public_id, user_id=signed_in_user_id(request), revoked_at__isnull=True)
        .select_related("client")
        .first()
    )
    if consent is None:
        raise Http404
    return consent


def registered_client(request: HttpRequest, client_id: str) -> Client:
    """A client, for a view behind ``CLIENT_MANAGER``. No id holds a NUL (PostgreSQL refuses one
    in a query)."""
    client = Client.objects.filter(client_id=client_id).first() if "\x00" not in client_id else None
    if client is None:
        raise Http404
    return client
