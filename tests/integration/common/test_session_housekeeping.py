"""The daily task that deletes expired sessions, and only those."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from taxgov.common.security.tasks import clear_expired_sessions


def test_expired_sessions_are_deleted_and_live_ones_kept(db):
    now = timezone.now()
    Session.objects.create(session_key="expired" * 4, session_data="", expire_date=now - dt.timedelta(minutes=1))
    Session.objects.create(session_key="current" * 4, session_data="", expire_date=now + dt.timedelta(hours=1))
    clear_expired_sessions()
    clear_expired_sessions()  # idempotent
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current" * 4]
    assert "clear-expired-sessions" in settings.CELERY_BEAT_SCHEDULE
