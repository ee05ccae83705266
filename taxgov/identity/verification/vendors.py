"""The authoritative-records vendor behind one interface, chosen by
TAXGOV_IDV_RECORDS_VENDOR: does this TIN belong to a living person of this name, birth date
and address, and is this phone number in their name?

``synthetic`` (the default, and the only one here) answers from ``identity_records``, the
synthetic population's records; a production deployment adds an adapter for its vendor with
the same two methods.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from taxgov.common.identifiers import normalize_tin
from taxgov.identity.records import fingerprints, queries


@dataclass(frozen=True)
class PersonClaim:
    tin: str
    first_name: str
    last_name: str
    date_of_birth: dt.date
    address_line1: str
    postal_code: str


class RecordsVendor(Protocol):
    def person_matches(self, claim: PersonClaim) -> bool: ...

    def phone_in_name(self, phone: str, tin: str) -> bool: ...


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^A-Z0-9 ]", " ", text.upper()).split())


class SyntheticRecords:
    """Answers from the synthetic records, matching as a records vendor does: the TIN
    exactly; the names, the street line and the ZIP code ignoring case and punctuation."""

    def person_matches(self, claim: PersonClaim) -> bool:
        person = queries.person_by_tin(claim.tin)
        if person is None or person.date_of_death is not None:
            return False
        return (
            _words(person.last_name) == _words(claim.last_name)
            and _words(person.first_name) == _words(claim.first_name)
            and person.date_of_birth == claim.date_of_birth.isoformat()
            and _words(person.address_line1) == _words(claim.address_line1)
            and person.postal_code[:5] == claim.postal_code[:5]
        )

    def phone_in_name(self, phone: str, tin: str) -> bool:
        holder, normalized = queries.phone_owner(phone), normalize_tin(tin)
        return (
            holder is not None
            and normalized is not None
            and holder.in_own_name
            and holder.person.tin_fingerprint == fingerprints.tin_fingerprint(normalized)
        )


def records_vendor() -> RecordsVendor:
    if settings.TAXGOV_IDV_RECORDS_VENDOR == "synthetic":
        return SyntheticRecords()
    raise ImproperlyConfigured(f"Unknown TAXGOV_IDV_RECORDS_VENDOR {settings.TAXGOV_IDV_RECORDS_VENDOR!r}.")
