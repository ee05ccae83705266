"""Audit event tags of the OpenID Connect provider, named ``source:subject:action``."""

from enum import StrEnum


class OidcTag(StrEnum):
    CLIENT_REGISTERED = "identity:oidc:client_registered"
    CLIENT_UPDATED = "identity:oidc:client_updated"
    CLIENT_DISABLED = "identity:oidc:client_disabled"
    CLIENT_ENABLED = "identity:oidc:client_enabled"
    SIGNING_KEY_ROTATED = "identity:oidc:signing_key_rotated"
    CODE_ISSUED = "identity:oidc:code_issued"
    CODE_REPLAYED = "identity:oidc:code_replayed"
    TOKEN_ISSUED = "identity:oidc:token_issued"  # noqa: S105 (an event name)
    TOKEN_REFUSED = "identity:oidc:token_refused"  # noqa: S105 (an event name)
    ASSERTION_REPLAYED = "identity:oidc:assertion_replayed"
    CONSENT_GRANTED = "identity:oidc:consent_granted"
    CONSENT_REFUSED = "identity:oidc:consent_refused"
    CONSENT_REVOKED = "identity:oidc:consent_revoked"
    SIGNED_OUT_BY_CLIENT = "identity:oidc:signed_out_by_client"
