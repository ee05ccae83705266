"""The identity provider, as this relying party talks to it: over HTTPS (plain HTTP only on
this machine in development), through its discovery document, with Authlib's OAuth client
for the token request (``private_key_jwt``) and joserfc for the ID token.

Nothing here trusts the browser: the code is exchanged server to server, the ID token's
signature, issuer, audience, lifetime, nonce and ``acr`` are checked, and userinfo must be
about the same subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, KeySetSerialization, RSAKey

METADATA_SECONDS = 300  # how long the discovery document and the JWKS are cached


class SignInError(Exception):
    """The provider's answer could not be trusted or was not there; ``reason`` is for logs
    and audit, never for the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def config() -> dict[str, Any]:
    return dict(settings.TAXGOV_OIDC_CLIENT)


def _get_json(url: str) -> dict[str, Any]:
    try:
        answer = requests.get(url, timeout=config()["http_timeout"])
        answer.raise_for_status()
        data = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise SignInError(f"could not read {url}: {type(error).__name__}") from None
    if not isinstance(data, dict):
        raise SignInError(f"{url} did not answer a JSON object")
    return data


def metadata() -> dict[str, Any]:
    """The provider's discovery document; its issuer must be the one configured."""
    issuer = config()["issuer"].rstrip("/")
    key = f"federal.oidc.metadata:{issuer}"
    document = cache.get(key)
    if document is None:
        document = _get_json(f"{issuer}/.well-known/openid-configuration")
        if document.get("issuer") != issuer:
            raise SignInError("the discovery document names another issuer")
        cache.set(key, document, METADATA_SECONDS)
    return dict(document)


def _keys(refresh: bool = False) -> KeySet:
    url = metadata()["jwks_uri"]
    key = f"federal.oidc.jwks:{url}"
    document = None if refresh else cache.get(key)
    if document is None:
        document = _get_json(url)
        cache.set(key, document, METADATA_SECONDS)
    return KeySet.import_key_set(cast(KeySetSerialization, document))


def public_jwks() -> dict[str, Any]:
    """Our public key, as the provider registers it."""
    key = RSAKey.import_key(config()["private_key"])
    return {"keys": [{**key.as_dict(private=False), "kid": key.thumbprint(), "use": "sig", "alg": "RS256"}]}


@dataclass(frozen=True)
class Request:
    """One sign-in's secrets, kept in the session until the provider sends the person back."""

    state: str
    nonce: str
    verifier: str
    acr: str


def authorization_url(pending: Request, *, redirect_uri: str, prompt: str = "") -> str:
    session = OAuth2Session(
        config()["client_id"],
        scope=" ".join(config()["scopes"]),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    params: dict[str, str] = {"acr_values": pending.acr, "nonce": pending.nonce}
    if prompt:
        params["prompt"] = prompt
    url, _state = session.create_authorization_url(
        metadata()["authorization_endpoint"],
        state=pending.state,
        code_verifier=pending.verifier,
        **params,
    )
    return str(url)


def redeem(code: str, pending: Request, *, redirect_uri: str) -> dict[str, Any]:
    """Exchange the code for tokens, signing in to the token endpoint with our key."""
    token_endpoint = metadata()["token_endpoint"]
    key = RSAKey.import_key(config()["private_key"])
    session = OAuth2Session(
        config()["client_id"],
        key,
        token_endpoint_auth_method=PrivateKeyJWT(token_endpoint, headers={"kid": key.thumbprint()}, alg="RS256"),
        redirect_uri=redirect_uri,
    )
    try:
        tokens = session.fetch_token(
            token_endpoint,
            grant_type="authorization_code",
            code=code,
            code_verifier=pending.verifier,
            timeout=config()["http_timeout"],
        )
    except OAuthError as error:
        raise SignInError(f"token endpoint refused: {error.error}") from None
    except requests.RequestException as error:
        raise SignInError(f"token endpoint unreachable: {type(error).__name__}") from None
    return dict(tokens)


def verify_id_token(id_token: str, pending: Request) -> dict[str, Any]:
    """The ID token's claims, once every check of OIDC Core 3.1.3.7 passed."""
    try:
        try:
            decoded = jwt.decode(id_token, _keys(), algorithms=["RS256"])
        except JoseError:
            decoded = jwt.decode(id_token, _keys(refresh=True), algorithms=["RS256"])  # keys were rotated
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": metadata()["issuer"]},
            aud={"essential": True, "value": config()["client_id"]},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": pending.nonce},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise SignInError(f"ID token rejected: {type(error).__name__}") from None
    claims = dict(decoded.claims)
    audience = claims["aud"]
    if isinstance(audience, list) and (len(audience) != 1 or claims.get("azp", audience[0]) != config()["client_id"]):
        raise SignInError("ID token for several audiences")
    return claims


def userinfo(access_token: str, subject: str) -> dict[str, Any]:
    try:
        answer = requests.get(
            metadata()["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=config()["http_timeout"],
        )
        answer.raise_for_status()
        claims = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise SignInError(f"userinfo failed: {type(error).__name__}") from None
    if not isinstance(claims, dict) or claims.get("sub") != subject:
        raise SignInError("userinfo is about another subject")
    return claims


def logout_url(*, id_token: str, redirect_uri: str, state: str) -> str | None:
    """Where to send the browser so the provider signs the person out too (RP-Initiated
    Logout 1.0), or None if the provider has no such endpoint."""
    try:
        endpoint = metadata().get("end_session_endpoint")
    except SignInError:
        return None
    if not endpoint:
        return None
    query = {"client_id": config()["client_id"], "post_logout_redirect_uri": redirect_uri, "state": state}
    if id_token:
        query["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(query)}"
