"""Periodic verification of the audit chain (scheduled in CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from taxgov.common.audit.actions import record_event
from taxgov.common.audit.models import AuditChainCheck
from taxgov.common.audit.queries import verify_chain
from taxgov.common.audit.tags import EventTag

logger = logging.getLogger(__name__)


@shared_task(name="taxgov.common.audit.tasks.verify_audit_chain")
def verify_audit_chain(*, full: bool = False) -> bool:
    """Check the links added since the last intact check (or, with ``full``, the whole log)
    and record the outcome. Idempotent: a second run finds no new events to check.
    """
    previous = None if full else AuditChainCheck.objects.filter(intact=True).first()
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
        record_event(EventTag.AUDIT_CHAIN_BROKEN, actor="system", extra={"sequence": result.broken_at_sequence})
    return result.intact
