"""The authorization, token and userinfo endpoints driven by hand, request by request: the
happy paths for both client authentication methods, then every way a request is refused,
each with its OAuth error and with nothing changed."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from taxgov.common.audit.models import AuditEvent
from taxgov.identity.oidc.models import AccessToken, AuthorizationCode, Consent
from tests.integration.identity.oidc.conftest import (
    AUTH_ONLY,
    ISSUER,
    REDIRECT,
    VERIFIED,
    allow,
    query_of,
    register,
    sign_in,
)

pytestmark = pytest.mark.django_db


def id_token_claims(client, token: str, audience: str) -> dict:
    keys = KeySet.import_key_set(client.get(reverse("oidc:jwks")).json())
    decoded = jwt.decode(token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
    ).validate(decoded.claims)
    return decoded.claims


def code_for(browser, agency, **overrides) -> str:
    """A code, through the consent page if the person has not allowed these scopes yet."""
    url = agency.authorize_url(**overrides)
    page = browser.get(url)
    answer = query_of(page["Location"]) if page.status_code == 302 else allow(browser, url)
    assert answer["state"] == agency.state
    assert answer["iss"] == ISSUER
    return answer["code"]


def test_private_key_jwt_flow_gives_an_id_token_and_the_consented_claims(signed_in, federal, verified):
    page = signed_in.get(federal.authorize_url())
    assert b"Allow Federal Revenue Service to use your account" in page.content
    assert b"Your Social Security number" in page.content
    code = allow(signed_in, federal.last_request)["code"]

    answer = federal.redeem(signed_in, code)
    assert answer.status_code == 200, answer.content
    assert answer["Cache-Control"] == "no-store"
    tokens = answer.json()
    assert tokens["token_type"] == "Bearer"
    claims = id_token_claims(signed_in, tokens["id_token"], federal.client_id)
    assert claims["nonce"] == federal.nonce
    assert claims["acr"] == VERIFIED
    assert claims["amr"] == ["pwd", "otp"]
    half = hashlib.sha256(tokens["access_token"].encode()).digest()[:16]
    assert claims["at_hash"] == base64.urlsafe_b64encode(half).decode().rstrip("=")
    assert "email" not in claims
    assert "social_security_number" not in claims

    info = signed_in.get(reverse("oidc:userinfo"), headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 200
    assert info.json() == {
        "sub": claims["sub"],
        "ial": "2",
        "aal": "2",
        "email": "pat@example.test",
        "email_verified": True,
        "given_name": "Pat",
        "family_name": "Quinn",
        "birthdate": "1980-02-29",
        "social_security_number": "900555001",
    }
    assert AuditEvent.objects.filter(tag="identity:oidc:consent_granted").count() == 1
    assert AuditEvent.objects.filter(tag="identity:oidc:token_issued").count() == 1


def test_client_secret_basic_flow_and_the_second_visit_needs_no_consent(signed_in, state_agency, verified):
    code = code_for(signed_in, state_agency, scope="openid email", acr_values=AUTH_ONLY)
    tokens = state_agency.redeem(signed_in, code).json()
    info = signed_in.get(reverse("oidc:userinfo"), headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.json()["ial"] == "1"
    assert "given_name" not in info.json()

    again = signed_in.get(state_agency.authorize_url(scope="openid email", acr_values=AUTH_ONLY))
    assert again.status_code == 302
    assert again["Location"].startswith(REDIRECT)
    replayed_nonce = signed_in.get(again.request["PATH_INFO"] + "?" + again.request["QUERY_STRING"])
    assert query_of(replayed_nonce["Location"])["error"] == "invalid_request"


def test_verified_claims_need_an_identity_verified_sign_in(signed_in, federal, verified):
    code = code_for(signed_in, federal, acr_values=AUTH_ONLY)
    tokens = federal.redeem(signed_in, code).json()
    assert id_token_claims(signed_in, tokens["id_token"], federal.client_id)["acr"] == AUTH_ONLY
    info = signed_in.get(reverse("oidc:userinfo"), headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert set(info.json()) == {"sub", "ial", "aal", "email", "email_verified"}


def test_subjects_are_pairwise_and_stable(client, person, federal, state_agency, verified):
    sign_in(client, person)

    def subject(agency, **overrides) -> str:
        tokens = agency.redeem(client, code_for(client, agency, **overrides)).json()
        return id_token_claims(client, tokens["id_token"], agency.client_id)["sub"]

    first, second, other = subject(federal), subject(federal), subject(state_agency, acr_values=AUTH_ONLY)
    assert first == second
    assert other != first
    assert str(person.pk) not in (first, other)


# --- Before a code: sign in, verify, consent ------------------------------------------------------


def test_nobody_signed_in_goes_to_sign_in_and_comes_back(client, federal):
    answer = client.get(federal.authorize_url())
    assert answer.status_code == 302
    assert answer["Location"].startswith("/sign-in/?next=%2Fopenid%2Fauthorize%3F")


def test_a_remembered_browser_is_not_enough(client, person, federal, verified):
    sign_in(client, person, second_step=False)
    assert client.get(federal.authorize_url())["Location"].startswith("/sign-in/")


def test_prompt_login_and_max_age_ask_for_a_new_sign_in(client, person, federal, verified):
    sign_in(client, person, at=time.time() - 600)
    url = federal.authorize_url(prompt="login")
    assert client.get(url)["Location"].startswith("/sign-in/")
    sign_in(client, person)  # signed in again after the request
    assert client.get(url).status_code == 200  # on to consent: no loop back to sign-in

    sign_in(client, person, at=time.time() - 600)
    assert client.get(federal.authorize_url(max_age="300"))["Location"].startswith("/sign-in/")
    assert client.get(federal.authorize_url(max_age="3600")).status_code == 200


def test_asking_for_ial2_sends_an_unverified_person_to_verify_and_back(signed_in, federal):
    url = federal.authorize_url()
    answer = signed_in.get(url)
    assert answer["Location"] == reverse("verification:start")
    start = signed_in.get(reverse("verification:start"))
    assert b"Federal Revenue Service needs to know it is really you" in start.content
    assert AuthorizationCode.objects.count() == 0


@pytest.mark.parametrize(
    ("signed", "consented", "error"),
    [(False, False, "login_required"), (True, False, "consent_required")],
)
def test_prompt_none_never_shows_a_page(client, person, federal, verified, signed, consented, error):
    if signed:
        sign_in(client, person)
    answer = client.get(federal.authorize_url(prompt="none"))
    assert answer.status_code == 302
    assert query_of(answer["Location"]) == {"error": error, "state": federal.state, "iss": ISSUER} | (
        {"error_description": query_of(answer["Location"]).get("error_description", "")}
        if "error_description" in query_of(answer["Location"])
        else {}
    )


def test_prompt_none_for_ial2_when_not_verified_needs_interaction(signed_in, federal):
    answer = signed_in.get(federal.authorize_url(prompt="none"))
    assert query_of(answer["Location"])["error"] == "interaction_required"


def test_dont_allow_tells_the_agency_and_records_nothing_else(signed_in, federal, verified):
    signed_in.get(federal.authorize_url())
    answer = signed_in.post(federal.last_request, {"decision": "deny"})
    assert query_of(answer["Location"])["error"] == "access_denied"
    assert not Consent.objects.exists()
    assert not AuthorizationCode.objects.exists()
    assert AuditEvent.objects.filter(tag="identity:oidc:consent_refused").count() == 1


# --- Refused authorization requests -----------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [{"client_id": "urn:gov:nobody"}, {"redirect_uri": "https://evil.example/callback"}, {"redirect_uri": None}],
    ids=["unknown client", "unregistered redirect_uri", "no redirect_uri"],
)
def test_a_bad_client_or_redirect_is_shown_here_never_redirected(signed_in, federal, verified, overrides):
    answer = signed_in.get(federal.authorize_url(**overrides))
    assert answer.status_code == 400
    assert b"We could not sign you in to that service" in answer.content
    assert not AuthorizationCode.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"nonce": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "openid payroll"}, "invalid_scope"),
        ({"acr_values": "urn:acr.example:ial3"}, "invalid_request"),
        ({"max_age": "soon"}, "invalid_request"),
    ],
    ids=["no PKCE", "plain PKCE", "PKCE method missing", "no nonce", "implicit", "scope", "acr", "max_age"],
)
def test_refused_requests_go_back_with_their_error(signed_in, federal, verified, overrides, error):
    answer = signed_in.get(federal.authorize_url(**overrides))
    assert answer.status_code == 302
    back = query_of(answer["Location"])
    assert answer["Location"].startswith(REDIRECT)
    assert back["error"] == error
    assert back["state"] == federal.state
    assert not AuthorizationCode.objects.exists()


def test_an_acr_the_client_may_not_ask_for_is_refused(signed_in, verified, signing_key):
    agency = register("urn:gov:auth-only", key=RSAKey.generate_key(2048, auto_kid=True), acr=[AUTH_ONLY])
    answer = signed_in.get(agency.authorize_url(acr_values=VERIFIED))
    assert query_of(answer["Location"])["error"] == "invalid_request"


def test_a_disabled_client_is_unknown(signed_in, federal, verified):
    federal.record.disabled_at = timezone.now()
    federal.record.save()
    assert signed_in.get(federal.authorize_url()).status_code == 400


# --- Refused token requests ------------------------------------------------------------------------


def test_a_reused_code_is_refused_and_revokes_what_it_gave(signed_in, federal, verified):
    code = code_for(signed_in, federal)
    first = federal.redeem(signed_in, code).json()
    again = federal.redeem(signed_in, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    info = signed_in.get(reverse("oidc:userinfo"), headers={"Authorization": f"Bearer {first['access_token']}"})
    assert info.status_code == 401
    assert 'error="invalid_token"' in info["WWW-Authenticate"]
    assert AuditEvent.objects.filter(tag="identity:oidc:code_replayed").count() == 1


def test_a_wrong_verifier_is_refused_and_the_code_still_works(signed_in, federal, verified):
    code = code_for(signed_in, federal)
    wrong = federal.redeem(signed_in, code, code_verifier="x" * 50)
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()
    assert AuthorizationCode.objects.get().used_at is None
    assert federal.redeem(signed_in, code).status_code == 200


def test_an_expired_code_is_refused(signed_in, federal, verified):
    code = code_for(signed_in, federal)
    AuthorizationCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    answer = federal.redeem(signed_in, code)
    assert answer.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_another_redirect_uri_at_the_token_endpoint_is_refused(signed_in, federal, verified):
    code = code_for(signed_in, federal)
    answer = federal.redeem(signed_in, code, redirect_uri="https://tax.example.gov/other")
    assert answer.json()["error"] == "invalid_grant"


def test_a_code_belongs_to_its_client(signed_in, federal, state_agency, verified):
    code = code_for(signed_in, federal)
    answer = state_agency.redeem(signed_in, code)
    assert answer.json()["error"] == "invalid_grant"
    assert federal.redeem(signed_in, code).status_code == 200


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": int(time.time()) - 120},
        {"aud": "https://someone-else.example/token"},
        {"iss": "urn:gov:somebody-else"},
    ],
    ids=["expired", "wrong audience", "issuer is not the subject"],
)
def test_a_bad_client_assertion_is_refused(signed_in, federal, verified, overrides):
    code = code_for(signed_in, federal)
    answer = federal.redeem(signed_in, code, assertion=federal.assertion(**overrides))
    assert answer.status_code in (400, 401)
    assert answer.json()["error"] == "invalid_client"
    assert AuthorizationCode.objects.get().used_at is None


def test_an_assertion_signed_by_another_key_is_refused(signed_in, federal, verified):
    code = code_for(signed_in, federal)
    real_key = federal.key
    federal.key = RSAKey.generate_key(2048, auto_kid=True)
    forged = federal.assertion()
    federal.key = real_key
    assert federal.redeem(signed_in, code, assertion=forged).json()["error"] == "invalid_client"


def test_a_replayed_assertion_is_refused(signed_in, federal, verified):
    assertion = federal.assertion()
    assert federal.redeem(signed_in, code_for(signed_in, federal), assertion=assertion).status_code == 200
    answer = federal.redeem(signed_in, code_for(signed_in, federal), assertion=assertion)
    assert answer.json()["error"] == "invalid_client"


def test_a_wrong_client_secret_is_refused(signed_in, state_agency, verified):
    code = code_for(signed_in, state_agency, scope="openid email", acr_values=AUTH_ONLY)
    state_agency.secret = "not-the-secret"
    answer = state_agency.redeem(signed_in, code)
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"


def test_userinfo_needs_a_bearer_token(client):
    answer = client.get(reverse("oidc:userinfo"))
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert client.get(reverse("oidc:userinfo"), headers={"Authorization": "Bearer nope"}).status_code == 401


def test_an_assertion_spent_on_a_refused_request_cannot_be_used_again(signed_in, federal, verified):
    code = code_for(signed_in, federal)
    assertion = federal.assertion()
    wrong = federal.redeem(signed_in, code, assertion=assertion, code_verifier="x" * 50)
    assert wrong.json()["error"] == "invalid_grant"
    assert AuthorizationCode.objects.get().used_at is None
    again = federal.redeem(signed_in, code, assertion=assertion)
    assert again.json()["error"] == "invalid_client"
    assert federal.redeem(signed_in, code).status_code == 200
    refused = AuditEvent.objects.filter(tag="identity:oidc:token_refused").values_list("extra", flat=True)
    assert [extra["error"] for extra in refused] == ["invalid_grant", "invalid_client"]
    assert AuditEvent.objects.filter(tag="identity:oidc:assertion_replayed").count() == 1
