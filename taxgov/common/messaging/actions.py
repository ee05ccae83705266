"""Writes of the messaging app."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from taxgov.common.audit.actions import record_event
from taxgov.common.audit.tags import EventTag
from taxgov.common.messaging.api import send_email


@transaction.atomic
def do_send_test_email(to: str, *, home_url: str, request: HttpRequest) -> None:
    """Queue the development test email (sent when the transaction commits) and audit it."""
    send_email("dev_test", to, {"home_url": home_url})
    record_event(EventTag.DEV_TEST_EMAIL_SENT, request=request)
