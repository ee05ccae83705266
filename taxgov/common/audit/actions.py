"""The one way to write an audit event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from taxgov.common.audit.chain import GENESIS_HASH, event_hash
from taxgov.common.audit.models import AuditEvent
from taxgov.common.bulk import insert_rows
from taxgov.common.observability.metrics import EVENT_OF_TAG, count_event

# Audit rows are kept for years and read by support staff: personal data never goes in them.
FORBIDDEN_EXTRA_KEYS = frozenset(
    {"ssn", "tin", "itin", "ein", "dob", "date_of_birth", "password", "secret", "account_number", "routing_number"}
)
_CHAIN_LOCK_ID = 0x7A78_6175_6469_74  # any constant shared by every writer of this database


def record_event(
    tag: str,
    *,
    actor: str = "",
    subject: str = "",
    request: HttpRequest | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the chain, inside the caller's transaction if there is one.

    ``actor`` and ``subject`` are references such as ``user:42`` or ``payment:9``, never names.
    """
    if request is not None and not actor and request.user.is_authenticated:
        actor = f"user:{request.user.pk}"
    event = NewEvent(
        str(tag),
        actor=actor,
        subject=subject,
        extra=dict(extra or {}),
        ip_address=_stored_ip(request.META.get("REMOTE_ADDR")) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else "",
    )
    return _append([event])[0]


@dataclass(frozen=True)
class NewEvent:
    """One event for ``record_events``; the fields mean what ``record_event``'s do."""

    tag: str
    actor: str = ""
    subject: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    ip_address: str | None = None
    user_agent: str = ""


def record_events(events: Sequence[NewEvent]) -> None:
    """Append a batch job's events (one per thing it did) to the chain, in order, inside the
    caller's transaction: the same links as one ``record_event`` each, with the chain locked
    once and the rows written together, which a job handling a million things needs."""
    if events:
        _append(events)


def _append(events: Sequence[NewEvent]) -> list[AuditEvent]:
    for new in events:
        leaked = FORBIDDEN_EXTRA_KEYS.intersection(_keys(new.extra))
        if leaked:
            raise ValueError(f"audit extra must not carry personal data: {sorted(leaked)}")
    # No savepoint: a failed append fails the caller's whole transaction, as it must, since
    # every write goes with its event.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        sequence, previous_hash = (last[0], last[1]) if last else (0, GENESIS_HASH)
        occurred_at = timezone.now()
        rows: list[AuditEvent] = []
        for new in events:
            sequence += 1
            fields: dict[str, Any] = {
                "sequence": sequence,
                "occurred_at": occurred_at,
                "tag": str(new.tag),
                "actor": new.actor,
                "subject": new.subject,
                "ip_address": new.ip_address,
                "user_agent": new.user_agent,
                "extra": new.extra,
            }
            link = event_hash(previous_hash=previous_hash, **fields)
            rows.append(AuditEvent(**fields, previous_hash=previous_hash, hash=link))
            previous_hash = link
        if len(rows) == 1:
            rows[0].save(force_insert=True)  # one round trip; a COPY takes two
        else:
            insert_rows(rows)
        counted = [(row.tag, row.extra) for row in rows if row.tag in EVENT_OF_TAG]
        if counted:  # outcome counters (ADR 0032) count committed events only
            transaction.on_commit(partial(_count_events, counted), robust=True)
    return rows


def _count_events(counted: list[tuple[str, dict[str, Any]]]) -> None:
    for tag, extra in counted:
        count_event(tag, extra)


def _keys(value: Any) -> set[str]:
    """Every key of a JSON-like value, at any depth, lower-cased."""
    if isinstance(value, dict):
        return {str(key).lower() for key in value} | {k for item in value.values() for k in _keys(item)}
    if isinstance(value, list | tuple):
        return {k for item in value for k in _keys(item)}
    return set()


def _stored_ip(raw: str | None) -> str | None:
    """The address as the database will store it (IPv6 normalized), so the hash computed now
    matches the row read back later."""
    try:
        return AuditEvent._meta.get_field("ip_address").to_python(raw) or None
    except ValidationError:
        return None


def _lock_chain() -> None:
    """Serialize writers so each event links to the one before it.

    PostgreSQL: a transaction-level advisory lock. SQLite allows one writer at a time anyway,
    and the unique sequence catches any race.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])
