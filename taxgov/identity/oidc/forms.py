"""Validation of a client's registration (used by ``manage.py register_client``)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from taxgov.identity.oidc.claims import SCOPE_CLAIMS
from taxgov.identity.oidc.models import AuthMethod

LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "k"})


def check_redirect_uri(uri: str) -> str:
    """HTTPS, or plain HTTP on this machine only (development); no fragment (RFC 6749 3.1.2)."""
    parts = urlsplit(uri)
    if parts.fragment or not parts.hostname:
        raise ValidationError(f"{uri}: a redirect URI is an absolute URL without a fragment.")
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise ValidationError(f"{uri}: use HTTPS (plain HTTP only on localhost).")
    return uri


class ClientRegistrationForm(forms.Form):
    client_id = forms.RegexField(regex=r"^[A-Za-z0-9._:-]{3,100}$")
    name = forms.CharField(max_length=200)
    auth_method = forms.ChoiceField(choices=AuthMethod.choices)
    redirect_uris = forms.JSONField()
    post_logout_redirect_uris = forms.JSONField(required=False)
    scopes = forms.MultipleChoiceField(choices=[(scope, scope) for scope in SCOPE_CLAIMS])
    acr_values = forms.MultipleChoiceField(choices=[])
    jwks = forms.JSONField(required=False)

    def __init__(self, *args: Any, acr_choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        acr_field = self.fields["acr_values"]
        assert isinstance(acr_field, forms.MultipleChoiceField)  # noqa: S101 (declared above)
        acr_field.choices = [(acr, acr) for acr in acr_choices]

    def _uris(self, name: str) -> list[str]:
        value = self.cleaned_data.get(name) or []
        if not isinstance(value, list) or not all(isinstance(uri, str) for uri in value):
            raise ValidationError("Give a list of URLs.")
        return [check_redirect_uri(uri) for uri in value]

    def clean_redirect_uris(self) -> list[str]:
        uris = self._uris("redirect_uris")
        if not uris:
            raise ValidationError("Give at least one redirect URI.")
        return uris

    def clean_post_logout_redirect_uris(self) -> list[str]:
        return self._uris("post_logout_redirect_uris")

    def clean_scopes(self) -> list[str]:
        scopes = list(self.cleaned_data["scopes"])
        if "openid" not in scopes:
            raise ValidationError("A client of an OpenID provider needs the openid scope.")
        return scopes

    def clean_jwks(self) -> dict[str, Any]:
        jwks = self.cleaned_data.get("jwks") or {}
        if not jwks:
            return {}
        if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list) or not jwks["keys"]:
            raise ValidationError("A JWKS is an object with a non-empty list of keys.")
        if any(PRIVATE_MEMBERS & set(key) for key in jwks["keys"] if isinstance(key, dict)):
            raise ValidationError("Register the client's public keys only; never its private key.")
        try:
            KeySet.import_key_set(json.loads(json.dumps(jwks)))
        except (JoseError, ValueError, TypeError) as error:
            raise ValidationError(f"The JWKS could not be read: {error}") from None
        return jwks

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("auth_method") == AuthMethod.PRIVATE_KEY_JWT and not cleaned.get("jwks"):
            self.add_error("jwks", "A private_key_jwt client needs its public keys (a JWKS).")
        return cleaned
