"""What the provider can say about a person: the scopes a client may ask for, the claims
each releases (of which a client receives only those registered for it), and the assurance
levels (``acr``) a client may ask for.

Scopes beyond ``openid`` and ``email`` carry verified identity data (Login.gov's IAL2-only
scopes).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from taxgov.identity.verification.queries import verified_identity

SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    "openid": ("sub",),
    "email": ("email", "email_verified"),
    "profile": ("given_name", "family_name", "birthdate"),
    "address": ("address",),
    "phone": ("phone_number", "phone_number_verified"),
    "social_security_number": ("social_security_number",),
    "profile:verified_at": ("verified_at",),
}
# What the consent page says each claim shares; a claim that only qualifies another
# (``email_verified``, ``family_name`` with ``given_name``) shares nothing of its own.
CLAIM_DESCRIPTIONS: dict[str, Promise] = {
    "email": gettext_lazy("Your email address"),
    "given_name": gettext_lazy("Your name"),
    "family_name": gettext_lazy("Your name"),
    "birthdate": gettext_lazy("Your date of birth"),
    "address": gettext_lazy("Your home address"),
    "phone_number": gettext_lazy("Your phone number"),
    "social_security_number": gettext_lazy("Your Social Security number"),
    "verified_at": gettext_lazy("When you verified your identity"),
}
# Always in the ID token: how the person signed in and how well they are known.
ASSURANCE_CLAIMS = ("acr", "amr", "aal", "ial", "auth_time")
# Always in userinfo, whatever the client's registration: who (pairwise) and how well known.
ALWAYS_RELEASED = frozenset({"sub", "ial", "aal"})


def claims_of(scopes: list[str] | set[str]) -> list[str]:
    """The claims these scopes release, in a stable order, ``sub`` left out (always given)."""
    return [claim for scope in SCOPE_CLAIMS if scope in scopes for claim in SCOPE_CLAIMS[scope] if claim != "sub"]


def shared_with(scopes: list[str], registered: list[str]) -> list[str]:
    """What the consent page lists: one line per thing the client would receive."""
    lines: list[str] = []
    for claim in claims_of(scopes):
        description = CLAIM_DESCRIPTIONS.get(claim)
        if claim in registered and description is not None and str(description) not in lines:
            lines.append(str(description))
    return lines


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


def verified_scopes() -> frozenset[str]:
    """Scopes that release verified identity data: only with an identity-verified sign-in."""
    return frozenset(SCOPE_CLAIMS) - {"openid", "email"}


def assurance(acr: str) -> dict[str, str]:
    """``ial`` and ``aal`` as numbers (NIST SP 800-63-3 levels), alongside the ``acr`` URI."""
    return {"ial": "2" if acr == acr_verified() else "1", "aal": "2"}


def released_claims(user: Any, subject: str, scopes: set[str], acr: str, registered: list[str]) -> dict[str, Any]:
    """What userinfo answers: the claims of the scopes granted that are registered for the
    client; verified data only when the sign-in was identity-verified and the person is."""
    found = _claims_of_person(user, subject, scopes, acr)
    return {claim: value for claim, value in found.items() if claim in ALWAYS_RELEASED or claim in registered}


def _claims_of_person(user: Any, subject: str, scopes: set[str], acr: str) -> dict[str, Any]:
    released: dict[str, Any] = {"sub": subject, **assurance(acr)}
    if "email" in scopes:
        released["email"] = user.email
        released["email_verified"] = user.email_confirmed_at is not None
    if not scopes & verified_scopes() or acr != acr_verified():
        return released
    case = verified_identity(user.pk)
    if case is None:
        return released
    if "profile" in scopes:
        released.update(given_name=case.first_name, family_name=case.last_name, birthdate=case.date_of_birth)
    if "address" in scopes:
        street = "\n".join(line for line in (case.address_line1, case.address_line2) if line)
        released["address"] = {
            "street_address": street,
            "locality": case.city,
            "region": case.state,
            "postal_code": case.postal_code,
            "country": "US",
        }
    if "phone" in scopes and case.phone_confirmed_at is not None:
        released.update(phone_number=case.phone, phone_number_verified=True)
    if "social_security_number" in scopes:
        released["social_security_number"] = case.tin
    if "profile:verified_at" in scopes and case.decided_at is not None:
        released["verified_at"] = int(case.decided_at.timestamp())
    return released
