"""The identity provider's authoritative records: loading, encryption at rest, look-ups."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from taxgov.common.audit.models import AuditEvent
from taxgov.identity.records import queries
from taxgov.identity.records.demo import load_demo_data
from taxgov.identity.records.loader import load_people
from taxgov.identity.records.models import DriverLicenceRecord, PersonRecord, PhoneRecord
from taxgov.identity.records.tags import RecordsTag
from taxgov.synthetic.personas import PERSONAS
from taxgov.synthetic.population import DEMO_PEOPLE, Population

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def population() -> Population:
    return Population()


def _raw(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_loading_again_skips_the_people_already_loaded(population):
    people = list(population.people(0, 30))

    first = load_people(population, 0, 30, batch_size=7)
    again = load_people(population, 0, 30)
    overlapping = load_people(population, 20, 40, batch_size=7)

    assert (first.people, first.skipped) == (30, 0)
    assert first.licences == sum(p.driver_licence is not None for p in people)
    assert first.phones == sum(len(p.phones) for p in people)
    assert dataclasses.astuple(again) == (0, 0, 0, 30)
    assert (overlapping.people, overlapping.skipped) == (10, 10)
    assert PersonRecord.objects.count() == 40
    assert DriverLicenceRecord.objects.count() == first.licences + overlapping.licences
    assert PhoneRecord.objects.count() == first.phones + overlapping.phones


def test_a_load_records_one_event_with_counts_and_no_personal_data(population):
    counts = load_people(population, 0, 12, batch_size=5)
    load_people(population, 0, 12)  # nothing new: nothing recorded

    event = AuditEvent.objects.get(tag=RecordsTag.LOADED)
    assert event.extra == {
        "people": counts.people,
        "licences": counts.licences,
        "phones": counts.phones,
        "skipped": 0,
    }
    stored = json.dumps(AuditEvent.objects.values().get(pk=event.pk), default=str)
    for person in population.people(0, 12):
        for value in (person.tin, person.last_name, person.date_of_birth.isoformat(), person.current_address.line1):
            assert value not in stored
        assert all(phone.number not in stored for phone in person.phones)


def test_personal_data_is_encrypted_in_the_tables(population):
    load_people(population, 0, 20)
    person = next(p for p in population.people(0, 20) if p.driver_licence and p.current_address.line2)
    licence = person.driver_licence

    people_rows = _raw(
        "SELECT tin, date_of_birth, address_line1, address_line2, tin_fingerprint FROM identity_records_personrecord"
    )
    licence_rows = _raw(
        "SELECT number, document_discriminator, number_fingerprint FROM identity_records_driverlicencerecord"
    )
    phone_rows = _raw("SELECT number, number_fingerprint FROM identity_records_phonerecord")

    for *encrypted, fingerprint in people_rows + licence_rows + phone_rows:
        assert all(value.startswith("pii1.") for value in encrypted)
        assert len(fingerprint) == 64
    everything = repr(people_rows + licence_rows + phone_rows)
    for value in (
        person.tin,
        person.date_of_birth.isoformat(),
        person.current_address.line1,
        person.current_address.line2,
        licence.number,
        licence.document_discriminator,
        *(phone.number for phone in person.phones),
        *(phone.number[2:] for phone in person.phones),
    ):
        assert value not in everything


def test_records_are_found_by_what_a_person_types(population):
    load_people(population, 0, 20)
    person = next(p for p in population.people(0, 20) if p.driver_licence and p.driver_licence.state == "MA")
    licence = person.driver_licence
    phone = person.phones[0].number

    record = queries.person_by_tin(f"{person.tin[:3]}-{person.tin[3:5]}-{person.tin[5:]}")
    assert record is not None
    assert (record.first_name, record.last_name, record.tin_type) == (
        person.first_name,
        person.last_name,
        person.tin_type,
    )
    assert (record.tin, record.date_of_birth) == (person.tin, person.date_of_birth.isoformat())
    assert (record.address_line1, record.city, record.postal_code) == (
        person.current_address.line1,
        person.current_address.city,
        person.current_address.postal_code,
    )

    found = queries.licence("ma", f" {licence.number[:5].lower()} {licence.number[5:]} ")
    assert found is not None
    assert found.person_id == record.pk
    assert (found.number, found.expires_on, found.document_discriminator) == (
        licence.number,
        licence.expires_on,
        licence.document_discriminator,
    )
    assert queries.licence("NY", licence.number) is None

    owner = queries.phone_owner(f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}")
    assert owner is not None
    assert owner.person_id == record.pk
    assert owner.number == phone

    assert queries.person_by_tin("123-45") is None
    assert queries.person_by_tin("000-00-0000") is None
    assert queries.phone_owner("555-0100") is None


def test_a_reissued_phone_number_belongs_to_its_latest_holder(population):
    load_people(population, 0, 2)
    first, second = PersonRecord.objects.order_by("pk")
    earlier = first.phones.order_by("pk")[0]
    PhoneRecord.objects.create(
        person=second,
        number_fingerprint=earlier.number_fingerprint,
        number=earlier.number,
        carrier="T-Mobile",
        kind="mobile",
        owned_since=earlier.owned_since + dt.timedelta(days=1),
        in_own_name=True,
    )

    owner = queries.phone_owner(earlier.number)

    assert owner is not None
    assert owner.person_id == second.pk


def test_demo_data_holds_the_personas_and_loads_once(population):
    summary = load_demo_data()
    events = AuditEvent.objects.count()

    assert summary.startswith(f"identity records: {DEMO_PEOPLE} people loaded, 0 already there")
    assert PersonRecord.objects.count() == DEMO_PEOPLE
    for persona in PERSONAS:
        person = population.person(persona.person_index)
        record = queries.person_by_tin(person.tin)
        assert record is not None
        assert (record.first_name, record.last_name, record.state) == (person.first_name, person.last_name, "MA")
        assert record.date_of_death is None
    decedent = queries.person_by_tin(population.person(population.estate(0).decedent_index).tin)
    assert decedent is not None
    assert decedent.date_of_death is not None
    assert decedent.date_of_death.year == 2025

    assert load_demo_data().startswith(f"identity records: 0 people loaded, {DEMO_PEOPLE} already there")
    assert AuditEvent.objects.count() == events


def test_the_command_loads_a_range_and_reports_counts():
    out = io.StringIO()

    call_command("load_identity_records", "--count", "3", "--start", "10", "--seed", "7", stdout=out)
    call_command("load_identity_records", "--count", "3", "--start", "10", "--seed", "7", stdout=out)

    first, second = out.getvalue().splitlines()
    assert first.startswith("3 people loaded, 0 already there;")
    assert second.startswith("0 people loaded, 3 already there;")
    assert first.endswith(" s.")
    assert queries.person_by_tin(Population(7).person(11).tin) is not None
