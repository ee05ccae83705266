"""The OpenID Connect provider with relying parties no one here wrote: Authlib's OAuth client
(Python) and panva's openid-client v6 (Node, ``tests/e2e/oidc/rp.mjs``), each completing the
authorization code flow with PKCE and ``private_key_jwt`` (Authlib also ``client_secret_basic``)
and reading userinfo.

Chromium plays the person: it signs in at the provider with a password and an authentication
app code (once for the module) and chooses "Allow" on each client's consent page. The
clients' redirect URIs are on port 9, which Chromium refuses to connect to, so nothing serves
them and no code leaves the browser: the test reads the callback URL from the request the
browser starts. (``page.route`` cannot catch it: Playwright does not route the hops of a
redirect chain, and the callback is always a redirect from the provider.)

The subject is pairwise by sector, the host of the client's redirect URI (OpenID Connect
Core 8.1): the two Authlib clients share ``localhost`` and so the person's ``sub``; the Node
client, on ``127.0.0.1``, gets another. (Not ``[::1]``: a Content-Security-Policy source
cannot name an IPv6 address, so the consent page's ``form-action`` cannot allow the
redirect after "Allow" and Chromium blocks it.)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from playwright.sync_api import Browser, Page, Request, expect
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import ROOT, axe_check

AUTH_ONLY = "urn:acr.taxgov.example:auth-only"
SCOPE = "openid email"
PASSWORD = "lantern harbor at low tide"
EMAIL = "relying.parties@example.com"
NODE_RP = ROOT / "tests" / "e2e" / "oidc" / "rp.mjs"
NODE = shutil.which("node") or "node"
# Port 9 (discard) is on Chromium's list of ports it never connects to.
AUTHLIB_REDIRECT = "http://localhost:9/callback"
BASIC_REDIRECT = "http://localhost:9/basic/callback"
NODE_REDIRECT = "http://127.0.0.1:9/callback"
HTTP_TIMEOUT = 10


# --- The person and their browser ----------------------------------------------------------------


@dataclass
class Person:
    """An account with a password and an authentication app, and the app itself."""

    email: str
    app: pyotp.TOTP
    last_step: int

    def next_code(self) -> str:
        """A code the provider takes: its 30-second step must come after the last one used."""
        step = max(self.last_step + 1, int(time.time()) // 30)
        while step > int(time.time()) // 30 + 1:  # more than one step ahead would be refused
            time.sleep(1)
        self.last_step = step
        return str(self.app.generate_otp(step))


def latest_code(page: Page, base: str, to: str) -> str:
    page.goto(base + "/dev/outbox/")
    page.get_by_role("row").filter(has_text=to).get_by_role("link").first.click()
    found = re.search(r"\b([0-9]{6})\b", page.locator(".taxgov-outbox__body").inner_text())
    assert found is not None
    return found.group(1)


def sign_up_with_an_app(page: Page, base: str, email: str) -> Person:
    """An account made through the pages, its second step an authentication app; signed out."""
    page.goto(base + "/")
    page.get_by_role("link", name="Create an account").first.click()
    page.get_by_label("Email address").fill(email)
    page.locator("label", has_text="I agree to the Rules of Use").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    code = latest_code(page, base, email)
    page.goto(base + "/sign-up/confirm/")
    page.get_by_label("Confirmation code").fill(code)
    page.get_by_role("button", name="Confirm email").click()
    page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Set up an app").click()
    app = pyotp.TOTP(page.locator(".taxgov-key").inner_text().replace(" ", ""))
    step = int(time.time()) // 30
    page.get_by_label("Security code").fill(app.generate_otp(step))
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Add another way to sign in?")).to_be_visible()
    page.get_by_role("button", name="Continue to my account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    page.get_by_role("button", name="Sign out").first.click()
    return Person(email=email, app=app, last_step=step)


@dataclass
class UserAgent:
    """The person's browser between a client and the provider: it signs in the first time the
    provider asks, and allows each client the first time that client asks."""

    page: Page
    base: str
    person: Person
    signed_in: bool = False
    allowed: set[str] = field(default_factory=set)

    def authorize(self, url: str, *, client_id: str, client_name: str, redirect_uri: str) -> str:
        """Open the client's authorization URL and go through the provider's pages; the URL the
        provider sends the browser back to (``redirect_uri`` with the code)."""
        steps: list[Callable[[], None]] = [lambda: self._open(url)]
        if not self.signed_in:
            steps.append(self._sign_in)
        if client_id not in self.allowed:
            steps.append(lambda: self._allow(client_id, client_name))
        state = query_of(url)["state"]

        def is_callback(request: Request) -> bool:
            return request.url.startswith(redirect_uri + "?") and query_of(request.url).get("state") == state

        for step in steps[:-1]:
            step()
        with self.page.expect_request(is_callback) as callback:
            steps[-1]()
        # Off Chromium's error page for the refused port: it would load the callback again later.
        self.page.wait_for_url("chrome-error://chromewebdata/")
        self.page.goto("about:blank")
        return callback.value.url

    def _open(self, url: str) -> None:
        try:
            self.page.goto(url)
        except PlaywrightError as error:  # straight back to the client, whose port Chromium refuses
            if "ERR_UNSAFE_PORT" not in str(error):
                raise

    def _sign_in(self) -> None:
        expect(self.page).to_have_url(re.compile(re.escape(self.base) + r"/sign-in/\?next=%2Fopenid%2Fauthorize"))
        self.page.get_by_label("Email address").fill(self.person.email)
        self.page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").last.click()
        expect(self.page.get_by_role("heading", name="Enter your security code")).to_be_visible()
        self.page.get_by_label("Security code").fill(self.person.next_code())
        self.page.get_by_role("button", name="Submit").click()
        self.signed_in = True

    def _allow(self, client_id: str, client_name: str) -> None:
        expect(self.page.get_by_role("heading", name=f"Allow {client_name} to use your account")).to_be_visible()
        expect(self.page.get_by_role("listitem").filter(has_text="Your email address")).to_be_visible()
        if not self.allowed:
            axe_check(self.page)
        self.page.get_by_role("button", name="Allow", exact=True).click()
        self.allowed.add(client_id)


@pytest.fixture(scope="module")
def user_agent(browser: Browser, live_servers: dict[str, str]) -> Iterator[UserAgent]:
    context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_servers["identity"]
    person = sign_up_with_an_app(page, base, EMAIL)
    yield UserAgent(page=page, base=base, person=person)
    context.close()


@pytest.fixture(scope="module")
def provider(live_servers: dict[str, str]) -> dict[str, Any]:
    """The provider's discovery document, as any client starts."""
    answer = requests.get(live_servers["identity"] + "/.well-known/openid-configuration", timeout=HTTP_TIMEOUT)
    answer.raise_for_status()
    metadata: dict[str, Any] = answer.json()
    assert metadata["issuer"] == live_servers["identity"]
    return metadata


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


