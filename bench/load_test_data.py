"""The data of the filing-season load test, made and counted in one deployable's own process.

Each deployable has its own settings and database, so `bench/load_test.py` runs this once per
deployable, with that deployable's production environment: ``prepare`` before the servers
start (migrate, collect the static files unless `make` has, make the people the visitors will
be), ``count`` after they stop (what the visits left in the database). Either writes JSON to the file it is given:
the people (their synthetic credentials and sessions) and the paths to visit, or the counts.

    python bench/load_test_data.py prepare|count identity|federal|state OUTPUT.json [--people N]
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import django

django.setup()

import pyotp  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

PASSWORD = "correct horse battery staple 42"  # noqa: S105 (the run's own synthetic accounts)
# Create My Logon, in the order a person answers it (tests/integration/state/test_registration.py).
STATE_STEPS = (
    "taxpayer-type",
    "taxpayer-id",
    "verification-type",
    "tax-amount",
    "profile",
    "logon",
    "profile-access",
    "terms",
    "summary",
)


def prepare_identity(people: int) -> dict[str, Any]:
    """Accounts with an authenticator app, each to sign in once: a code is accepted once per
    account and time step. They share one password hash, made once (Argon2id is the cost of
    signing in, not of setting up)."""
    from taxgov.common.mfa.models import FactorKind, SecondFactor
    from taxgov.identity.accounts.models import User

    now, encoded = timezone.now(), make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(email=f"filer{number}@example.test", password=encoded, email_confirmed_at=now) for number in range(people)
    )
    secrets = [pyotp.random_base32() for _ in users]
    SecondFactor.objects.bulk_create(
        SecondFactor(user=user, kind=FactorKind.TOTP, secret=secret, confirmed_at=now)
        for user, secret in zip(users, secrets, strict=True)
    )
    return {
        "password": PASSWORD,
        "accounts": [[user.email, secret] for user, secret in zip(users, secrets, strict=True)],
        "paths": {
            "sign_in": reverse("signin:sign_in"),
            "verify": reverse("signin:verify"),
            "account": reverse("account:index"),
        },
    }


def prepare_federal(people: int) -> dict[str, Any]:
    """Taxpayers of the synthetic population with an income tax account (so the payment form
    offers at least estimated tax), each signed in with a verified identity and a profile, as
    the sign-in through the identity provider leaves them (``harness.signed_in_federal_client``)."""
    from harness import signed_in_federal_client

    from taxgov.ledger.models import AccountType, Taxpayer
    from taxgov.ledger.population import load_population
    from taxgov.synthetic.population import Population

    load_population(Population(), 0, 2 * people, agency="federal")
    taxpayers = (
        Taxpayer.objects.filter(
            kind="individual",
            tin_type="ssn",
            date_of_death__isnull=True,
            accounts__account_type=AccountType.INDIVIDUAL_INCOME,
        )
        .distinct()
        .order_by("pk")[:people]
    )
    sessions, client = [], None
    for number, taxpayer in enumerate(taxpayers):
        client = signed_in_federal_client(taxpayer, number, client)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)  # type: ignore[attr-defined]
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
        "paths": {"home": reverse("balances:home"), "payment": reverse("payments:make")},
    }


def prepare_state(people: int) -> dict[str, Any]:
    """Residents of the synthetic population who can prove a past state return, each to
    register once: their SSN (never issued) and an amount from their latest return."""
    from taxgov.ledger.models import AccountType
    from taxgov.ledger.population import load_population
    from taxgov.ledger.synthetic import history
    from taxgov.synthetic.population import Population

    population = Population()
    load_population(population, 0, 3 * people, agency="state")
    registrants = []
    for person in population.people(0, 3 * people):
        found = history("state", person, population) if person.tin_type == "ssn" and not person.date_of_death else None
        returns = found.returns(AccountType.INDIVIDUAL_INCOME) if found else []
        if not returns:
            continue
        latest = returns[0][1]
        proof = (
            ("return", latest.income_tax_after_credits)
            if latest.income_tax_after_credits > 0
            else ("refund", latest.refund)
        )
        if proof[1] > Decimal(0):
            tin = f"{person.tin[:3]}-{person.tin[3:5]}-{person.tin[5:]}"
            registrants.append([tin, proof[0], f"{proof[1]:.2f}"])
        if len(registrants) == people:
            break
    return {
        "registrants": registrants,
        "paths": {
            **{key: reverse("registration:step", kwargs={"kind": "logon", "step": key}) for key in STATE_STEPS},
            "confirmation": reverse("registration:confirmation"),
        },
    }


def count(deployable: str) -> dict[str, int]:
    """What the visits left: codes accepted, payments, registration requests and logons."""
    if deployable == "identity":
        from taxgov.common.mfa.models import SecondFactor

        return {"codes accepted": SecondFactor.objects.filter(last_totp_step__isnull=False).count()}
    if deployable == "federal":
        from taxgov.federal.payments.models import Payment

        return {"payments": Payment.objects.count()}
    from taxgov.state.accounts.models import User
    from taxgov.state.registration.models import RegistrationRequest, RequestStatus

    return {
        "requests submitted": RegistrationRequest.objects.exclude(status=RequestStatus.STARTED).count(),
        "drafts left": RegistrationRequest.objects.filter(status=RequestStatus.STARTED).count(),
        "logons": User.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["prepare", "count"])
    parser.add_argument("deployable", choices=["identity", "federal", "state"])
    parser.add_argument("output", type=Path)
    parser.add_argument("--people", type=int, default=100, help="how many people to prepare")
    arguments = parser.parse_args()
    if arguments.deployable != settings.TAXGOV_DEPLOYABLE:
        parser.error(f"these are the {settings.TAXGOV_DEPLOYABLE} settings")
    if arguments.action == "count":
        found: dict[str, Any] = count(arguments.deployable)
    else:
        call_command("migrate", verbosity=0)
        if not (Path(str(settings.STATIC_ROOT)) / "staticfiles.json").exists():  # none collected by make yet
            call_command("collectstatic", interactive=False, verbosity=0)
        prepare = {"identity": prepare_identity, "federal": prepare_federal, "state": prepare_state}
        found = prepare[arguments.deployable](arguments.people)
    arguments.output.write_text(json.dumps(found))


if __name__ == "__main__":
    main()
