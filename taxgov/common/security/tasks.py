"""Periodic housekeeping of sign-in state (scheduled in CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(name="taxgov.common.security.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete the sessions past their expiry from the session store (``clearsessions``): the
    table otherwise keeps every session ever started. Idempotent."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
