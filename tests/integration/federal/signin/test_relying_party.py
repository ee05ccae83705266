"""The federal account as a relying party, against a provider played on loopback: the happy
path, then every answer it must not trust (state, issuer, nonce, audience, expiry, signature,
``acr``, userinfo about someone else), each refused with nothing signed in."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import RSAKey

from taxgov.common.audit.models import AuditEvent
from taxgov.federal.accounts.models import User
from taxgov.federal.signin import identity
from taxgov.federal.signin.views import ID_TOKEN_KEY

pytestmark = pytest.mark.django_db

VERIFIED = "urn:acr.taxgov.example:verified"
CLIENT_ID = "urn:gov:taxgov:federal:online-account"
PROVIDER_KEY = RSAKey.generate_key(2048, auto_kid=True)


class FakeProvider(ThreadingHTTPServer):
    """What the test wants the provider to answer; ``token_requests`` keeps what it was sent."""

    issuer: str
    nonce: str
    id_token_claims: Callable[[FakeProvider], dict[str, Any]]
    userinfo: dict[str, Any]
    token_requests: list[dict[str, list[str]]]
    signing_key: RSAKey


class Handler(BaseHTTPRequestHandler):
    server: FakeProvider

    def _json(self, data: dict[str, Any], status: int = 200) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        provider = self.server
        if self.path == "/.well-known/openid-configuration":
            self._json(
                {
                    "issuer": provider.issuer,
                    "authorization_endpoint": f"{provider.issuer}/authorize",
                    "token_endpoint": f"{provider.issuer}/token",
                    "userinfo_endpoint": f"{provider.issuer}/userinfo",
                    "jwks_uri": f"{provider.issuer}/jwks",
                    "end_session_endpoint": f"{provider.issuer}/logout",
                }
            )
        elif self.path == "/jwks":
            self._json({"keys": [{**PROVIDER_KEY.as_dict(private=False), "kid": PROVIDER_KEY.kid}]})
        elif self.path == "/userinfo":
            self._json(provider.userinfo)
        else:
            self._json({}, 404)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        self.server.token_requests.append(parse_qs(body))
        claims = self.server.id_token_claims(self.server)
        key = self.server.signing_key
        id_token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
        self._json({"access_token": "at-123", "token_type": "Bearer", "expires_in": 900, "id_token": id_token})

    def log_message(self, format: str, *args: object) -> None:
        pass


def good_claims(provider: FakeProvider) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": provider.issuer,
        "sub": "pairwise-subject-1",
        "aud": CLIENT_ID,
        "iat": now,
        "exp": now + 900,
        "auth_time": now,
        "nonce": provider.nonce,
        "acr": VERIFIED,
        "amr": ["pwd", "otp"],
    }


@pytest.fixture
def fake_provider(settings) -> Iterator[FakeProvider]:
    server = FakeProvider(("127.0.0.1", 0), Handler)
    server.issuer = f"http://localhost:{server.server_address[1]}"
    server.id_token_claims = good_claims
    server.userinfo = {
        "sub": "pairwise-subject-1",
        "given_name": "Pat",
        "family_name": "Quinn",
        "birthdate": "1980-02-29",
        "social_security_number": "900555001",
        "email": "pat@example.test",
    }
    server.token_requests = []
    server.signing_key = PROVIDER_KEY
    settings.TAXGOV_OIDC_CLIENT = {**settings.TAXGOV_OIDC_CLIENT, "issuer": server.issuer}
    cache.clear()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def begin(client, provider: FakeProvider, next_url: str = "") -> dict[str, str]:
    """Start a sign-in; the authorization request's query, as the provider would receive it."""
    answer = client.get(reverse("federal_signin:start"), {"next": next_url} if next_url else {})
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"{provider.issuer}/authorize?")
    query = {name: values[0] for name, values in parse_qs(urlsplit(answer["Location"]).query).items()}
    provider.nonce = query["nonce"]
    return query


def come_back(client, provider: FakeProvider, query: dict[str, str], **overrides: str):
    params = {"code": "the-code", "state": query["state"], "iss": provider.issuer, **overrides}
    return client.get(reverse("federal_signin:callback"), params)


def test_the_authorization_request_asks_for_pkce_and_a_verified_identity(client, fake_provider):
    query = begin(client, fake_provider)
    assert query["client_id"] == CLIENT_ID
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["acr_values"] == VERIFIED
    assert query["redirect_uri"] == "http://testserver/sign-in/callback/"
    assert set(query["scope"].split()) >= {"openid", "profile", "social_security_number"}
    assert len(query["state"]) >= 32
    assert len(query["nonce"]) >= 32


