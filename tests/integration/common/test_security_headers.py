"""Security headers and cookies every response of the identity deployable carries."""

from __future__ import annotations

import re

import pytest

from taxgov.common.ratelimit import rate_limiter

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=_-]{16,})'")


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _script_nonce(response) -> str:
    [value] = [v for v in _directives(response)["script-src"] if v.startswith("'nonce-")]
    match = NONCE.fullmatch(value)
    assert match, value
    return match.group(1)


def test_home_page_csp_allows_only_scripts_carrying_this_responses_nonce(client):
    response = client.get("/")

    assert response.status_code == 200
    directives = _directives(response)
    nonce = _script_nonce(response)
    assert directives["script-src"] == [f"'nonce-{nonce}'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the page loads its scripts"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag


def test_each_response_gets_a_fresh_nonce(client):
    assert _script_nonce(client.get("/")) != _script_nonce(client.get("/"))


def test_not_found_page_carries_csp_nonce(client, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    nonce = _script_nonce(response)
    assert f'nonce="{nonce}"' in response.content.decode()
    assert _directives(response)["frame-ancestors"] == ["'none'"]


def test_redirect_carries_csp_nonce(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})

    assert response.status_code == 302
    assert _script_nonce(response)


def test_responses_carry_permissions_policy_and_frame_options(client):
    response = client.get("/")

    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_redirect_carries_permissions_policy(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})

    assert "camera=()" in response["Permissions-Policy"]


def test_cookie_names_are_specific_to_the_identity_deployable(client, settings):
    assert settings.SESSION_COOKIE_NAME == "taxgov_identity_session"
    assert settings.CSRF_COOKIE_NAME == "taxgov_identity_csrftoken"
    assert settings.LANGUAGE_COOKIE_NAME == "taxgov_identity_language"

    response = client.get("/dev/outbox/")  # a page with a form sets the CSRF cookie

    cookie = response.cookies["taxgov_identity_csrftoken"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert "csrftoken" not in response.cookies


def test_session_cookie_is_specific_to_the_identity_deployable(client, django_user_model):
    user = django_user_model.objects.create_user("pat@example.com", "a long password 123")
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 200
    assert "taxgov_identity_session" in client.cookies
    assert "sessionid" not in client.cookies


def test_flash_message_cookie_is_specific_to_the_identity_deployable(client, settings):
    settings.EMAIL_BACKEND = "taxgov.common.messaging.outbox.OutboxEmailBackend"
    rate_limiter("dev.outbox.test_email").clear("127.0.0.1")
    try:
        response = client.post("/dev/outbox/", {"to": "pat@example.com"})
    finally:
        rate_limiter("dev.outbox.test_email").clear("127.0.0.1")

    assert response.status_code == 302
    assert response.cookies, "the success message is kept in a cookie until the next page"
    assert [name for name in response.cookies if not name.startswith("taxgov_identity_")] == []


def test_language_switch_sets_language_cookie_and_redirects_to_next(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/dev/outbox/"})

    assert response.status_code == 302
    assert response.url == "/dev/outbox/"
    cookie = response.cookies["taxgov_identity_language"]
    assert cookie.value == "es"
    assert cookie["samesite"] == "Lax"
    assert "django_language" not in response.cookies
    page = client.get("/")
    assert '<html lang="es">' in page.content.decode()
    assert page["Content-Language"] == "es"


def test_language_switch_refuses_to_redirect_off_site(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/phish"})

    assert response.status_code == 302
    assert "evil.example" not in response.url
    assert response.url == "/"


def test_language_switch_ignores_unknown_language(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    assert response.status_code == 302
    assert "taxgov_identity_language" not in response.cookies


def test_static_files_carry_csp_nonce_and_security_headers(client):
    response = client.get("/static/taxgov/js/taxgov.js")

    assert response.status_code == 200
    assert "'nonce-" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    response.close()
