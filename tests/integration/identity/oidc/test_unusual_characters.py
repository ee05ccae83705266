"""Requests with characters the provider cannot quote or store are refused like any other bad
request, never with a 500 (found by fuzzing, tests/resilience): Authlib quotes the response type
and the redirect URI in error descriptions, where RFC 6749 4.1.2.1 allows printable ASCII only;
PostgreSQL refuses a NUL in any query."""

from __future__ import annotations

import pytest
from django.urls import reverse

from taxgov.identity.oidc.models import AuthorizationCode
from tests.integration.identity.oidc.conftest import REDIRECT, query_of
from tests.integration.identity.oidc.test_client_pages import manager

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("response_type", ["c\u00f3de", "\U000d0fcf", "code\n", 'code"'])
def test_an_unprintable_response_type_goes_back_as_unsupported(signed_in, federal, verified, response_type):
    answer = signed_in.get(federal.authorize_url(response_type=response_type))
    assert answer.status_code == 302
    assert answer["Location"].startswith(REDIRECT)
    back = query_of(answer["Location"])
    assert back["error"] == "unsupported_response_type"
    assert back["state"] == federal.state
    assert not AuthorizationCode.objects.exists()


def test_an_unprintable_response_type_of_an_unknown_client_is_shown_here(signed_in, federal, verified):
    answer = signed_in.get(federal.authorize_url(response_type="c\u00f3de", client_id="urn:gov:nobody"))
    assert answer.status_code == 400
    assert b"We could not sign you in to that service" in answer.content


@pytest.mark.parametrize(
    "redirect_uri", ["https://tax.example.gov/caf\u00e9/", "https://tax.example.gov/\r\n", "\U000d0fcf"]
)
def test_an_unregistered_redirect_uri_with_unprintable_characters_is_shown_here(
    signed_in, federal, verified, redirect_uri
):
    answer = signed_in.get(federal.authorize_url(redirect_uri=redirect_uri))
    assert answer.status_code == 400
    assert b"We could not sign you in to that service" in answer.content
    assert not AuthorizationCode.objects.exists()


# --- NUL characters: PostgreSQL refuses them in a query, so they must not reach one ----------


def test_a_client_id_with_a_nul_is_an_unknown_client(signed_in, federal, verified):
    answer = signed_in.get(federal.authorize_url(client_id="urn:gov:federal\x00"))
    assert answer.status_code == 400
    assert b"We could not sign you in to that service" in answer.content


def test_a_nonce_with_a_nul_goes_back_as_an_invalid_request(signed_in, federal, verified):
    answer = signed_in.get(federal.authorize_url(nonce="n\x00"))
    assert answer.status_code == 302
    back = query_of(answer["Location"])
    assert back["error"] == "invalid_request"
    assert back["state"] == federal.state
    assert not AuthorizationCode.objects.exists()


def test_a_logout_naming_a_client_id_with_a_nul_asks_first(signed_in, federal, verified):
    answer = signed_in.get(reverse("oidc:logout"), {"client_id": "urn:gov:federal\x00"})
    assert answer.status_code == 200
    assert "_auth_user_id" in signed_in.session


def test_the_staff_page_of_a_client_id_with_a_nul_is_not_found(federal):
    browser = manager()
    assert browser.get(reverse("oidc:change_client", args=["urn:gov:federal\x00"])).status_code == 404
    assert browser.post(reverse("oidc:switch_client", args=["urn:gov:federal\x00"])).status_code == 404