# --- Registering clients ---------------------------------------------------------------------------


def register_with_keys(live_servers: Any, folder: Path, client_id: str, name: str, redirect_uri: str) -> RSAKey:
    """A private_key_jwt client, registered from its registration document; its private key."""
    key = RSAKey.generate_key(2048, auto_kid=True)
    document = folder / f"{client_id}.json"
    document.write_text(
        json.dumps(
            {
                "client_id": client_id,
                "name": name,
                "redirect_uris": [redirect_uri],
                "post_logout_redirect_uris": [],
                "scopes": ["openid", "email"],
                "acr_values": [AUTH_ONLY],
                "jwks": {"keys": [{**key.as_dict(private=False), "use": "sig", "alg": "RS256"}]},
            }
        )
    )
    printed = live_servers.manage("identity", "register_client", "--from-file", str(document))
    assert f"Registered client {client_id}." in printed
    return key


# --- Authlib --------------------------------------------------------------------------------------


@dataclass
class AuthlibClient:
    """A relying party on Authlib's requests client, with a private key or a secret."""

    client_id: str
    name: str
    redirect_uri: str
    provider: dict[str, Any]
    key: RSAKey | None = None
    secret: str = ""

    def session(self) -> OAuth2Session:
        options: dict[str, Any] = {
            "scope": SCOPE,
            "redirect_uri": self.redirect_uri,
            "code_challenge_method": "S256",
            "default_timeout": HTTP_TIMEOUT,
        }
        if self.key is None:
            return OAuth2Session(
                self.client_id, self.secret, token_endpoint_auth_method="client_secret_basic", **options
            )
        session = OAuth2Session(self.client_id, self.key, token_endpoint_auth_method="private_key_jwt", **options)
        session.register_client_auth_method(PrivateKeyJWT(self.provider["token_endpoint"]))
        return session


