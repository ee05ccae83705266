"""Reading the audit log: chain verification."""

from __future__ import annotations

from dataclasses import dataclass

from taxgov.common.audit.chain import GENESIS_HASH, event_hash
from taxgov.common.audit.models import AuditChainCheck, AuditEvent


@dataclass(frozen=True)
class ChainVerification:
    events_checked: int
    intact: bool
    first_sequence: int | None
    last_sequence: int | None
    last_hash: str
    broken_at_sequence: int | None = None


def verify_chain(*, since: AuditChainCheck | None = None, batch_size: int = 2000) -> ChainVerification:
    """Recompute every link after the last intact check (or from the start).

    Detects edited rows, deleted rows (a gap in the sequence, a link that points nowhere, or
    a missing last row) and inserted rows; stops at the first broken link.
    """
    expected_sequence, previous_hash = 1, GENESIS_HASH
    if since is not None and since.intact and since.last_sequence is not None:
        # The last row that check verified must still be there, unchanged: this catches rows
        # deleted from the end of the log, which no later link would point to.
        anchor = AuditEvent.objects.filter(sequence=since.last_sequence).values_list("hash", flat=True).first()
        if anchor != since.last_hash:
            return ChainVerification(0, False, None, since.last_sequence, since.last_hash, since.last_sequence)
        expected_sequence, previous_hash = since.last_sequence + 1, since.last_hash
    first = None
    checked = 0
    events = AuditEvent.objects.filter(sequence__gte=expected_sequence).order_by("sequence")
    for event in events.iterator(chunk_size=batch_size):
        first = first or event.sequence
        recomputed = event_hash(
            previous_hash=previous_hash,
            sequence=event.sequence,
            occurred_at=event.occurred_at,
            tag=event.tag,
            actor=event.actor,
            subject=event.subject,
            ip_address=event.ip_address,
            user_agent=event.user_agent,
            extra=event.extra,
        )
        intact = (
            event.sequence == expected_sequence and event.previous_hash == previous_hash and event.hash == recomputed
        )
        if not intact:
            return ChainVerification(checked, False, first, event.sequence, previous_hash, event.sequence)
        checked += 1
        expected_sequence, previous_hash = event.sequence + 1, event.hash
    last = expected_sequence - 1 if expected_sequence > 1 else None
    return ChainVerification(checked, True, first, last, previous_hash)