def test_signing_in_keys_the_account_on_the_subject_and_keeps_the_verified_identity(client, fake_provider):
    query = begin(client, fake_provider, next_url="/account/")
    answer = come_back(client, fake_provider, query)
    assert answer.status_code == 302
    assert answer["Location"] == "/account/"

    sent = fake_provider.token_requests[0]
    assert sent["client_assertion_type"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]
    assert sent["code_verifier"][0]
    assert sent["code"] == ["the-code"]
    assertion = jwt.decode(sent["client_assertion"][0], RSAKey.import_key(_our_public_key()))
    assert assertion.claims["iss"] == assertion.claims["sub"] == CLIENT_ID
    assert assertion.claims["aud"] == f"{fake_provider.issuer}/token"

    user = User.objects.get()
    assert user.subject == "pairwise-subject-1"
    session = client.session
    assert session["_auth_user_id"] == str(user.pk)
    assert "900555001" not in json.dumps(dict(session.items()))  # encrypted in the session store
    assert session[ID_TOKEN_KEY]
    assert AuditEvent.objects.filter(tag="federal:signin:signed_in").count() == 1

    # The second sign-in finds the same account.
    come_back(client, fake_provider, begin(client, fake_provider))
    assert User.objects.count() == 1


def _our_public_key() -> dict[str, Any]:
    from taxgov.federal.signin import provider

    return provider.public_jwks()["keys"][0]


def _not_signed_in(client, answer, status: int = 400) -> None:
    assert answer.status_code == status
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()
    assert AuditEvent.objects.filter(tag="federal:signin:failed").count() == 1


def test_an_unknown_state_is_refused_before_anything_is_sent(client, fake_provider):
    query = begin(client, fake_provider)
    _not_signed_in(client, come_back(client, fake_provider, query, state="forged"))
    assert fake_provider.token_requests == []


def test_a_state_works_once(client, fake_provider):
    query = begin(client, fake_provider)
    come_back(client, fake_provider, query)
    client.logout()
    assert come_back(client, fake_provider, query).status_code == 400


def test_an_answer_naming_another_issuer_is_refused(client, fake_provider):
    query = begin(client, fake_provider)
    _not_signed_in(client, come_back(client, fake_provider, query, iss="https://mix-up.example"))
    assert fake_provider.token_requests == []


def test_a_refusal_at_the_provider_explains_itself(client, fake_provider):
    query = begin(client, fake_provider)
    answer = client.get(reverse("federal_signin:callback"), {"error": "access_denied", "state": query["state"]})
    _not_signed_in(client, answer)
    assert b"You chose not to share your information" in answer.content


def _claims_with(**changes: Any) -> Callable[[FakeProvider], dict[str, Any]]:
    def claims(provider: FakeProvider) -> dict[str, Any]:
        return {**good_claims(provider), **changes}

    return claims


@pytest.mark.parametrize(
    "claims",
    [
        _claims_with(nonce="another-nonce"),
        _claims_with(aud="urn:gov:someone-else"),
        _claims_with(iss="https://another-provider.example"),
        _claims_with(exp=int(time.time()) - 3600),
        _claims_with(acr="urn:acr.taxgov.example:auth-only"),
    ],
    ids=["nonce mismatch", "wrong audience", "wrong issuer", "expired", "weaker acr"],
)
def test_an_id_token_that_does_not_check_out_is_refused(client, fake_provider, claims):
    fake_provider.id_token_claims = claims
    _not_signed_in(client, come_back(client, fake_provider, begin(client, fake_provider)))


def test_an_id_token_signed_by_another_key_is_refused(client, fake_provider):
    fake_provider.signing_key = RSAKey.generate_key(2048, auto_kid=True)
    _not_signed_in(client, come_back(client, fake_provider, begin(client, fake_provider)))


def test_userinfo_about_someone_else_is_refused(client, fake_provider):
    fake_provider.userinfo = {**fake_provider.userinfo, "sub": "somebody-else"}
    _not_signed_in(client, come_back(client, fake_provider, begin(client, fake_provider)))


def test_an_unreachable_provider_gives_a_clear_page(client, settings):
    settings.TAXGOV_OIDC_CLIENT = {**settings.TAXGOV_OIDC_CLIENT, "issuer": "http://localhost:9"}
    cache.clear()
    answer = client.get(reverse("federal_signin:start"))
    assert answer.status_code == 503
    assert b"Sign-in is not available right now" in answer.content


def test_signing_out_ends_the_session_and_goes_to_the_provider(client, fake_provider):
    come_back(client, fake_provider, begin(client, fake_provider))
    id_token = client.session[ID_TOKEN_KEY]
    answer = client.post(reverse("federal_signin:sign_out"))
    assert answer.status_code == 302
    target = urlsplit(answer["Location"])
    query = {name: values[0] for name, values in parse_qs(target.query).items()}
    assert answer["Location"].startswith(f"{fake_provider.issuer}/logout?")
    assert query["id_token_hint"] == id_token
    assert query["post_logout_redirect_uri"] == "http://testserver/signed-out/"
    assert "_auth_user_id" not in client.session
    assert identity.SESSION_KEY not in client.session
    back = client.get(reverse("federal_signin:signed_out"), {"state": query["state"]})
    assert b"You signed out of your online account and of your sign-in account." in back.content
