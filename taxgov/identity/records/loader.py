"""Filling the authoritative records from the synthetic population."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from taxgov.common.audit.actions import record_event
from taxgov.identity.records import fingerprints
from taxgov.identity.records.models import DriverLicenceRecord, PersonRecord, PhoneRecord
from taxgov.identity.records.tags import RecordsTag
from taxgov.synthetic.people import DriverLicence, Person, Phone
from taxgov.synthetic.population import Population


@dataclass(frozen=True)
class LoadCounts:
    people: int = 0  # newly loaded
    licences: int = 0
    phones: int = 0
    skipped: int = 0  # already there

    def __add__(self, other: LoadCounts) -> LoadCounts:
        return LoadCounts(
            self.people + other.people,
            self.licences + other.licences,
            self.phones + other.phones,
            self.skipped + other.skipped,
        )


def load_people(population: Population, start: int, stop: int, batch_size: int = 2000) -> LoadCounts:
    """Load people ``start`` to ``stop - 1``, skipping those already loaded, so it can be rerun
    or resumed. Each batch commits on its own; one audit event reports the counts, if anything
    was loaded (a rerun that changes nothing records nothing)."""
    counts = LoadCounts()
    for first in range(start, stop, batch_size):
        counts += _load_batch(list(population.people(first, min(first + batch_size, stop))))
    if counts.people:
        record_event(
            RecordsTag.LOADED,
            extra={
                "people": counts.people,
                "licences": counts.licences,
                "phones": counts.phones,
                "skipped": counts.skipped,
            },
        )
    return counts


@transaction.atomic
def _load_batch(people: list[Person]) -> LoadCounts:
    by_fingerprint = {fingerprints.tin_fingerprint(person.tin): person for person in people}
    loaded = set(
        PersonRecord.objects.filter(tin_fingerprint__in=by_fingerprint).values_list("tin_fingerprint", flat=True)
    )
    new = [(fingerprint, person) for fingerprint, person in by_fingerprint.items() if fingerprint not in loaded]
    records = PersonRecord.objects.bulk_create(_person_record(fingerprint, person) for fingerprint, person in new)
    loaded_people = list(zip(records, (person for _fingerprint, person in new), strict=True))
    licences = [
        _licence_record(record, person.driver_licence)
        for record, person in loaded_people
        if person.driver_licence is not None
    ]
    phones = [_phone_record(record, phone) for record, person in loaded_people for phone in person.phones]
    DriverLicenceRecord.objects.bulk_create(licences)
    PhoneRecord.objects.bulk_create(phones)
    return LoadCounts(len(records), len(licences), len(phones), len(people) - len(records))


def _person_record(fingerprint: str, person: Person) -> PersonRecord:
    address = person.current_address
    return PersonRecord(
        tin_fingerprint=fingerprint,
        tin=person.tin,
        tin_type=person.tin_type,
        first_name=person.first_name,
        middle_name=person.middle_name,
        last_name=person.last_name,
        suffix=person.suffix,
        date_of_birth=person.date_of_birth.isoformat(),
        date_of_death=person.date_of_death,
        address_line1=address.line1,
        address_line2=address.line2,
        city=address.city,
        state=address.state,
        postal_code=address.postal_code,
    )


def _licence_record(record: PersonRecord, licence: DriverLicence) -> DriverLicenceRecord:
    number = fingerprints.normalize_licence_number(licence.number)
    return DriverLicenceRecord(
        person=record,
        state=licence.state,
        number_fingerprint=fingerprints.licence_fingerprint(number),
        number=number,
        document_type=licence.document_type,
        issued_on=licence.issued_on,
        expires_on=licence.expires_on,
        document_discriminator=licence.document_discriminator,
        sex=licence.sex,
        height_cm=licence.height_cm,
        eye_colour=licence.eye_colour,
    )


def _phone_record(record: PersonRecord, phone: Phone) -> PhoneRecord:
    return PhoneRecord(
        person=record,
        number_fingerprint=fingerprints.phone_fingerprint(phone.number),  # already E.164
        number=phone.number,
        carrier=phone.carrier,
        kind=phone.kind,
        owned_since=phone.owned_since,
        in_own_name=phone.in_own_name,
    )
