"""Audit event tags of the OpenID Connect provider, named ``source:subject:action``."""

from enum import StrEnum


class OidcTag(StrEnum):
    CLIENT_REGISTERED = "identity:oidc:client_registered"
    CLIENT_UPDATED = "identity:oidc:client_updated"
    SIGNING_KEY_ROTATED = "identity:oidc:signing_key_rotated"
