"""The one way to write an audit event."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from taxgov.common.audit.chain import GENESIS_HASH, event_hash
from taxgov.common.audit.models import AuditEvent
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
    extra = dict(extra or {})
    leaked = FORBIDDEN_EXTRA_KEYS.intersection(_keys(extra))
    if leaked:
        raise ValueError(f"audit extra must not carry personal data: {sorted(leaked)}")
    ip_address = _stored_ip(request.META.get("REMOTE_ADDR")) if request is not None else None
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""
    if request is not None and not actor and request.user.is_authenticated:
        actor = f"user:{request.user.pk}"
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        sequence, previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        fields: dict[str, Any] = {
            "sequence": sequence,
            "occurred_at": timezone.now(),
            "tag": str(tag),
            "actor": actor,
            "subject": subject,
            "ip_address": ip_address,
            "user_agent": user_agent,
            "extra": extra,
        }
        event = AuditEvent(
            previous_hash=previous_hash, hash=event_hash(previous_hash=previous_hash, **fields), **fields
        )
        event.save(force_insert=True)
        if str(tag) in EVENT_OF_TAG:  # outcome counters (ADR 0032) count committed events only
            transaction.on_commit(partial(count_event, str(tag), extra), robust=True)
    return event


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
