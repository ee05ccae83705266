"""A dump of the state database holds no SSN, ITIN, EIN, date of birth or bank account number
in plain text: a slice of the demo population's ledger as the loader writes it, a registration
made through the pages and approved by staff, and a payment made through the portal."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from taxgov.ledger.models import TaxAccount, Taxpayer
from taxgov.ledger.population import load_population, subjects
from taxgov.ledger.synthetic import tin_of
from taxgov.state.payments.models import Payment
from taxgov.state.registration.models import RegistrationRequest
from taxgov.synthetic.population import Population
from tests.integration.state.conftest import individual
from tests.integration.state.test_portal import logon, pay
from tests.integration.state.test_registration import finish, step
from tests.support.dumps import ON_POSTGRESQL, ON_SQLITE, Secrets, pg_dump, plaintext_in, sessions, sqlite_dump

PEOPLE = 40
REGISTERED_SSN, PAYER_SSN = "900-31-4159", "900-41-0003"
BORN = dt.date(1986, 4, 28)
ACCOUNT_NUMBER = "123456789"  # what ``pay`` enters


def store_personal_data(client: Client, django_user_model) -> Secrets:
    population = Population()
    load_population(population, 0, PEOPLE, agency="state")
    client.post(
        step("individual", "taxpayer"),
        {
            "first_name": "Nia",
            "last_name": "Okafor",
            "id_type": "ssn",
            "tin_entry": REGISTERED_SSN,
            "tin_confirmation": REGISTERED_SSN,
            "date_of_birth": BORN.strftime("%m/%d/%Y"),
        },
    )
    client.post(
        step("individual", "address"),
        {"address_line1": "5 Elm St", "city": "Worcester", "state": "MA", "postal_code": "01608"},
    )
    client.post(step("individual", "taxes"), {"new_account_types": ["sales"], "new_accounts_from": "01/01/2026"})
    finish(client, "individual", username="nia.okafor")
    client.force_login(django_user_model.objects.create_user("reviewer", "x", is_staff=True))
    submitted = RegistrationRequest.objects.get()
    client.post(reverse("registration:review", kwargs={"public_id": submitted.public_id}), {"decision": "approve"})
    taxpayer = individual(PAYER_SSN, tax_after_credits=("1400.00",))  # (owing_taxpayer's test key holds the TIN)
    period = TaxAccount.objects.get(taxpayer=taxpayer).periods.get()
    client.force_login(logon("payer", taxpayer=taxpayer))
    pay(client, taxpayer, period, key=uuid.uuid4().hex)
    assert Taxpayer.objects.filter(last_name="Okafor").exists()
    assert Payment.objects.exists()
    secrets = Secrets(birth_dates={BORN}, account_numbers={ACCOUNT_NUMBER})
    secrets.add_tins([REGISTERED_SSN, PAYER_SSN, *(tin_of(subject) for subject in subjects(population, 0, PEOPLE))])
    secrets.birth_dates |= {someone.date_of_birth for someone in population.people(0, PEOPLE)}
    return secrets


def check(dump: str, secrets: Secrets) -> None:
    assert plaintext_in(dump, secrets) == []
    assert plaintext_in(f"{dump}\n{REGISTERED_SSN}\n", secrets)  # the search itself finds one


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_holds_no_plaintext_identifiers(client, django_user_model):
    secrets = store_personal_data(client, django_user_model)
    check(pg_dump() + sessions(), secrets)


@ON_SQLITE
@pytest.mark.django_db
def test_a_sqlite_dump_holds_no_plaintext_identifiers(client, django_user_model):
    secrets = store_personal_data(client, django_user_model)
    check(sqlite_dump() + sessions(), secrets)
