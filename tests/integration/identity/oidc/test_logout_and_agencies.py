"""RP-initiated logout (with and without a hint we signed, and only back to a registered
address) and the connected agencies on the account page (listed, disconnected)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from taxgov.common.audit.models import AuditEvent
from taxgov.identity.oidc.models import Consent
from tests.integration.identity.oidc.conftest import LOGOUT_REDIRECT, query_of, sign_in
from tests.integration.identity.oidc.test_code_flow import code_for

pytestmark = pytest.mark.django_db


def tokens_for(browser, agency) -> dict:
    return agency.redeem(browser, code_for(browser, agency)).json()


def test_a_hint_we_signed_signs_out_at_once_and_goes_back_with_the_state(signed_in, federal, verified):
    id_token = tokens_for(signed_in, federal)["id_token"]
    answer = signed_in.get(
        reverse("oidc:logout"),
        {"id_token_hint": id_token, "post_logout_redirect_uri": LOGOUT_REDIRECT, "state": "s-1"},
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"{LOGOUT_REDIRECT}?state=s-1"
    assert "_auth_user_id" not in signed_in.session
    assert AuditEvent.objects.filter(tag="identity:oidc:signed_out_by_client").count() == 1


def test_without_a_hint_the_person_is_asked_first(signed_in, federal, verified):
    params = {"client_id": federal.client_id, "post_logout_redirect_uri": LOGOUT_REDIRECT, "state": "s-2"}
    page = signed_in.get(reverse("oidc:logout"), params)
    assert page.status_code == 200
    assert b"Federal Revenue Service asks to sign you out" in page.content
    assert "_auth_user_id" in signed_in.session
    answer = signed_in.post(reverse("oidc:logout"), {**params, "decision": "sign-out"})
    assert answer["Location"] == f"{LOGOUT_REDIRECT}?state=s-2"
    assert "_auth_user_id" not in signed_in.session


def test_a_hint_for_someone_else_does_not_sign_this_person_out(client, person, federal, verified, django_user_model):
    other = django_user_model.objects.create_user(email="someone@example.test", password="another long password 7")
    sign_in(client, other)
    foreign_hint = "not.a.token"
    page = client.get(reverse("oidc:logout"), {"id_token_hint": foreign_hint})
    assert page.status_code == 200
    assert "_auth_user_id" in client.session


def test_an_unregistered_return_address_is_refused(signed_in, federal, verified):
    answer = signed_in.get(
        reverse("oidc:logout"),
        {"client_id": federal.client_id, "post_logout_redirect_uri": "https://evil.example/"},
    )
    assert answer.status_code == 400
    assert "_auth_user_id" in signed_in.session


def test_connected_agencies_are_listed_and_can_be_disconnected(signed_in, federal, verified):
    tokens = tokens_for(signed_in, federal)
    account = signed_in.get(reverse("account:index"))
    assert b"Federal Revenue Service" in account.content
    consent = Consent.objects.get()
    answer = signed_in.post(reverse("oidc:disconnect", args=[consent.public_id]))
    assert answer["Location"] == reverse("account:index")
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    info = signed_in.get(reverse("oidc:userinfo"), headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 401
    page = signed_in.get(federal.authorize_url())
    assert b"Allow Federal Revenue Service to use your account" in page.content  # asked again
    assert AuditEvent.objects.filter(tag="identity:oidc:consent_revoked").count() == 1


def test_only_ones_own_agencies_can_be_disconnected(client, signed_in, federal, verified, django_user_model):
    tokens_for(signed_in, federal)
    consent = Consent.objects.get()
    stranger = django_user_model.objects.create_user(email="stranger@example.test", password="another long password 8")
    sign_in(client, stranger)
    assert client.post(reverse("oidc:disconnect", args=[consent.public_id])).status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_the_way_back_to_the_agency_after_verifying(signed_in, federal, verified):
    """Once verified, the done page offers "Continue to <agency>" with the original request."""
    verified.delete()
    url = federal.authorize_url()
    signed_in.get(url)
    done_page_context = signed_in.session["oidc.return_to"]
    assert done_page_context == {"url": url, "agency": "Federal Revenue Service"}
    assert query_of("?" + url.split("?", 1)[1])["client_id"] == federal.client_id


def form_action(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("form-action"))


def test_pages_of_an_authorization_may_post_on_to_the_agency_and_no_others(client, federal):
    """A sign-in form whose answer redirects to the agency (a returning person who already
    allowed it) is held to form-action by browsers; only such pages allow the agency."""
    sign_in_page = client.get(reverse("signin:sign_in"), {"next": federal.authorize_url()})
    assert form_action(sign_in_page) == "form-action 'self' https://tax.example.gov"
    assert form_action(client.get(reverse("signin:sign_in"))) == "form-action 'self'"
    elsewhere = f"{reverse('oidc:authorize')}?client_id=urn:gov:nobody"
    assert form_action(client.get(reverse("signin:sign_in"), {"next": elsewhere})) == "form-action 'self'"
