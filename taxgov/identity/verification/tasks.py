"""Scheduled jobs of identity verification."""

from __future__ import annotations

from celery import shared_task

from taxgov.identity.verification import actions


@shared_task
def delete_expired_biometrics() -> int:
    """Hourly: photos and selfies go once their retention period is over (docs/idv.md)."""
    return actions.do_delete_expired_biometrics()
