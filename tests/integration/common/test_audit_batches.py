"""A batch job's audit events (``record_events``): the same chain as one ``record_event`` each."""

from __future__ import annotations

import pytest

from taxgov.common.audit.actions import NewEvent, record_event, record_events
from taxgov.common.audit.models import AuditEvent
from taxgov.common.audit.queries import verify_chain
from taxgov.common.observability.metrics import EVENTS

pytestmark = pytest.mark.django_db


def test_a_batch_of_events_continues_the_chain_in_order():
    record_event("test:thing:created", subject="thing:1")
    record_events([NewEvent("test:thing:paid", actor="job:1", subject=f"thing:{n}", extra={"n": n}) for n in (2, 3)])
    record_event("test:thing:closed", subject="thing:4")
    record_events([])

    events = list(AuditEvent.objects.order_by("sequence"))
    assert [(event.sequence, event.subject) for event in events] == [(n, f"thing:{n}") for n in (1, 2, 3, 4)]
    assert (events[1].actor, events[1].extra) == ("job:1", {"n": 2})
    assert verify_chain().intact


def test_a_batch_carrying_personal_data_writes_nothing():
    with pytest.raises(ValueError, match="personal data"):
        record_events([NewEvent("test:thing:paid"), NewEvent("test:thing:paid", extra={"detail": {"ssn": "1"}})])
    assert not AuditEvent.objects.exists()


def test_a_batch_is_counted_once_committed(settings, django_capture_on_commit_callbacks):
    counted = EVENTS.labels(settings.TAXGOV_DEPLOYABLE, "payment_processed", "")
    before = counted._value.get()
    with django_capture_on_commit_callbacks(execute=True):
        record_events([NewEvent("federal:payment:processed"), NewEvent("test:thing:paid")])
        record_events([NewEvent("federal:payment:processed")])
        assert counted._value.get() == before
    assert counted._value.get() == before + 2
