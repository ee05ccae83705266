"""Periodic verification of the audit chain (scheduled in CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from taxgov.common.audit.models import AuditChainCheck
from taxgov.common.audit.queries import verify_chain

logger = logging.getLogger(__name__)


@shared_task(name="taxgov.common.audit.tasks.verify_audit_chain")
def verify_audit_chain() -> bool:
    """Check the links added since the last intact check and record the outcome.

    Idempotent: running twice only checks the new events twice as zero events.
    """
    previous = AuditChainCheck.objects.filter(intact=True).first()
    result = verify_chain(since=previous)
    AuditChainCheck.objects.create(
        checked_at=timezone.now(),
        first_sequence=result.first_sequence,
        last_sequence=result.last_sequence,
        last_hash=result.last_hash,
        events_checked=result.events_checked,
        intact=result.intact,
        broken_at_sequence=result.broken_at_sequence,
    )
    if not result.intact:
        logger.critical("audit chain broken at sequence %s", result.broken_at_sequence)
    return result.intact
