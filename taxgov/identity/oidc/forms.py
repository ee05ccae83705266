"""Validation of a client's registration: the staff page and ``manage.py register_client``
share this form."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from taxgov.identity.oidc import claims
from taxgov.identity.oidc.models import AuthMethod, Client

LOOPBACK = frozenset({"localhost", "127.0.0.1"})
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "k"})
AUTH_METHOD_LABELS = {
    AuthMethod.PRIVATE_KEY_JWT: gettext_lazy(
        "Signed assertion (private_key_jwt): the client's public keys are registered"
    ),
    AuthMethod.CLIENT_SECRET_BASIC: gettext_lazy("Client secret (client_secret_basic): a secret shown once"),
}


def check_redirect_uri(uri: str) -> str:
    """HTTPS, or plain HTTP on this machine only (development); no fragment (RFC 6749 3.1.2);
    a host name or IPv4 address, since the Content-Security-Policy that lets forms post to
    the client (``form-action``) cannot name an IPv6 address."""
    parts = urlsplit(uri)
    if parts.fragment or not parts.hostname:
        raise ValidationError(_("%(uri)s: a redirect URI is an absolute URL without a fragment.") % {"uri": uri})
    if ":" in parts.hostname:  # only an IPv6 address has a colon in its host
        raise ValidationError(_("%(uri)s: use a host name, not an IPv6 address.") % {"uri": uri})
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise ValidationError(_("%(uri)s: use HTTPS (plain HTTP only on localhost).") % {"uri": uri})
    return uri


class ClientRegistrationForm(forms.Form):
    """A new client, or (with ``client``) the changes to one: its id never changes."""

    client_id = forms.RegexField(
        label=gettext_lazy("Client ID"),
        regex=r"^[A-Za-z0-9._:-]{3,100}$",
        help_text=gettext_lazy(
            "3 to 100 letters, digits, dots, underscores, colons or hyphens. It cannot change later."
        ),
        error_messages={"invalid": gettext_lazy("Use 3 to 100 letters, digits, dots, underscores, colons or hyphens.")},
    )
    name = forms.CharField(
        label=gettext_lazy("Agency name"),
        max_length=200,
        help_text=gettext_lazy("As the consent page names it to people."),
    )
    auth_method = forms.ChoiceField(
        label=gettext_lazy("How the client proves who it is at the token endpoint"),
        choices=list(AUTH_METHOD_LABELS.items()),
        widget=forms.RadioSelect,
    )
    redirect_uris = forms.CharField(
        label=gettext_lazy("Redirect URIs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line, matched exactly. HTTPS (plain HTTP only on localhost)."),
    )
    post_logout_redirect_uris = forms.CharField(
        label=gettext_lazy("Addresses to return to after signing out (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("One per line."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes it may ask for"),
        choices=[(scope, scope) for scope in claims.SCOPE_CLAIMS],
        widget=forms.CheckboxSelectMultiple,
    )
    claims = forms.MultipleChoiceField(
        label=gettext_lazy("Claims it may receive"),
        choices=[(claim, claim) for claim in claims.claims_of(list(claims.SCOPE_CLAIMS))],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Each from a scope chosen above. It always receives sub, ial and aal."),
    )
    acr_values = forms.MultipleChoiceField(
        label=gettext_lazy("Assurance levels it may ask for"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    jwks = forms.CharField(
        label=gettext_lazy("Public keys (JWKS)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=gettext_lazy('For a signed assertion: {"keys": [...]}, public keys only.'),
    )
    new_secret = forms.BooleanField(
        label=gettext_lazy("Make a new client secret (the current one stops working)"), required=False
    )

    def __init__(self, *args: Any, client: Client | None = None, **kwargs: Any) -> None:
        if client is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(client)
        super().__init__(*args, **kwargs)
        self.client = client
        acr_field = self.fields["acr_values"]
        assert isinstance(acr_field, forms.MultipleChoiceField)  # noqa: S101 (declared above)
        acr_field.choices = [
            (claims.acr_auth_only(), _("Signed in with a second step (%(acr)s)") % {"acr": claims.acr_auth_only()}),
            (claims.acr_verified(), _("Identity verified (%(acr)s)") % {"acr": claims.acr_verified()}),
        ]
        if client is None:
            del self.fields["new_secret"]
        else:
            self.fields["client_id"].disabled = True
            self.fields["client_id"].help_text = ""

    def makes_a_secret(self) -> bool:
        """A new client secret is made (and shown once) for a new secret client, one that
        had none, or when asked for."""
        if self.cleaned_data["auth_method"] != AuthMethod.CLIENT_SECRET_BASIC:
            return False
        return self.client is None or not self.client.secret_hash or bool(self.cleaned_data.get("new_secret"))

    def clean_client_id(self) -> str:
        client_id = str(self.cleaned_data["client_id"])
        if client_id == "new":  # the staff pages' address for registering one
            raise ValidationError(_("Choose another client ID."))
        if self.client is None and Client.objects.filter(client_id=client_id).exists():
            raise ValidationError(_("A client with this ID is registered already."))
        return client_id

    def _uris(self, name: str) -> list[str]:
        lines = str(self.cleaned_data.get(name) or "").splitlines()
        return [check_redirect_uri(uri) for uri in (line.strip() for line in lines) if uri]

    def clean_redirect_uris(self) -> list[str]:
        uris = self._uris("redirect_uris")
        if not uris:
            raise ValidationError(_("Give at least one redirect URI."))
        return uris

    def clean_post_logout_redirect_uris(self) -> list[str]:
        return self._uris("post_logout_redirect_uris")

    def clean_scopes(self) -> list[str]:
        scopes = list(self.cleaned_data["scopes"])
        if "openid" not in scopes:
            raise ValidationError(_("A client of an OpenID provider needs the openid scope."))
        return scopes

    def clean_jwks(self) -> dict[str, Any]:
        text = str(self.cleaned_data.get("jwks") or "").strip()
        if not text:
            return {}
        try:
            jwks = json.loads(text)
        except ValueError:
            raise ValidationError(_("The JWKS is not valid JSON.")) from None
        if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list) or not jwks["keys"]:
            raise ValidationError(_("A JWKS is an object with a non-empty list of keys."))
        if any(PRIVATE_MEMBERS & set(key) for key in jwks["keys"] if isinstance(key, dict)):
            raise ValidationError(_("Register the client's public keys only; never its private key."))
        try:
            KeySet.import_key_set(json.loads(json.dumps(jwks)))
        except (JoseError, ValueError, TypeError):
            raise ValidationError(_("The JWKS could not be read as a set of public keys.")) from None
        return jwks

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        released = claims.claims_of(cleaned.get("scopes", []))
        stray = [claim for claim in cleaned.get("claims", []) if claim not in released]
        if stray and "scopes" in cleaned:
            self.add_error("claims", _("No scope chosen releases %(claims)s.") % {"claims": ", ".join(sorted(stray))})
        if cleaned.get("auth_method") == AuthMethod.PRIVATE_KEY_JWT and not cleaned.get("jwks"):
            self.add_error("jwks", _("A client that signs assertions needs its public keys (a JWKS)."))
        return cleaned


def initial_for(client: Client) -> dict[str, Any]:
    return {
        "client_id": client.client_id,
        "name": client.name,
        "auth_method": client.auth_method,
        "redirect_uris": "\n".join(client.redirect_uris),
        "post_logout_redirect_uris": "\n".join(client.post_logout_redirect_uris),
        "scopes": client.scopes,
        "claims": client.claims,
        "acr_values": client.acr_values,
        "jwks": json.dumps(client.jwks, indent=2) if client.jwks else "",
    }
