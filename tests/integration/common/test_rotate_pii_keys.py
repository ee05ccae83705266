"""The rotate_pii_keys management command."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import call_command

from taxgov.common.audit.models import AuditEvent
from taxgov.common.audit.queries import verify_chain
from taxgov.common.audit.tags import EventTag

pytestmark = pytest.mark.django_db


def test_rotate_pii_keys_reports_primary_key_and_records_audit_event(settings):
    new_key = base64.b64encode(b"new-key-32-bytes-long-for-tests!").decode()
    settings.TAXGOV_PII_KEYS = f"new1:{new_key},{settings.TAXGOV_PII_KEYS}"
    out = io.StringIO()

    call_command("rotate_pii_keys", stdout=out)

    assert "under key new1." in out.getvalue()
    event = AuditEvent.objects.get(tag=EventTag.PII_KEYS_ROTATED)
    assert event.extra["primary"] == "new1"
    assert isinstance(event.extra["rewrapped"], int)
    assert verify_chain().intact
