"""Reads for the pre-qualifier: the ledger figures it fills in, the places the data has county
standards for, and the result of a draft's answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from taxgov.federal.offers import calculator
from taxgov.federal.offers.calculator import Asset, Result, Situation
from taxgov.federal.offers.models import Prequalification
from taxgov.ledger.agencies import current_rules
from taxgov.ledger.models import AccountType, ReturnKind, Taxpayer, TaxReturn
from taxgov.ledger.queries import taxpayer_payoff
from taxgov.ledger.rules import RuleNotInForceError


def payoff_today(taxpayer: Taxpayer, today: dt.date) -> Decimal:
    """What the taxpayer owes today, penalties and interest included: the tax debt to offer on."""
    return taxpayer_payoff(taxpayer, today).total.display()["total"]


def latest_agi(taxpayer: Taxpayer) -> Decimal | None:
    """The adjusted gross income on the latest individual return as filed, if the ledger has it."""
    return (
        TaxReturn.objects.filter(
            period__account__taxpayer=taxpayer,
            period__account__account_type=AccountType.INDIVIDUAL_INCOME,
            kind=ReturnKind.ORIGINAL,
            adjusted_gross_income__isnull=False,
        )
        .order_by("-period__end")
        .values_list("adjusted_gross_income", flat=True)
        .first()
    )


def county_standards(today: dt.date) -> dict[str, list[str]]:
    """The states whose housing standards the data has by county, with those counties (from
    names such as ``...housing.MA.Suffolk.1``, the standard for one person)."""
    rules = current_rules()
    prefix = f"{calculator.STANDARDS}.housing."
    found: dict[str, list[str]] = {}
    for name in sorted(rules.sources()):
        if name.startswith(prefix) and name.endswith(".1"):
            state, county, _size = name.removeprefix(prefix).split(".")
            try:
                rules.value(name, today)
            except RuleNotInForceError:
                continue
            found.setdefault(state, []).append(county)
    return found


def situation_of(draft: Prequalification) -> Situation:
    """The draft's answers for the calculator (a complete draft: the flow's review was reached)."""

    def money(name: str) -> Decimal:
        value = getattr(draft, name)
        assert value is not None  # noqa: S101 (the result is only shown for a reviewed draft)
        return Decimal(value)

    assets = {"cash": Asset(money("cash"))} | {
        kind: Asset(money(f"{kind}_value"), money(f"{kind}_loan")) for kind in calculator.ASSET_KINDS[1:]
    }
    return Situation(
        state=draft.state,
        county=draft.county,
        household_size=draft.household_size or 1,
        aged_65_or_older=draft.aged_65_or_older or 0,
        tax_debt=money("tax_debt"),
        agi=money("agi"),
        assets=assets,
        wages=money("wages"),
        business_income=money("business_income"),
        rental_income=money("rental_income"),
        other_income=money("other_income"),
        housing=money("housing"),
        vehicles=draft.vehicles or 0,
        vehicle_payments=money("vehicle_payments"),
        vehicle_operating=money("vehicle_operating"),
        public_transportation=money("public_transportation"),
        health_insurance=money("health_insurance"),
        court_ordered=money("court_ordered"),
        child_care=money("child_care"),
        current_taxes=money("current_taxes"),
    )


def result_for(draft: Prequalification, today: dt.date) -> Result:
    return calculator.prequalify(current_rules(), situation_of(draft), today)
