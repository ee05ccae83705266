"""The fixtures of the verification pages' tests: a fresh outbox and rate limits, the person's
synthetic records (an SSN with a phone in their name), and a signed-in browser."""

from __future__ import annotations

import datetime as dt

import pytest

from taxgov.common.ratelimit import clear_all_counters
from taxgov.identity.records import fingerprints
from taxgov.identity.records.models import PersonRecord, PhoneRecord
from tests.integration.identity.verification.test_self_service import person


@pytest.fixture(autouse=True)
def fresh(settings):
    settings.EMAIL_BACKEND = "taxgov.common.messaging.outbox.OutboxEmailBackend"
    clear_all_counters()


@pytest.fixture
def records():
    person = PersonRecord.objects.create(
        tin_fingerprint=fingerprints.tin_fingerprint("900123456"),
        tin="900123456",
        tin_type="ssn",
        first_name="Alex",
        middle_name="Jordan",
        last_name="Rivera",
        date_of_birth="1988-03-15",
        address_line1="12 Elm Street",
        address_line2="Apt 4",
        city="Worcester",
        state="MA",
        postal_code="01609",
    )
    PhoneRecord.objects.create(
        number_fingerprint=fingerprints.phone_fingerprint("+16175550123"),
        number="+16175550123",
        person=person,
        carrier="Demo Wireless",
        kind="mobile",
        owned_since=dt.date(2015, 1, 1),
        in_own_name=True,
    )
    return person


@pytest.fixture
def signed_in(client):
    client.force_login(person())
    return client
