"""A dump of the federal database holds no SSN, ITIN, EIN, date of birth or bank account number
in plain text: the personas' ledger (people, their businesses and estates) as the population
loader writes it, the verified identity kept in a signed-in session, and a payment made
through the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from taxgov.federal.payments.models import Payment
from taxgov.ledger.population import subjects
from taxgov.ledger.synthetic import tin_of
from taxgov.synthetic.population import Population
from tests.integration.federal.conftest import PERSONA_PEOPLE
from tests.integration.federal.payments.test_payments import form, submit
from tests.integration.federal.test_account import with_profile
from tests.support.dumps import ON_POSTGRESQL, ON_SQLITE, Secrets, pg_dump, plaintext_in, sessions, sqlite_dump

ACCOUNT_NUMBER = "4419200731"


def store_personal_data(client: Client, sign_in, population: Population, personas) -> Secrets:
    with_profile(sign_in, population, personas, "alex", on=client)
    submit(client, form(client, account_number=ACCOUNT_NUMBER, account_number_confirmation=ACCOUNT_NUMBER))
    assert Payment.objects.get().account_number == ACCOUNT_NUMBER
    secrets = Secrets(account_numbers={ACCOUNT_NUMBER})
    secrets.add_tins(tin_of(subject) for subject in subjects(population, 0, PERSONA_PEOPLE))
    secrets.birth_dates = {someone.date_of_birth for someone in population.people(0, PERSONA_PEOPLE)}
    return secrets


def check(dump: str, secrets: Secrets) -> None:
    assert plaintext_in(dump, secrets) == []
    assert plaintext_in(f"{dump}\n{ACCOUNT_NUMBER}\n", secrets)  # the search itself finds one


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_holds_no_plaintext_identifiers(client, sign_in, population, personas):
    secrets = store_personal_data(client, sign_in, population, personas)
    check(pg_dump() + sessions(), secrets)


@ON_SQLITE
@pytest.mark.django_db
def test_a_sqlite_dump_holds_no_plaintext_identifiers(client, sign_in, population, personas):
    secrets = store_personal_data(client, sign_in, population, personas)
    check(sqlite_dump() + sessions(), secrets)
