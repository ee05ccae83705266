"""Authlib's authorization server, fitted to our records (ADR 0019).

Authlib does the protocol checks of RFC 6749 (code grant), RFC 7636 (PKCE), RFC 7523
(``private_key_jwt``) and OpenID Connect Core (nonce, prompt, ID token); the classes here
only read and write our models, through ``actions`` for every write. A server is built per
request because its issuer (and so the audience client assertions must name) comes from
the request when it is not configured.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from typing import Any

from authlib.integrations.django_oauth2 import AuthorizationServer
from authlib.oauth2.base import invalid_error_characters
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, UnsupportedResponseTypeError, scope_to_list
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from joserfc.jwk import KeySet, RSAKey

from taxgov.identity.oidc import actions, queries
from taxgov.identity.oidc.models import AccessToken, AuthMethod, AuthorizationCode, Client, SigningKey


class RegisteredClient(ClientMixin):
    """A registered client as Authlib asks about it."""

    def __init__(self, record: Client) -> None:
        self.record = record

    def get_client_id(self) -> str:
        return self.record.client_id

    def get_default_redirect_uri(self) -> None:
        return None  # OpenID Connect: every request names its redirect_uri

    def get_allowed_scope(self, scope: str) -> str | None:
        """All the scopes asked for, or None (``invalid_scope``) if one is not this client's."""
        asked = scope_to_list(scope) or []
        if any(name not in self.record.scopes for name in asked):
            return None
        return " ".join(asked)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.record.redirect_uris  # exact match, RFC 9700 2.1

    def check_client_secret(self, client_secret: str) -> bool:
        if self.record.auth_method != AuthMethod.CLIENT_SECRET_BASIC or not self.record.secret_hash:
            return False
        return hmac.compare_digest(actions.secret_hash(client_secret), self.record.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method == self.record.auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


class IssuedCode:
    """An authorization code as Authlib's grants read it."""

    def __init__(self, record: AuthorizationCode) -> None:
        self.record = record
        self.code_challenge = record.code_challenge
        self.code_challenge_method = "S256"

    def get_redirect_uri(self) -> str:
        return self.record.redirect_uri

    def get_scope(self) -> str:
        return self.record.scope

    def get_nonce(self) -> str:
        return self.record.nonce

    def get_auth_time(self) -> int:
        return int(self.record.auth_time.timestamp())

    def get_acr(self) -> str:
        return self.record.acr

    def get_amr(self) -> list[str]:
        return list(self.record.amr)


@dataclass
class SignIn:
    """How the person at the authorization endpoint signed in, and what the code will assert."""

    acr: str
    amr: list[str]
    auth_time: dt.datetime


class S256Required(CodeChallenge):
    """PKCE for every client, S256 only: a missing challenge or the ``plain`` method is refused."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE with S256 is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


class CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [AuthMethod.CLIENT_SECRET_BASIC.value, AuthMethod.PRIVATE_KEY_JWT.value]

    @staticmethod
    def validate_authorization_redirect_uri(request: Any, client: RegisteredClient) -> str:
        """Authlib's, without quoting an unregistered URI in the error: an error description
        holds printable ASCII only (RFC 6749 4.1.2.1), and Authlib raises ValueError otherwise."""
        uri = request.payload.redirect_uri
        if uri and not client.check_redirect_uri(uri):
            raise InvalidRequestError("The 'redirect_uri' is not registered for this client.")
        return str(AuthorizationCodeGrant.validate_authorization_redirect_uri(request, client))

    def save_authorization_code(self, code: str, request: Any) -> None:
        sign_in = self.server.sign_in
        actions.do_issue_code(
            code,
            client=request.client.record,
            user_id=request.user.pk,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            nonce=request.payload.data.get("nonce", ""),
            code_challenge=request.payload.data["code_challenge"],
            acr=sign_in.acr,
            amr=sign_in.amr,
            auth_time=sign_in.auth_time,
        )

    def query_authorization_code(self, code: str, client: RegisteredClient) -> IssuedCode | None:
        """Redeem the code, once. A code seen again is recorded, so the tokens it gave are
        revoked once this request's transaction is over (RFC 6749 4.1.2)."""
        redeemed, replayed = actions.do_redeem_code(code, client=client.record)
        if replayed is not None:
            self.server.replayed_code = replayed
        return IssuedCode(redeemed) if redeemed is not None else None

    def delete_authorization_code(self, authorization_code: IssuedCode) -> None:
        """Nothing to delete: ``query_authorization_code`` already marked the code used."""

    def authenticate_user(self, authorization_code: IssuedCode) -> Any:
        return authorization_code.record.user


@lru_cache(maxsize=4)
def parsed_private_key(private_pem: str) -> RSAKey:
    """Parsing checks the RSA key, which costs more than signing with it: once per process
    and key (a rotated key is a new PEM, so a new entry; bench/results/oidc-token.md)."""
    return RSAKey.import_key(private_pem)


@lru_cache(maxsize=32)
def parsed_public_keys(jwks: str) -> KeySet:
    """A client's public keys, parsed once per process and JWKS (as JSON, keys sorted): a
    changed registration is a new entry."""
    return KeySet.import_key_set(json.loads(jwks))


class IdToken(OpenIDCode):
    """The ID token: our signing key, the pairwise subject, and the assurance of the sign-in.
    Personal claims are not in it; the client reads them from userinfo."""

    def __init__(self, issuer: str) -> None:
        super().__init__(require_nonce=True)
        self.issuer = issuer

    @cached_property
    def key(self) -> SigningKey:
        key = queries.active_key()
        if key is None:
            raise RuntimeError("No signing key: run manage.py rotate_signing_key.")
        return key

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        if "\x00" in nonce:  # PostgreSQL cannot compare or store it: refused, as a replay would be
            raise InvalidRequestError("The 'nonce' holds a NUL character.")
        return AuthorizationCode.objects.filter(client__client_id=request.payload.client_id, nonce=nonce).exists()

    def resolve_client_private_key(self, client: RegisteredClient) -> RSAKey:
        return parsed_private_key(self.key.private_pem)

    def get_client_algorithm(self, client: RegisteredClient) -> str:
        return "RS256"

    def get_encode_header(self, client: RegisteredClient) -> dict[str, str]:
        return {"alg": "RS256", "kid": self.key.kid, "typ": "JWT"}

    def get_client_claims(self, client: RegisteredClient) -> dict[str, Any]:
        now = int(timezone.now().timestamp())
        return {
            "iss": self.issuer,
            "aud": client.get_client_id(),
            "iat": now,
            "exp": now + int(settings.TAXGOV_OIDC["token_seconds"]),
        }

    def get_compatible_claims(self, request: Any) -> dict[str, Any]:
        claims: dict[str, Any] = super().get_compatible_claims(request)
        claims["sub"] = queries.subject_for(request.user.pk, request.client.record)
        return claims

    def generate_user_info(self, user: Any, scope: str) -> UserInfo:
        return UserInfo()  # nothing personal in the ID token


class ClientAssertion(JWTBearerClientAssertion):
    """``private_key_jwt`` (RFC 7523 2.2): a JWT signed with a key from the client's JWKS,
    for this server, not expired, and never seen before (its ``jti``)."""

    CLIENT_AUTH_METHOD = AuthMethod.PRIVATE_KEY_JWT.value

    def __init__(self, audiences: list[str], spent: list[actions.SpentAssertion]) -> None:
        super().__init__(validate_jti=True, leeway=30)
        self.audiences = audiences
        self.spent = spent
        self.client: Client | None = None

    def get_audiences(self) -> list[str]:
        return self.audiences

    def validate_jti(self, claims: dict[str, Any], jti: str) -> bool:
        """Called once the assertion's signature checked out with its client's key."""
        assert self.client is not None  # noqa: S101 (Authlib resolves the key first)
        expires = int(claims["exp"])
        fresh = actions.do_note_client_assertion(self.client, str(jti), expires=expires)
        self.spent.append(actions.SpentAssertion(self.client, str(jti), expires, replayed=not fresh))
        return fresh

    def resolve_client_public_key(self, client: RegisteredClient) -> KeySet:
        """The keys of the client the assertion names, which is kept for ``validate_jti``
        (Authlib passes it only the claims) so that it is not read again."""
        self.client = client.record
        return parsed_public_keys(json.dumps(client.record.jwks, sort_keys=True))


class Provider(AuthorizationServer):
    """One request's authorization server. The authorization endpoint sets ``sign_in``
    before a code is issued; the token endpoint writes the token ``issued`` last, and reads
    ``replayed_code`` and the client assertions ``spent`` afterwards."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self.sign_in: SignIn | None = None
        self.issued: partial[AccessToken] | None = None
        self.replayed_code: AuthorizationCode | None = None
        self.spent: list[actions.SpentAssertion] = []
        super().__init__(client_model=Client, token_model=None)
        self.register_grant(CodeGrant, [S256Required(required=True), IdToken(issuer)])
        token_url = issuer + reverse("oidc:token")
        self.register_client_auth_method(
            ClientAssertion.CLIENT_AUTH_METHOD, ClientAssertion([token_url, issuer], self.spent)
        )

    def load_config(self, config: dict[str, Any]) -> None:
        seconds = int(settings.TAXGOV_OIDC["token_seconds"])
        super().load_config({"token_expires_in": {"authorization_code": seconds}})

    def get_authorization_grant(self, request: Any) -> Any:
        """Authlib quotes an unknown ``response_type`` in its refusal, and raises ValueError when
        it holds characters an error description may not (RFC 6749 4.1.2.1): such a type is
        refused here unquoted, sent back to a registered redirect URI as Authlib would."""
        response_type = request.payload.response_type or ""
        if not invalid_error_characters(response_type):
            return super().get_authorization_grant(request)
        client = self.query_client(request.payload.client_id or "")
        uri = request.payload.redirect_uri
        back = uri if client is not None and uri and client.check_redirect_uri(uri) else None
        raise UnsupportedResponseTypeError("(not printable ASCII)", redirect_uri=back)

    def query_client(self, client_id: str) -> RegisteredClient | None:
        record = queries.enabled_client(client_id)
        return RegisteredClient(record) if record is not None else None

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        """Only kept for ``write_token``: Authlib signs the ID token after this, and the access
        token's audit event takes the audit chain's lock until the commit, so the token view
        writes it last, and no other request's event waits while this one signs."""
        code: IssuedCode = request.authorization_code
        self.issued = partial(
            actions.do_issue_access_token, token["access_token"], code=code.record, expires_in=int(token["expires_in"])
        )

    def write_token(self) -> None:
        """The access token of a successful token request, and its audit event."""
        assert self.issued is not None  # noqa: S101 (a token response follows save_token)
        self.issued()


def provider(request: HttpRequest) -> Provider:
    return Provider(issuer=queries.issuer(request))