@dataclass
class AuthlibLogin:
    """One trip through the provider: what the client kept, and the callback URL."""

    client: AuthlibClient
    session: OAuth2Session
    verifier: str
    nonce: str
    state: str
    callback: str

    def fetch_token(self, verifier: str | None = None) -> dict[str, Any]:
        token: dict[str, Any] = self.session.fetch_token(
            self.client.provider["token_endpoint"],
            authorization_response=self.callback,
            state=self.state,
            code_verifier=verifier or self.verifier,
        )
        return token

    def userinfo(self) -> requests.Response:
        """Userinfo with the session's access token (Authlib sends it as a bearer token)."""
        answer: requests.Response = self.session.get(self.client.provider["userinfo_endpoint"])
        return answer

    def id_token_claims(self, token: dict[str, Any]) -> dict[str, Any]:
        """The ID token, checked as a client must: our JWKS, RS256, iss, aud, exp and nonce."""
        provider = self.client.provider
        keys = KeySet.import_key_set(requests.get(provider["jwks_uri"], timeout=HTTP_TIMEOUT).json())
        decoded = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": provider["issuer"]},
            aud={"essential": True, "value": self.client.client_id},
            exp={"essential": True},
            nonce={"essential": True, "value": self.nonce},
        ).validate(decoded.claims)
        assert decoded.header["alg"] == "RS256"
        return dict(decoded.claims)


def authlib_login(client: AuthlibClient, user_agent: UserAgent) -> AuthlibLogin:
    session = client.session()
    verifier, nonce = generate_token(64), generate_token(32)
    url, state = session.create_authorization_url(
        client.provider["authorization_endpoint"], code_verifier=verifier, nonce=nonce, acr_values=AUTH_ONLY
    )
    request = query_of(url)
    assert request["code_challenge"] == create_s256_code_challenge(verifier)
    assert request["code_challenge_method"] == "S256"
    callback = user_agent.authorize(
        url, client_id=client.client_id, client_name=client.name, redirect_uri=client.redirect_uri
    )
    answer = query_of(callback)
    assert answer["state"] == state
    assert answer["iss"] == client.provider["issuer"]  # RFC 9207
    return AuthlibLogin(client, session, verifier, nonce, state, callback)


