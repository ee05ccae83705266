"""What the provider can say about a person: the scopes a client may ask for, the claims
each releases, and the assurance levels (``acr``) a client may ask for.

Scopes beyond ``openid`` and ``email`` carry verified identity data (Login.gov's IAL2-only
scopes).
"""

from __future__ import annotations

from django.conf import settings

SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    "openid": ("sub",),
    "email": ("email", "email_verified"),
    "profile": ("given_name", "family_name", "birthdate"),
    "address": ("address",),
    "phone": ("phone_number", "phone_number_verified"),
    "social_security_number": ("social_security_number",),
    "profile:verified_at": ("verified_at",),
}
# Always in the ID token: how the person signed in and how well they are known.
ASSURANCE_CLAIMS = ("acr", "amr", "aal", "ial", "auth_time")


def acr_auth_only() -> str:
    """Authentication only: a password and a second step (AAL2), identity not verified."""
    return str(settings.TAXGOV_OIDC["acr_auth_only"])


def acr_verified() -> str:
    """Identity verified (IAL2), with AAL2 sign-in."""
    return str(settings.TAXGOV_OIDC["acr_verified"])


def supported_acr_values() -> list[str]:
    return [acr_auth_only(), acr_verified()]


def supported_claims() -> list[str]:
    return sorted({claim for claims in SCOPE_CLAIMS.values() for claim in claims} | set(ASSURANCE_CLAIMS))
