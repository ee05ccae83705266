"""Fixtures of the provider's endpoint tests: a signing key, two registered agencies (one with
``private_key_jwt``, one with ``client_secret_basic``), a person signed in with a second step,
and helpers that play the agency's side of the protocol by hand."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from django.test import Client as TestClient
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import RSAKey

from taxgov.common.ratelimit import clear_all_counters
from taxgov.identity.accounts.models import User
from taxgov.identity.oidc import actions, claims
from taxgov.identity.oidc.models import Client
from taxgov.identity.signin.views import SECOND_STEP_PASSED_KEY, SIGN_IN_KEY
from taxgov.identity.verification.models import Method, Outcome, Verification

AUTH_ONLY = "urn:acr.taxgov.example:auth-only"
VERIFIED = "urn:acr.taxgov.example:verified"
REDIRECT = "https://tax.example.gov/sign-in/callback/"
LOGOUT_REDIRECT = "https://tax.example.gov/signed-out/"
ALL_SCOPES = ["openid", "email", "profile", "address", "phone", "social_security_number", "profile:verified_at"]
ISSUER = "https://testserver"
TOKEN_URL = f"{ISSUER}/openid/token"


@pytest.fixture(autouse=True)
def fresh():
    clear_all_counters()


class HttpsClient(TestClient):
    """Every request over HTTPS, as in production (Authlib refuses plain HTTP but on localhost)."""

    def generic(self, *args: Any, secure: bool = True, **kwargs: Any) -> Any:
        return super().generic(*args, secure=True, **kwargs)


@pytest.fixture
def client() -> TestClient:
    return HttpsClient()


@pytest.fixture
def signing_key():
    return actions.do_rotate_signing_key(actor="test")


@dataclass
class Agency:
    """A relying party as the tests drive it: its registration and, for private_key_jwt, its key."""

    record: Client
    key: RSAKey | None = None
    secret: str = ""
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    state: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    last_request: str = ""

    @property
    def client_id(self) -> str:
        return self.record.client_id

    def authorize_url(self, **overrides: str | None) -> str:
        """A new request (a nonce is never used twice); ``None`` leaves a parameter out."""
        self.nonce = secrets.token_urlsafe(24)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(self.verifier.encode()).digest()).decode().rstrip("=")
        params = {
            "client_id": self.client_id,
            "response_type": "code",
            "redirect_uri": REDIRECT,
            "scope": "openid email profile social_security_number",
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "acr_values": VERIFIED,
            **overrides,
        }
        self.last_request = (
            f"{reverse('oidc:authorize')}?{urlencode({k: v for k, v in params.items() if v is not None})}"
        )
        return self.last_request

    def assertion(self, **overrides: Any) -> str:
        assert self.key is not None
        now = int(time.time())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": TOKEN_URL,
            "jti": secrets.token_urlsafe(16),
            "iat": now,
            "exp": now + 60,
            **overrides,
        }
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)

    def redeem(self, browser: TestClient, code: str, assertion: str | None = None, **overrides: str) -> Any:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": self.verifier,
        }
        headers: dict[str, str] = {}
        if self.key is not None:
            form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            form["client_assertion"] = assertion or self.assertion()
        else:
            pair = f"{quote(self.client_id, safe='')}:{quote(self.secret, safe='')}"  # RFC 6749 2.3.1
            basic = base64.b64encode(pair.encode()).decode()
            headers["Authorization"] = f"Basic {basic}"
        form.update(overrides)
        return browser.post(reverse("oidc:token"), form, headers=headers)


def register(client_id: str, *, key: RSAKey | None = None, acr: list[str] | None = None, host: str = "") -> Agency:
    secret = "" if key is not None else secrets.token_urlsafe(32)
    redirect = REDIRECT.replace("tax.example.gov", host) if host else REDIRECT
    record, _created = actions.do_register_client(
        {
            "client_id": client_id,
            "name": "Federal Revenue Service" if key else "State Tax Portal",
            "auth_method": "private_key_jwt" if key else "client_secret_basic",
            "redirect_uris": [redirect, REDIRECT],
            "post_logout_redirect_uris": [LOGOUT_REDIRECT],
            "scopes": ALL_SCOPES,
            "claims": claims.claims_of(ALL_SCOPES),
            "acr_values": acr or [AUTH_ONLY, VERIFIED],
            "jwks": {"keys": [key.as_dict(private=False)]} if key else {},
        },
        secret=secret or None,
        actor="test",
    )
    return Agency(record=record, key=key, secret=secret)


@pytest.fixture
def federal(signing_key) -> Agency:
    return register("urn:gov:federal:online-account", key=RSAKey.generate_key(2048, auto_kid=True))


@pytest.fixture
def state_agency(signing_key) -> Agency:
    return register("urn:gov:state:portal", host="portal.state.example.gov")


@pytest.fixture
def person() -> User:
    user = User.objects.create_user(email="pat@example.test", password="a long demo password 42")
    user.email_confirmed_at = timezone.now()
    user.save()
    return user


@pytest.fixture
def verified(person) -> Verification:
    now = timezone.now()
    return Verification.objects.create(
        user=person,
        method=Method.SELF_SERVICE,
        outcome=Outcome.VERIFIED,
        first_name="Pat",
        last_name="Quinn",
        tin="900555001",
        date_of_birth="1980-02-29",
        address_line1="1 Main Street",
        city="Springfield",
        state="IL",
        postal_code="62701",
        phone="+16175550199",
        phone_confirmed_at=now,
        decided_at=now,
    )


def sign_in(browser: TestClient, user: User, *, at: float | None = None, second_step: bool = True) -> None:
    """A session as the identity sign-in leaves it: password and a second step (``otp``)."""
    browser.force_login(user)
    session = browser.session
    session[SIGN_IN_KEY] = {"at": at if at is not None else time.time(), "amr": ["pwd", "otp"]}
    session[SECOND_STEP_PASSED_KEY] = second_step
    session.save()


@pytest.fixture
def signed_in(client, person) -> TestClient:
    sign_in(client, person)
    return client


def query_of(location: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def allow(browser: TestClient, url: str) -> dict[str, str]:
    """Agree on the consent page; the query of the redirect back to the agency."""
    answer = browser.post(url, {"decision": "allow"})
    assert answer.status_code == 302, answer.content[:500]
    assert answer["Location"].startswith(REDIRECT), answer["Location"]
    return query_of(answer["Location"])
