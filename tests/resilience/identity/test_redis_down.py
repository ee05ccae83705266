"""Redis down: sign-in stays safe (ADR 0035). The rate limits fail closed, so no password
or code is checked while attempts cannot be counted; pages that need no count still work,
the cache reads as empty; and sign-in works again once Redis is back."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from taxgov.common.audit.models import AuditEvent
from taxgov.common.mfa.models import FactorKind, SecondFactor
from taxgov.identity.signin.tags import SigninTag
from tests.integration.identity.test_accounts import enrolled_with_app, sign_in
from tests.resilience.services import PrivateRedis, private_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_server(settings) -> PrivateRedis:
    settings.EMAIL_BACKEND = "taxgov.common.messaging.outbox.OutboxEmailBackend"
    with private_redis() as server:
        settings.CACHES = {"default": {"BACKEND": "taxgov.common.outages.DegradingRedisCache", "LOCATION": server.url}}
        settings.TAXGOV_RATE_LIMIT_STORAGE = server.url
        yield server


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def unused_code(app: pyotp.TOTP) -> str:
    """A code the account has not used yet (each time step is accepted once)."""
    factor = SecondFactor.objects.get(kind=FactorKind.TOTP)
    now = time.time()
    return app.at(now + 30) if factor.last_totp_step == app.timecode(now) else app.now()


def test_sign_in_fails_closed_while_redis_is_down_and_recovers(redis_server, send):
    app = enrolled_with_app(Client(), send)
    halfway = Client(raise_request_exception=False)
    assert sign_in(halfway)["Location"] == reverse("signin:verify")  # mid-sign-in when Redis goes
    used_step = SecondFactor.objects.get(kind=FactorKind.TOTP).last_totp_step

    redis_server.kill()
    browser = Client(raise_request_exception=False)
    assert browser.get(reverse("signin:sign_in")).status_code == 200  # the form, from a cold cache
    refused = sign_in(browser)
    assert refused.status_code == 503
    assert refused["Retry-After"] == "30"
    assert "This service is briefly unavailable" in refused.content.decode()
    assert "Traceback" not in refused.content.decode()
    assert sign_in(browser, password="not the password").status_code == 503  # nothing to learn either way
    assert "_auth_user_id" not in browser.session
    assert not AuditEvent.objects.filter(tag=SigninTag.FAILED).exists()  # no password was checked

    assert halfway.post(reverse("signin:verify"), {"code": unused_code(app)}).status_code == 503
    assert "_auth_user_id" not in halfway.session
    assert SecondFactor.objects.get(kind=FactorKind.TOTP).last_totp_step == used_step  # no code was checked

    spanish = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="es")
    assert 'lang="es"' in sign_in(spanish).content.decode()

    redis_server.start()  # an empty Redis, as after a crash: no counts, no cache
    assert sign_in(browser)["Location"] == reverse("signin:verify")
    assert browser.post(reverse("signin:verify"), {"code": unused_code(app)})["Location"] == reverse("account:index")
    assert browser.session["_auth_user_id"]
