"""The ledger's demo data, and what someone needs to walk the seed guides as each persona.

Each deployable loads its own ledger from the same deterministic population, so the
federal and the state portal know the same people without sharing a database; for the
same reason the persona sheet is computed from the generator, never read from either
ledger, and reads the same in both deployables.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from taxgov.ledger.agencies import current_agency
from taxgov.ledger.models import AccountType
from taxgov.ledger.population import load_population
from taxgov.ledger.synthetic import History, history
from taxgov.synthetic.people import Persona
from taxgov.synthetic.personas import PERSONAS
from taxgov.synthetic.population import DEMO_PEOPLE, Population

WIZARD_RETURNS = 3  # the state wizard accepts an amount from one of the last three returns


def load_demo_data() -> str:
    """Load people 0..DEMO_PEOPLE-1 with their businesses and estates; a second run adds nothing."""
    agency = current_agency()
    counts = load_population(Population(), 0, DEMO_PEOPLE, agency=agency)
    return (
        f"{agency} ledger: {counts.taxpayers} taxpayers loaded ({counts.transactions} transactions, "
        f"{counts.notices} notices), {counts.skipped} already there."
    )


def persona_sheet(as_of: dt.date, population: Population | None = None) -> list[dict[str, Any]]:
    """For each persona, what a guide asks of them, with both agencies' balances on ``as_of``."""
    population = population or Population()
    return [_persona(persona, population, as_of) for persona in PERSONAS]


def _persona(persona: Persona, population: Population, as_of: dt.date) -> dict[str, Any]:
    person = population.person(persona.person_index)
    federal = history("federal", person, population, today=as_of)
    state = history("state", person, population, today=as_of)
    address = person.current_address
    mobile = next((phone.number for phone in person.phones if phone.kind == "mobile"), None)
    entry: dict[str, Any] = {
        "key": persona.key,
        "story": persona.story,
        "name": " ".join(
            part for part in (person.first_name, person.middle_name, person.last_name, person.suffix) if part
        ),
        "email": person.email,
        "identity_password": persona.identity_password,
        "identity_totp_secret": persona.identity_totp_secret,
        "tin_type": person.tin_type,
        "tin": f"{person.tin[:3]}-{person.tin[3:5]}-{person.tin[5:]}",
        "date_of_birth": person.date_of_birth.isoformat(),
        "address": ", ".join(
            part
            for part in (address.line1, address.line2, address.city, f"{address.state} {address.postal_code}")
            if part
        ),
        "mobile_phone": mobile,
        "state_return_amounts": _wizard_amounts(state),
        "state_letter_id": next(iter(state.letter_ids()), None) if state else None,
        "federal_balance": _balance(federal, as_of),
        "state_balance": _balance(state, as_of),
    }
    if persona.business_index is not None:
        business = population.business(persona.business_index)
        entry["business"] = {"ein": _ein(business.ein), "name": business.name}
    if persona.estate_index is not None:
        estate = population.estate(persona.estate_index)
        entry["estate"] = {"ein": _ein(estate.ein), "name": estate.name}
    return entry


def _wizard_amounts(state: History | None) -> list[dict[str, str | int]]:
    """The amounts above zero on the last three state individual returns: what the wizard accepts."""
    if state is None:
        return []
    amounts: list[dict[str, str | int]] = []
    for year, filed in state.returns(AccountType.INDIVIDUAL_INCOME)[:WIZARD_RETURNS]:
        for line, amount in (("income_tax_after_credits", filed.income_tax_after_credits), ("refund", filed.refund)):
            if amount > Decimal(0):
                amounts.append({"tax_year": year, "line": line, "amount": f"{amount:.2f}"})
    return amounts


def _balance(found: History | None, as_of: dt.date) -> str | None:
    return None if found is None else f"{found.payoff(as_of).display()['total']:.2f}"


def _ein(ein: str) -> str:
    return f"{ein[:2]}-{ein[2:]}"
