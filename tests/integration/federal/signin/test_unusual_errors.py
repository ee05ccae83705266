"""An ``error`` from the provider that is not an error code (RFC 6749 4.1.2.1: printable ASCII)
is refused like any other, and recorded without its characters: a NUL reached the audit event,
which PostgreSQL refused with a 500 (found by fuzzing, tests/resilience)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from taxgov.common.audit.models import AuditEvent
from tests.integration.federal.signin.test_relying_party import (
    FakeProvider,
    begin,
    fake_provider,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("error", ["server_error\x00", "d\u00e9clin\u00e9", "\U000d0fcf"])
def test_an_error_that_is_not_a_code_is_refused_and_not_recorded_as_sent(client, request, error):
    provider: FakeProvider = request.getfixturevalue("fake_provider")
    query = begin(client, provider)
    answer = client.get(reverse("federal_signin:callback"), {"error": error, "state": query["state"]})
    assert answer.status_code == 400
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(tag="federal:signin:failed")
    assert event.extra["reason"] == "provider answered an error that is not a code"
