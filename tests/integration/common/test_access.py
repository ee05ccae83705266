"""Deny-by-default access rules (taxgov.common.access)."""

from __future__ import annotations

import logging

import pytest
from django.http import HttpResponse
from django.views import View

from taxgov.common.access.rules import PUBLIC, SIGNED_IN, access_rule, rules_of
from taxgov.common.access.sweep import iter_routes, unprotected_routes
from tests.integration.common import urls_unprotected

URLCONF = "tests.integration.common.urls_unprotected"
FRIENDLY_403 = "You do not have access to this page"

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("member@example.com", "a long password 123")


@pytest.fixture
def staff_member(django_user_model):
    return django_user_model.objects.create_user("staff@example.com", "a long password 123", is_staff=True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_view_without_access_rule_is_refused_with_friendly_page(client, caplog, method):
    with caplog.at_level(logging.ERROR, logger="taxgov.common.access.middleware"):
        response = getattr(client, method)("/forgotten/")

    assert response.status_code == 403
    html = response.content.decode()
    assert FRIENDLY_403 in html
    assert urls_unprotected.SECRET not in html
    assert "declares no access rule" in caplog.text
    assert "forgotten" in caplog.text


def test_view_without_access_rule_is_refused_even_when_signed_in_as_staff(client, staff_member):
    client.force_login(staff_member)

    response = client.get("/forgotten/")

    assert response.status_code == 403
    assert urls_unprotected.SECRET not in response.content.decode()


def test_public_view_is_served_to_anonymous_user(client):
    response = client.get("/open/")

    assert response.status_code == 200
    assert response.content == b"open page"


def test_url_sweep_reports_exactly_the_view_without_access_rule():
    unprotected = unprotected_routes(URLCONF)

    assert [(route.pattern, route.name) for route in unprotected] == [("forgotten/", "forgotten")]
    assert unprotected[0].view is urls_unprotected.forgotten


def test_url_sweep_follows_includes_and_reads_rules_of_each_route():
    routes = {route.pattern: route for route in iter_routes(URLCONF)}

    assert routes["open/"].rules == (PUBLIC,)
    assert [rule.name for rule in routes["staff/"].rules] == ["signed-in", "staff"]
    assert [rule.name for rule in routes["class/account/"].rules] == ["signed-in"]
    assert [rule.name for rule in routes["dev/outbox/<int:message_id>/html/"].rules] == ["dev-tools"]
    assert routes["i18n/setlang/"].rules == (PUBLIC,)


def test_signed_in_rule_redirects_anonymous_user_to_login(client, settings):
    response = client.get("/account/?tab=1")

    assert response.status_code == 302
    assert response.url == f"{settings.LOGIN_URL}?next=/account/%3Ftab%3D1"
    assert b"your account" not in response.content


def test_signed_in_rule_serves_signed_in_user(client, member):
    client.force_login(member)

    response = client.get("/account/")

    assert response.status_code == 200
    assert response.content == b"your account"


def test_staff_rule_refuses_signed_in_user_who_is_not_staff(client, member):
    client.force_login(member)

    response = client.get("/staff/")

    assert response.status_code == 403
    assert FRIENDLY_403 in response.content.decode()


def test_staff_rule_serves_staff(client, staff_member):
    client.force_login(staff_member)

    assert client.get("/staff/").content == b"staff only"


def test_every_rule_must_allow_so_anonymous_user_is_sent_to_login_before_staff_check(client, settings):
    response = client.get("/staff/")

    assert response.status_code == 302
    assert response.url.startswith(settings.LOGIN_URL)


def test_class_based_view_with_access_rule_is_served(client):
    response = client.get("/class/open/")

    assert response.status_code == 200
    assert response.content == b"open class view"


def test_class_based_view_with_signed_in_rule_redirects_anonymous_user(client, settings, member):
    assert client.get("/class/account/").url.startswith(settings.LOGIN_URL)

    client.force_login(member)
    assert client.get("/class/account/").content == b"account class view"


def test_rules_of_finds_rules_declared_on_a_view_class():
    assert rules_of(urls_unprotected.OpenClassView.as_view()) == (PUBLIC,)
    assert rules_of(urls_unprotected.forgotten) is None


def test_rules_of_returns_none_for_undecorated_view_class():
    class Undeclared(View):
        def get(self, request):
            return HttpResponse("")

    assert rules_of(Undeclared.as_view()) is None


def test_access_rule_refuses_to_decorate_without_rules():
    with pytest.raises(ValueError, match="PUBLIC"):
        access_rule()


def test_access_rule_returns_the_view_unchanged():
    def view(request):
        return HttpResponse("")

    assert access_rule(SIGNED_IN)(view) is view
    assert rules_of(view) == (SIGNED_IN,)