@pytest.fixture(scope="module")
def authlib_client(
    live_servers: Any, provider: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> AuthlibClient:
    name = "Authlib Test Agency"
    key = register_with_keys(live_servers, tmp_path_factory.mktemp("authlib"), "authlib-pkjwt", name, AUTHLIB_REDIRECT)
    return AuthlibClient("authlib-pkjwt", name, AUTHLIB_REDIRECT, provider, key=key)


@pytest.fixture(scope="module")
def basic_client(live_servers: Any, provider: dict[str, Any]) -> AuthlibClient:
    """A client_secret_basic client. Its id has no colon: Authlib's client writes the id into
    the Basic header without the form-encoding RFC 6749 2.3.1 asks for, so the provider (which
    decodes it) would read ``a:b`` as the client ``a``."""
    name = "Authlib Secret Agency"
    printed = live_servers.manage(
        "identity",
        "register_client",
        "authlib-basic",
        "--name",
        name,
        "--redirect-uri",
        BASIC_REDIRECT,
        "--scope",
        "openid",
        "--scope",
        "email",
        "--acr",
        "auth-only",
        "--new-secret",
    )
    found = re.search(r"Client secret \(shown once\): (\S+)", printed)
    assert found is not None, printed
    return AuthlibClient("authlib-basic", name, BASIC_REDIRECT, provider, secret=found.group(1))


def check_sign_in(claims: dict[str, Any], userinfo: dict[str, Any], *, issuer: str, client_id: str) -> None:
    """What every client here should read: who signed in and how, and their email from userinfo only."""
    assert claims["iss"] == issuer
    assert claims["aud"] == client_id
    assert claims["acr"] == AUTH_ONLY
    assert claims["amr"] == ["pwd", "otp"]
    assert claims["sub"]
    assert "email" not in claims  # personal claims: userinfo only
    assert userinfo["sub"] == claims["sub"]
    assert userinfo["email"] == EMAIL
    assert userinfo["email_verified"] is True


@dataclass
class Result:
    claims: dict[str, Any]
    userinfo: dict[str, Any]


@pytest.fixture(scope="module")
def authlib_result(authlib_client: AuthlibClient, user_agent: UserAgent) -> Result:
    login = authlib_login(authlib_client, user_agent)
    token = login.fetch_token()
    assert token["token_type"].lower() == "bearer"
    info = login.userinfo()
    assert info.status_code == 200, info.text
    return Result(login.id_token_claims(token), info.json())


@pytest.fixture(scope="module")
def basic_result(basic_client: AuthlibClient, user_agent: UserAgent) -> Result:
    login = authlib_login(basic_client, user_agent)
    token = login.fetch_token()
    info = login.userinfo()
    assert info.status_code == 200, info.text
    return Result(login.id_token_claims(token), info.json())


def test_authlib_with_private_key_jwt(authlib_result: Result, authlib_client: AuthlibClient) -> None:
    check_sign_in(
        authlib_result.claims,
        authlib_result.userinfo,
        issuer=authlib_client.provider["issuer"],
        client_id=authlib_client.client_id,
    )


def test_authlib_with_client_secret_basic(basic_result: Result, basic_client: AuthlibClient) -> None:
    check_sign_in(
        basic_result.claims,
        basic_result.userinfo,
        issuer=basic_client.provider["issuer"],
        client_id=basic_client.client_id,
    )


def test_authlib_a_code_used_twice_is_refused_and_revokes_the_first_token(
    authlib_client: AuthlibClient, user_agent: UserAgent, authlib_result: Result
) -> None:
    login = authlib_login(authlib_client, user_agent)
    token = login.fetch_token()
    assert login.id_token_claims(token)["sub"] == authlib_result.claims["sub"]  # pairwise, yet stable
    assert login.userinfo().status_code == 200

    with pytest.raises(OAuthError) as refused:
        login.fetch_token()
    assert refused.value.error == "invalid_grant"

    login.session.token = token  # the access token from the first redemption
    revoked = login.userinfo()
    assert revoked.status_code == 401
    assert 'error="invalid_token"' in revoked.headers["WWW-Authenticate"]


def test_authlib_a_wrong_code_verifier_is_refused_and_the_right_one_still_works(
    authlib_client: AuthlibClient, user_agent: UserAgent
) -> None:
    login = authlib_login(authlib_client, user_agent)
    with pytest.raises(OAuthError) as refused:
        login.fetch_token(verifier=generate_token(64))
    assert refused.value.error == "invalid_grant"

    token = login.fetch_token()
    login.id_token_claims(token)
    assert login.userinfo().json()["email"] == EMAIL


# --- openid-client (Node) -------------------------------------------------------------------------


@dataclass
class NodeClient:
    client_id: str
    name: str
    issuer: str
    key: RSAKey

    def run(self, phase: str, **values: str) -> tuple[int, dict[str, Any]]:
        """Run tests/e2e/oidc/rp.mjs for one phase; its exit status and what it printed."""
        request = {
            "phase": phase,
            "issuer": self.issuer,
            "client_id": self.client_id,
            "private_jwk": self.key.as_dict(private=True),
            "redirect_uri": NODE_REDIRECT,
            "scope": SCOPE,
            "acr_values": AUTH_ONLY,
            **values,
        }
        done = subprocess.run(
            [NODE, str(NODE_RP)],
            cwd=ROOT,
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert done.stdout, done.stderr
        printed: dict[str, Any] = json.loads(done.stdout)
        return done.returncode, printed

    def start(self) -> dict[str, Any]:
        status, started = self.run("start")
        assert status == 0, started
        return started

    def finish(self, started: dict[str, Any], callback: str, **overrides: str) -> tuple[int, dict[str, Any]]:
        secrets = {name: started[name] for name in ("code_verifier", "state", "nonce")}
        return self.run("finish", callback_url=callback, **{**secrets, **overrides})


@pytest.fixture(scope="module")
def node_client(live_servers: Any, provider: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> NodeClient:
    assert (ROOT / "node_modules" / "openid-client").is_dir(), "openid-client is missing: run make (npm ci)"
    name = "Node Test Agency"
    key = register_with_keys(live_servers, tmp_path_factory.mktemp("node"), "openid-client", name, NODE_REDIRECT)
    return NodeClient("openid-client", name, provider["issuer"], key)


def node_login(client: NodeClient, user_agent: UserAgent) -> tuple[dict[str, Any], str]:
    started = client.start()
    request = query_of(started["authorization_url"])
    assert request["client_id"] == client.client_id
    assert request["code_challenge_method"] == "S256"
    assert request["code_challenge"] == create_s256_code_challenge(started["code_verifier"])
    assert request["nonce"] == started["nonce"]
    assert request["state"] == started["state"]
    callback = user_agent.authorize(
        started["authorization_url"], client_id=client.client_id, client_name=client.name, redirect_uri=NODE_REDIRECT
    )
    return started, callback


@pytest.fixture(scope="module")
def node_result(node_client: NodeClient, user_agent: UserAgent) -> Result:
    started, callback = node_login(node_client, user_agent)
    status, finished = node_client.finish(started, callback)
    assert status == 0, finished
    assert finished["token_type"].lower() == "bearer"
    assert finished["id_token_claims"]["nonce"] == started["nonce"]
    return Result(finished["id_token_claims"], finished["userinfo"])


def test_openid_client_with_private_key_jwt(node_result: Result, node_client: NodeClient) -> None:
    check_sign_in(node_result.claims, node_result.userinfo, issuer=node_client.issuer, client_id=node_client.client_id)


def test_openid_client_refuses_an_id_token_for_another_nonce(node_client: NodeClient, user_agent: UserAgent) -> None:
    started, callback = node_login(node_client, user_agent)
    status, finished = node_client.finish(started, callback, nonce=generate_token(32))
    assert status == 1
    assert finished["error"]["code"] == "OAUTH_JWT_CLAIM_COMPARISON_FAILED", json.dumps(finished)
    assert finished["error"]["claim"] == "nonce"


# --- Across clients -------------------------------------------------------------------------------


def test_the_subject_is_pairwise_by_the_host_of_the_redirect_uri(
    authlib_result: Result, basic_result: Result, node_result: Result
) -> None:
    assert authlib_result.claims["sub"] == basic_result.claims["sub"]  # both at localhost
    assert node_result.claims["sub"] != authlib_result.claims["sub"]  # at 127.0.0.1
