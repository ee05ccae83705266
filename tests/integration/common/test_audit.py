"""The append-only, hash-chained audit log (taxgov.common.audit)."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from taxgov.common.audit.actions import record_event
from taxgov.common.audit.chain import GENESIS_HASH, event_hash
from taxgov.common.audit.models import AuditChainCheck, AuditEvent
from taxgov.common.audit.queries import verify_chain
from taxgov.common.audit.tags import EventTag
from taxgov.common.audit.tasks import verify_audit_chain
from taxgov.common.db import AppendOnlyError
from tests.support.database import append_only_suspended

pytestmark = pytest.mark.django_db


def _three_events() -> list[AuditEvent]:
    return [
        record_event("test:thing:created", actor="user:1", subject="thing:1"),
        record_event("test:thing:updated", actor="user:1", subject="thing:1", extra={"field": "name"}),
        record_event("test:thing:deleted", actor="user:2", subject="thing:1"),
    ]


def _forged(sequence: int, previous_hash: str, *, signed_with: str = "") -> AuditEvent:
    """A row as someone with database access would insert it: hashed with ``signed_with``
    (a guessed or stolen chain key), or with a made-up hash when empty."""
    fields = {
        "sequence": sequence,
        "occurred_at": timezone.now(),
        "tag": "test:forged:inserted",
        "actor": "user:666",
        "subject": "",
        "ip_address": None,
        "user_agent": "",
        "extra": {},
    }
    forged_hash = "f" * 64
    if signed_with:
        with override_settings(TAXGOV_AUDIT_CHAIN_KEY=signed_with):
            forged_hash = event_hash(previous_hash=previous_hash, **fields)
    return AuditEvent(previous_hash=previous_hash, hash=forged_hash, **fields)


@contextmanager
def _append_only_triggers_dropped():
    """What an attacker with database owner rights can do; restored afterwards (and the test's
    transaction rolls the DDL back anyway on SQLite and PostgreSQL)."""
    with append_only_suspended(AuditEvent._meta.db_table):
        yield


def _fails_after(action) -> None:
    """Run ``action`` in a transaction that then fails and rolls back."""
    with transaction.atomic():
        action()
        raise RuntimeError("the action failed")


def test_record_event_chains_sequences_and_hashes():
    first, second, third = _three_events()

    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    stored = AuditEvent.objects.get(sequence=2)
    assert (stored.tag, stored.actor, stored.extra) == ("test:thing:updated", "user:1", {"field": "name"})


def test_record_event_takes_ip_user_agent_and_actor_from_request(django_user_model):
    user = django_user_model.objects.create_user("pat@example.com", "a long password 123")
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="x" * 400)
    request.user = user

    event = record_event("test:thing:viewed", request=request)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == f"user:{user.pk}"
    assert stored.ip_address == "203.0.113.9"
    assert stored.user_agent == "x" * 300
    assert verify_chain().intact


def test_record_event_writes_nothing_when_callers_transaction_rolls_back():
    record_event("test:thing:created")

    with pytest.raises(RuntimeError):
        _fails_after(lambda: record_event("test:thing:updated"))

    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == [1]
    assert record_event("test:thing:retried").sequence == 2


def test_record_event_in_the_callers_transaction_takes_no_savepoint_of_its_own():
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        record_event("test:thing:created")

    assert not any(query["sql"].startswith(("SAVEPOINT", "RELEASE")) for query in captured.captured_queries)
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("key", ["ssn", "SSN", "tin", "date_of_birth", "Password", "routing_number"])
def test_record_event_rejects_personal_data_in_extra(key):
    with pytest.raises(ValueError, match="personal data"):
        record_event("test:thing:created", extra={"note": "ok", key: "123-45-6789"})

    assert not AuditEvent.objects.exists()


def test_verify_chain_reports_intact_chain():
    events = _three_events()

    result = verify_chain()

    assert result.intact
    assert result.events_checked == 3
    assert (result.first_sequence, result.last_sequence) == (1, 3)
    assert result.last_hash == events[-1].hash
    assert result.broken_at_sequence is None


def test_verify_chain_reports_intact_when_log_is_empty():
    result = verify_chain()

    assert result.intact
    assert result.events_checked == 0
    assert result.last_sequence is None
    assert result.last_hash == GENESIS_HASH


def test_model_save_of_existing_event_raises_append_only_error():
    event = record_event("test:thing:created", actor="user:1")
    event.actor = "user:2"

    with pytest.raises(AppendOnlyError):
        event.save()
    loaded = AuditEvent.objects.get(pk=event.pk)
    loaded.tag = "test:thing:hidden"
    with pytest.raises(AppendOnlyError):
        loaded.save()

    assert AuditEvent.objects.get(pk=event.pk).actor == "user:1"


def test_model_delete_raises_append_only_error():
    event = record_event("test:thing:created")

    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_database_refuses_queryset_update():
    record_event("test:thing:created", actor="user:1")

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=1).update(actor="user:2")

    assert AuditEvent.objects.get(sequence=1).actor == "user:1"


def test_database_refuses_queryset_delete():
    _three_events()

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 3
    assert verify_chain().intact


def test_verify_chain_detects_edited_row():
    _three_events()
    with _append_only_triggers_dropped():
        AuditEvent.objects.filter(sequence=2).update(actor="user:999")

    result = verify_chain()

    assert not result.intact
    assert result.broken_at_sequence == 2
    assert result.events_checked == 1


def test_verify_chain_detects_deleted_row():
    _three_events()
    with _append_only_triggers_dropped():
        AuditEvent.objects.filter(sequence=2).delete()

    result = verify_chain()

    assert not result.intact
    assert result.broken_at_sequence == 3


def test_append_only_triggers_are_back_after_the_helper():
    _three_events()
    with _append_only_triggers_dropped():
        pass

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).update(actor="user:999")


def test_verify_chain_detects_forged_row_with_wrong_hash():
    events = _three_events()
    AuditEvent.objects.bulk_create([_forged(4, events[-1].hash)])

    result = verify_chain()

    assert not result.intact
    assert result.broken_at_sequence == 4
    assert result.events_checked == 3


def test_verify_chain_detects_forged_row_hashed_without_the_chain_key():
    events = _three_events()
    AuditEvent.objects.bulk_create([_forged(4, events[-1].hash, signed_with="guessed-key")])
    record_event("test:thing:after")  # the real writer links to the forged row

    result = verify_chain()

    assert not result.intact
    assert result.broken_at_sequence == 4


def test_verify_chain_detects_row_that_links_to_the_wrong_previous_hash(settings):
    _three_events()
    AuditEvent.objects.bulk_create([_forged(4, GENESIS_HASH, signed_with=settings.TAXGOV_AUDIT_CHAIN_KEY)])

    result = verify_chain()

    assert not result.intact
    assert result.broken_at_sequence == 4


def test_verify_chain_detects_gap_in_sequence(settings):
    events = _three_events()
    # A correctly keyed row whose sequence skips 4, as if row 4 had been deleted.
    AuditEvent.objects.bulk_create([_forged(5, events[-1].hash, signed_with=settings.TAXGOV_AUDIT_CHAIN_KEY)])

    result = verify_chain()

    assert not result.intact
    assert result.broken_at_sequence == 5


def test_verify_chain_detects_change_of_chain_key(settings):
    _three_events()
    settings.TAXGOV_AUDIT_CHAIN_KEY = "a-different-key"

    result = verify_chain()

    assert not result.intact
    assert result.broken_at_sequence == 1


def test_verify_chain_reports_intact_when_ip_address_is_non_canonical_ipv6():
    request = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0:0:0:0:1")
    request.user = AnonymousUser()

    record_event("test:thing:viewed", request=request)

    assert verify_chain().intact


def test_verify_audit_chain_records_a_check_and_next_run_starts_after_it():
    events = _three_events()

    assert verify_audit_chain.delay().get() is True

    first = AuditChainCheck.objects.get()
    assert first.intact
    assert first.events_checked == 3
    assert (first.first_sequence, first.last_sequence, first.last_hash) == (1, 3, events[-1].hash)

    assert verify_audit_chain() is True
    second = AuditChainCheck.objects.first()
    assert second.pk != first.pk
    assert second.intact
    assert second.events_checked == 0
    assert second.first_sequence is None
    assert (second.last_sequence, second.last_hash) == (3, events[-1].hash)

    fourth = record_event("test:thing:restored")
    assert verify_audit_chain() is True
    third = AuditChainCheck.objects.first()
    assert third.events_checked == 1
    assert (third.first_sequence, third.last_sequence, third.last_hash) == (4, 4, fourth.hash)


def test_verify_audit_chain_records_broken_chain_and_keeps_reporting_it(caplog):
    events = _three_events()
    assert verify_audit_chain() is True
    AuditEvent.objects.bulk_create([_forged(4, events[-1].hash)])

    with caplog.at_level(logging.CRITICAL, logger="taxgov.common.audit.tasks"):
        assert verify_audit_chain() is False

    broken = AuditChainCheck.objects.first()
    assert not broken.intact
    assert broken.broken_at_sequence == 4
    assert "audit chain broken at sequence 4" in caplog.text
    alarm = AuditEvent.objects.get(tag=EventTag.AUDIT_CHAIN_BROKEN)
    assert alarm.extra == {"sequence": 4}
    # The next run starts again from the last intact check, so the break is never forgotten.
    assert verify_audit_chain() is False
    assert AuditChainCheck.objects.first().broken_at_sequence == 4


def test_verify_audit_chain_full_run_reports_row_edited_after_an_intact_check():
    _three_events()
    assert verify_audit_chain() is True
    with _append_only_triggers_dropped():
        AuditEvent.objects.filter(sequence=2).update(actor="user:999")
    record_event("test:thing:later")

    # The frequent run reads only events after the last intact check; the daily full run reads all.
    assert verify_audit_chain(full=True) is False
    assert AuditChainCheck.objects.first().broken_at_sequence == 2


def test_verify_audit_chain_reports_last_row_deleted_after_an_intact_check():
    _three_events()
    assert verify_audit_chain() is True
    with _append_only_triggers_dropped():
        AuditEvent.objects.filter(sequence=3).delete()

    assert verify_audit_chain() is False
    assert AuditChainCheck.objects.first().broken_at_sequence == 3


def test_full_audit_chain_check_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE.values()
    tasks = [(entry["task"], entry.get("kwargs", {})) for entry in schedule]

    assert ("taxgov.common.audit.tasks.verify_audit_chain", {}) in tasks
    assert ("taxgov.common.audit.tasks.verify_audit_chain", {"full": True}) in tasks


def test_verify_audit_chain_skips_events_covered_by_an_earlier_intact_check():
    _three_events()
    # An earlier check vouched for events 1-3 with this last hash; events 1-3 are not read again.
    AuditChainCheck.objects.create(
        checked_at=timezone.now() - timedelta(minutes=1),
        first_sequence=1,
        last_sequence=3,
        last_hash=AuditEvent.objects.get(sequence=3).hash,
        events_checked=3,
        intact=True,
    )
    AuditChainCheck.objects.create(
        checked_at=timezone.now() - timedelta(minutes=2),
        first_sequence=None,
        last_sequence=None,
        last_hash="",
        events_checked=0,
        intact=False,
        broken_at_sequence=1,
    )

    assert verify_audit_chain() is True
    assert AuditChainCheck.objects.first().events_checked == 0
