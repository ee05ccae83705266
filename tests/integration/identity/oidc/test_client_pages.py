"""The staff pages that register, change, disable and enable clients, and the command that
gives an account the role to use them."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client as Browser
from django.urls import reverse
from joserfc.jwk import RSAKey

from taxgov.common.audit.models import AuditEvent
from taxgov.identity.accounts.models import User
from taxgov.identity.oidc.actions import secret_hash
from taxgov.identity.oidc.models import AccessToken, Client
from tests.integration.identity.oidc.conftest import AUTH_ONLY, REDIRECT, VERIFIED, Agency, allow, sign_in
from tests.integration.identity.oidc.test_code_flow import code_for

pytestmark = pytest.mark.django_db
KEY = RSAKey.generate_key(2048, auto_kid=True)
PUBLIC_JWK = KEY.as_dict(private=False)


def manager(email: str = "admin@verifyid.example", *, second_step: bool = True) -> Browser:
    User.objects.create_user(email=email, password="a long demo password 42")
    call_command("staff_role", email, "client-admin")
    browser = Browser()
    sign_in(browser, User.objects.get(email=email), second_step=second_step)
    return browser


def registration(**changes: object) -> dict[str, object]:
    return {
        "client_id": "urn:gov:city:permits",
        "name": "City Permits Office",
        "auth_method": "private_key_jwt",
        "redirect_uris": "https://permits.city.example/callback\r\nhttps://permits.city.example/cb2",
        "post_logout_redirect_uris": "https://permits.city.example/bye",
        "scopes": ["openid", "email"],
        "claims": ["email", "email_verified"],
        "acr_values": [AUTH_ONLY],
        "jwks": json.dumps({"keys": [PUBLIC_JWK]}),
        **changes,
    }


def test_only_client_managers_with_a_second_step_reach_the_pages(client):
    url = reverse("oidc:clients")
    assert client.get(url)["Location"].startswith(reverse("signin:sign_in"))
    sign_in(client, User.objects.create_user(email="pat@example.test", password="a long demo password 42"))
    assert client.get(url).status_code == 403
    remembered = manager(second_step=False)
    answer = remembered.get(url)
    assert answer["Location"].startswith(reverse("signin:sign_in"))
    assert "_auth_user_id" not in remembered.session
    assert manager("other@verifyid.example").get(url).status_code == 200


def test_a_client_is_registered_changed_and_listed():
    browser = manager()
    answer = browser.post(reverse("oidc:new_client"), registration())
    assert answer["Location"] == reverse("oidc:clients")
    client = Client.objects.get()
    assert client.redirect_uris == ["https://permits.city.example/callback", "https://permits.city.example/cb2"]
    assert client.sector == "permits.city.example"
    assert client.jwks == {"keys": [PUBLIC_JWK]}

    change_url = reverse("oidc:change_client", args=[client.client_id])
    form = browser.get(change_url)
    assert "https://permits.city.example/cb2" in form.content.decode()
    changed = registration(client_id="someone-else", name="City Permits", acr_values=[AUTH_ONLY, VERIFIED])
    assert browser.post(change_url, changed)["Location"] == reverse("oidc:clients")
    client.refresh_from_db()
    assert (client.client_id, client.name, client.acr_values) == (
        "urn:gov:city:permits",
        "City Permits",
        changed["acr_values"],
    )
    page = browser.get(reverse("oidc:clients")).content.decode()
    assert "City Permits" in page
    assert "urn:gov:city:permits" in page
    tags = list(AuditEvent.objects.filter(tag__startswith="identity:oidc:client").values_list("tag", "actor"))
    actor = f"user:{User.objects.get(email='admin@verifyid.example').pk}"
    assert tags == [("identity:oidc:client_registered", actor), ("identity:oidc:client_updated", actor)]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"redirect_uris": "http://permits.city.example/cb"}, "use HTTPS"),
        ({"redirect_uris": "https://[2001:db8::7]/cb"}, "not an IPv6 address"),
        ({"redirect_uris": ""}, "This field is required"),
        ({"scopes": ["email"]}, "needs the openid scope"),
        ({"jwks": ""}, "needs its public keys"),
        ({"jwks": json.dumps({"keys": [RSAKey.generate_key(2048).as_dict(private=True)]})}, "public keys only"),
        ({"jwks": "{not json"}, "not valid JSON"),
        ({"client_id": "a b"}, "Use 3 to 100 letters"),
    ],
)
def test_a_bad_registration_shows_its_error_and_changes_nothing(changes, problem):
    answer = manager().post(reverse("oidc:new_client"), registration(**changes))
    assert answer.status_code == 200
    assert problem in answer.content.decode()
    assert "<title>Error:" in answer.content.decode()
    assert not Client.objects.exists()


def test_a_client_id_is_registered_once():
    browser = manager()
    browser.post(reverse("oidc:new_client"), registration())
    again = browser.post(reverse("oidc:new_client"), registration(name="Impostor"))
    assert "registered already" in again.content.decode()
    assert Client.objects.get().name == "City Permits Office"


def test_a_secret_client_sees_its_secret_once_and_can_get_a_new_one():
    browser = manager()
    answer = browser.post(reverse("oidc:new_client"), registration(auth_method="client_secret_basic", jwks=""))
    assert answer["Cache-Control"] == "no-store"
    secret = answer.content.decode().split('data-testid="client-secret">')[1].split("<")[0]
    client = Client.objects.get()
    assert client.secret_hash == secret_hash(secret)
    change_url = reverse("oidc:change_client", args=[client.client_id])
    kept = browser.post(change_url, registration(auth_method="client_secret_basic", jwks=""))
    assert kept["Location"] == reverse("oidc:clients")
    client.refresh_from_db()
    assert client.secret_hash == secret_hash(secret)
    renewed = browser.post(change_url, registration(auth_method="client_secret_basic", jwks="", new_secret="on"))
    new_secret = renewed.content.decode().split('data-testid="client-secret">')[1].split("<")[0]
    client.refresh_from_db()
    assert new_secret != secret
    assert client.secret_hash == secret_hash(new_secret)
    assert not AuditEvent.objects.filter(extra__icontains=secret).exists()


def test_disabling_a_client_stops_it_and_revokes_its_tokens(signed_in, federal, verified):
    tokens = federal.redeem(signed_in, code_for(signed_in, federal)).json()
    browser = manager()
    switch = reverse("oidc:switch_client", args=[federal.client_id])
    assert browser.post(switch, {"action": "disable"})["Location"] == reverse("oidc:clients")
    assert AccessToken.objects.get().revoked_at is not None
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert signed_in.get(reverse("oidc:userinfo"), headers=bearer).status_code == 401
    assert signed_in.get(federal.authorize_url()).status_code == 400
    assert "since " in browser.get(reverse("oidc:clients")).content.decode()

    browser.post(switch, {"action": "enable"})
    assert signed_in.get(federal.authorize_url()).status_code == 302
    assert signed_in.get(reverse("oidc:userinfo"), headers=bearer).status_code == 401  # revoked stays revoked
    tags = list(AuditEvent.objects.filter(tag__in=["identity:oidc:client_disabled", "identity:oidc:client_enabled"]))
    assert [event.tag for event in tags] == ["identity:oidc:client_disabled", "identity:oidc:client_enabled"]
    assert tags[0].extra == {"tokens_revoked": 1}


def test_an_unknown_client_is_a_404():
    browser = manager()
    assert browser.get(reverse("oidc:change_client", args=["nobody"])).status_code == 404
    assert browser.post(reverse("oidc:switch_client", args=["nobody"])).status_code == 404


def test_staff_roles_are_given_and_taken_away():
    user = User.objects.create_user(email="sam@verifyid.example", password="a long demo password 42")
    call_command("staff_role", "sam@verifyid.example", "client-admin")
    call_command("staff_role", "sam@verifyid.example", "video-agent")
    user.refresh_from_db()
    assert user.is_staff
    assert user.has_perm("identity_oidc.manage_clients")
    call_command("staff_role", "sam@verifyid.example", "client-admin", "--remove")
    user = User.objects.get(pk=user.pk)
    assert user.is_staff
    assert not user.has_perm("identity_oidc.manage_clients")
    call_command("staff_role", "sam@verifyid.example", "video-agent", "--remove")
    assert not User.objects.get(pk=user.pk).is_staff
    roles = AuditEvent.objects.filter(tag__startswith="security:staff_role").values_list("tag", "extra")
    assert [(tag, extra["role"]) for tag, extra in roles][-1] == ("security:staff_role:removed", "video-agent")


def test_the_account_page_links_staff_to_their_pages(client):
    assert reverse("oidc:clients").encode() in manager().get(reverse("account:index")).content
    sign_in(client, User.objects.create_user(email="pat@example.test", password="a long demo password 42"))
    assert b"Staff pages" not in client.get(reverse("account:index")).content


def test_a_client_receives_only_its_registered_claims(signed_in, verified, signing_key):
    browser = manager()
    browser.post(
        reverse("oidc:new_client"),
        registration(
            scopes=["openid", "profile", "social_security_number"],
            claims=["given_name", "family_name"],
            acr_values=[VERIFIED],
            jwks=json.dumps({"keys": [KEY.as_dict(private=False)]}),
            redirect_uris=REDIRECT,
        ),
    )
    agency = Agency(record=Client.objects.get(), key=KEY)
    url = agency.authorize_url(scope="openid profile social_security_number", acr_values=VERIFIED)
    consent = signed_in.get(url).content.decode()
    assert "Your name" in consent
    assert "Your date of birth" not in consent
    assert "Social Security" not in consent
    tokens = agency.redeem(signed_in, allow(signed_in, url)["code"]).json()
    info = signed_in.get(reverse("oidc:userinfo"), headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert set(info.json()) == {"sub", "ial", "aal", "given_name", "family_name"}


def test_a_claim_needs_a_scope_that_releases_it():
    answer = manager().post(reverse("oidc:new_client"), registration(claims=["email", "birthdate"]))
    assert "No scope chosen releases birthdate." in answer.content.decode()
    assert not Client.objects.exists()


def test_a_claim_added_later_is_asked_about_before_it_is_released(signed_in, federal, verified):
    Client.objects.filter(pk=federal.record.pk).update(claims=["email", "email_verified", "given_name", "family_name"])
    federal.record.refresh_from_db()
    url = federal.authorize_url(scope="openid profile")
    first = allow(signed_in, url)
    assert federal.redeem(signed_in, first["code"]).status_code == 200
    Client.objects.filter(pk=federal.record.pk).update(claims=[*federal.record.claims, "birthdate"])
    again = signed_in.get(federal.authorize_url(scope="openid profile"))
    assert again.status_code == 200
    assert "Your date of birth" in again.content.decode()


def test_disable_and_enable_say_what_they_want(federal):
    browser = manager()
    switch = reverse("oidc:switch_client", args=[federal.client_id])
    browser.post(switch, {"action": "disable"})
    browser.post(switch, {"action": "disable"})  # a double click
    federal.record.refresh_from_db()
    assert not federal.record.is_enabled
    assert AuditEvent.objects.filter(tag="identity:oidc:client_disabled").count() == 1


def test_new_is_not_a_client_id():
    answer = manager().post(reverse("oidc:new_client"), registration(client_id="new"))
    assert "Choose another client ID." in answer.content.decode()
