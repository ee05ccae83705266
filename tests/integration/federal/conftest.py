"""Signing a test user in to the federal account, and the demo personas in its ledger."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from taxgov.common.ratelimit import clear_all_counters
from taxgov.federal.accounts.models import User
from taxgov.federal.signin import identity
from taxgov.federal.signin.identity import SignedInIdentity
from taxgov.ledger.identifiers import tin_fingerprint
from taxgov.ledger.models import Taxpayer
from taxgov.ledger.population import load_population
from taxgov.synthetic.people import Person
from taxgov.synthetic.personas import PERSONAS, persona
from taxgov.synthetic.population import Population

PERSONA_PEOPLE = 1 + max(p.person_index for p in PERSONAS)
VERIFIED_ACR = "urn:taxgov:acr:verified"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Counters outlive a test's database; user ids and addresses repeat from test to test."""
    clear_all_counters()


@pytest.fixture(scope="session")
def population() -> Population:
    return Population()


def person(population: Population, key: str) -> Person:
    return population.person(persona(key).person_index)


def identity_of(found: Person, subject: str, **changes: Any) -> SignedInIdentity:
    """The verified identity the provider would release for a synthetic person."""
    address = found.current_address
    claims = SignedInIdentity(
        subject=subject,
        acr=VERIFIED_ACR,
        verified=True,
        auth_time=int(timezone.now().timestamp()),
        given_name=found.first_name,
        family_name=found.last_name,
        birthdate=found.date_of_birth,
        ssn=found.tin,
        address={
            "street_address": "\n".join(line for line in (address.line1, address.line2) if line),
            "locality": address.city,
            "region": address.state,
            "postal_code": address.postal_code,
            "country": "US",
        },
        email=found.email,
    )
    return dataclasses.replace(claims, **changes)


def remember(client: Client, signed_in: SignedInIdentity) -> None:
    """Put the identity in the client's session, as the relying party does at sign-in."""
    session = client.session
    identity.remember(session, signed_in)
    session.save()


SignIn = Callable[..., User]


@pytest.fixture
def sign_in(client: Client) -> SignIn:
    """``sign_in(identity)``: a federal user for its subject, signed in with that identity."""

    def sign(signed_in: SignedInIdentity, *, on: Client | None = None) -> User:
        browser = on or client
        user, _ = User.objects.get_or_create(subject=signed_in.subject)
        browser.force_login(user)
        remember(browser, signed_in)
        return user

    return sign


@pytest.fixture
def personas(population: Population) -> dict[str, Taxpayer]:
    """The demo personas (and their businesses and estates) in the federal ledger, as of today."""
    load_population(population, 0, PERSONA_PEOPLE, agency="federal", today=timezone.localdate())
    return {
        p.key: Taxpayer.objects.get(tin_fingerprint=tin_fingerprint(population.person(p.person_index).tin))
        for p in PERSONAS
    }


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def acting_for_bakery(
    client: Client, sign_in: SignIn, population: Population, personas: dict[str, Taxpayer]
) -> Taxpayer:
    """Chris Morgan signed in and acting for Morgan Family Bakery LLC as its Designated Official."""
    # The test modules that make profiles and roles import this one, so they are read here.
    from tests.integration.federal.business.test_business import act_for, official
    from tests.integration.federal.test_account import with_profile

    chris = with_profile(sign_in, population, personas, "chris", on=client)
    bakery = Taxpayer.objects.get(tin_fingerprint=tin_fingerprint(population.business(0).ein))
    official(chris, bakery)
    act_for(client, bakery)
    return bakery
