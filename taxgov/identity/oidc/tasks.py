"""Scheduled jobs of the OpenID Connect provider."""

from __future__ import annotations

from celery import shared_task

from taxgov.identity.oidc import actions


@shared_task
def forget_expired_assertions() -> int:
    """Hourly: the token endpoint keeps each client assertion's ``jti`` only while it matters."""
    return actions.do_forget_expired_assertions()
