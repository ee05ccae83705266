"""What a token exchange costs and keeps: its few statements, its audit event written last
(so the audit chain's lock is not held while the ID token is signed), the client assertions
it keeps until the hourly job forgets them, and a client's new keys taking effect at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from joserfc.jwk import RSAKey

from taxgov.common.audit.models import AuditEvent
from taxgov.identity.oidc.models import AccessToken, AuthorizationCode, SeenAssertion
from taxgov.identity.oidc.tags import OidcTag
from taxgov.identity.oidc.tasks import forget_expired_assertions
from tests.integration.identity.oidc.conftest import HttpsClient, register
from tests.integration.identity.oidc.test_code_flow import code_for

pytestmark = pytest.mark.django_db


def test_an_exchange_takes_a_few_statements_and_writes_its_audit_event_last(signed_in, federal, verified):
    code = code_for(signed_in, federal)
    with CaptureQueriesContext(connection) as captured:
        answer = federal.redeem(HttpsClient(), code)  # an agency's server: no cookies
    assert answer.status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    # The view's transaction (a savepoint inside the test's), the client, the assertion's jti,
    # the code redeemed and read, the signing key, the access token, then the audit event:
    # the chain's lock on PostgreSQL, its last link, the event.
    assert len(statements) <= 11, statements
    assert sum(sql.startswith("SAVEPOINT") for sql in statements) == 1
    assert not any(sql.startswith("DELETE") for sql in statements)
    chain = next(
        index
        for index, sql in enumerate(statements)
        if "pg_advisory_xact_lock" in sql or AuditEvent._meta.db_table in sql
    )
    assert all("pg_advisory_xact_lock" in sql or AuditEvent._meta.db_table in sql for sql in statements[chain:-1])
    assert statements[-1].startswith("RELEASE SAVEPOINT")
    assert statements[-2].startswith(f'INSERT INTO "{AuditEvent._meta.db_table}"')


def test_each_token_has_its_one_event_and_a_refused_request_none(signed_in, federal, verified):
    refused = federal.redeem(signed_in, code_for(signed_in, federal), code_verifier="x" * 50)
    assert refused.status_code == 400
    assert not AuditEvent.objects.filter(tag=OidcTag.TOKEN_ISSUED).exists()

    for _ in range(2):
        assert federal.redeem(signed_in, code_for(signed_in, federal)).status_code == 200

    issued = AuditEvent.objects.filter(tag=OidcTag.TOKEN_ISSUED)
    assert issued.count() == AccessToken.objects.count() == 2
    assert set(issued.values_list("actor", flat=True)) == {f"oidc_client:{federal.client_id}"}
    assert AuditEvent.objects.order_by("-sequence").first().tag == OidcTag.TOKEN_ISSUED


def test_the_hourly_job_forgets_only_the_assertions_long_expired(signed_in, federal, verified):
    assert federal.redeem(signed_in, code_for(signed_in, federal)).status_code == 200
    fresh = SeenAssertion.objects.get()
    now = timezone.now()
    long_expired = SeenAssertion.objects.create(
        client=federal.record, jti="long-expired", expires_at=now - dt.timedelta(minutes=6)
    )
    just_expired = SeenAssertion.objects.create(
        client=federal.record, jti="just-expired", expires_at=now - dt.timedelta(minutes=4)
    )
    AuthorizationCode.objects.update(expires_at=now - dt.timedelta(days=30))

    assert forget_expired_assertions() == 1
    assert forget_expired_assertions() == 0
    assert set(SeenAssertion.objects.values_list("pk", flat=True)) == {fresh.pk, just_expired.pk}
    assert not SeenAssertion.objects.filter(pk=long_expired.pk).exists()
    assert AuthorizationCode.objects.count() == 1  # kept: its nonce is not to be used again
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "taxgov.identity.oidc.tasks.forget_expired_assertions" in tasks


def test_an_assertion_kept_only_expired_is_still_refused_again(signed_in, federal, verified):
    """A jti waiting for the hourly job is still a jti seen: the endpoint no longer deletes
    expired ones itself, and an insert that finds it tells so."""
    assertion = federal.assertion()
    assert federal.redeem(signed_in, code_for(signed_in, federal), assertion=assertion).status_code == 200
    SeenAssertion.objects.update(expires_at=timezone.now() - dt.timedelta(hours=1))
    again = federal.redeem(signed_in, code_for(signed_in, federal), assertion=assertion)
    assert again.json()["error"] == "invalid_client"
    assert SeenAssertion.objects.count() == 1


def test_a_client_that_changes_its_keys_is_checked_with_the_new_ones(signed_in, federal, verified):
    assert federal.redeem(signed_in, code_for(signed_in, federal)).status_code == 200  # its keys, parsed and kept
    old_key, federal.key = federal.key, RSAKey.generate_key(2048, auto_kid=True)
    register(federal.client_id, key=federal.key)

    assert federal.redeem(signed_in, code_for(signed_in, federal)).status_code == 200
    federal.key = old_key
    assert federal.redeem(signed_in, code_for(signed_in, federal)).json()["error"] == "invalid_client"
