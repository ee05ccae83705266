"""The look-ups identity verification makes against the authoritative records.

Each takes the identifier as a person typed it, normalizes it and finds it by fingerprint;
an identifier that cannot be valid finds nothing.
"""

from __future__ import annotations

from taxgov.common.identifiers import normalize_tin
from taxgov.identity.records import fingerprints
from taxgov.identity.records.models import DriverLicenceRecord, PersonRecord, PhoneRecord


def person_by_tin(tin: str) -> PersonRecord | None:
    normalized = normalize_tin(tin)
    if normalized is None:
        return None
    return PersonRecord.objects.filter(tin_fingerprint=fingerprints.tin_fingerprint(normalized)).first()


def licence(state: str, number: str) -> DriverLicenceRecord | None:
    """The licence or state ID ``state`` issued with ``number``, with its holder."""
    normalized = fingerprints.normalize_licence_number(number)
    return (
        DriverLicenceRecord.objects.select_related("person")
        .filter(state=state.strip().upper(), number_fingerprint=fingerprints.licence_fingerprint(normalized))
        .first()
    )


def phone_owner(number: str) -> PhoneRecord | None:
    """The number's current holder: the latest to take it, as numbers are reissued."""
    normalized = fingerprints.normalize_phone(number)
    if normalized is None:
        return None
    return (
        PhoneRecord.objects.select_related("person")
        .filter(number_fingerprint=fingerprints.phone_fingerprint(normalized))
        .order_by("-owned_since", "-pk")
        .first()
    )
