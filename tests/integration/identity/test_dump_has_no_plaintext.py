"""A dump of the identity provider's database holds no SSN, ITIN or date of birth in plain
text: the authoritative records as the loader writes them, the demo accounts' verified
identities, and a verification case given its details through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from taxgov.common.identifiers import normalize_tin
from taxgov.identity.records.loader import load_people
from taxgov.identity.verification import demo
from taxgov.identity.verification.models import Method, Verification
from taxgov.synthetic.population import Population
from tests.integration.identity.verification.test_self_service import DETAILS, person
from tests.integration.identity.verification.test_video_call import through_review
from tests.support.dumps import ON_POSTGRESQL, ON_SQLITE, Secrets, pg_dump, plaintext_in, sessions, sqlite_dump

PEOPLE = 40


def store_personal_data(client: Client) -> Secrets:
    population = Population()
    load_people(population, 0, PEOPLE)
    demo.load_demo_data()
    client.force_login(person())
    through_review(client)  # the case's details (DETAILS) go in through the pages
    assert Verification.objects.filter(method=Method.VIDEO_AGENT).get().tin == normalize_tin(DETAILS["tin"])
    secrets = Secrets(birth_dates={dt.date(1988, 3, 15)})
    secrets.add_tins([DETAILS["tin"], *(someone.tin for someone in population.people(0, PEOPLE))])
    secrets.birth_dates |= {someone.date_of_birth for someone in population.people(0, PEOPLE)}
    return secrets


def check(dump: str, secrets: Secrets) -> None:
    assert plaintext_in(dump, secrets) == []
    assert plaintext_in(f"{dump}\n{DETAILS['tin']}\n", secrets)  # the search itself finds one


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_holds_no_plaintext_identifiers(client):
    secrets = store_personal_data(client)
    check(pg_dump() + sessions(), secrets)


@ON_SQLITE
@pytest.mark.django_db
def test_a_sqlite_dump_holds_no_plaintext_identifiers(client):
    secrets = store_personal_data(client)
    check(sqlite_dump() + sessions(), secrets)
