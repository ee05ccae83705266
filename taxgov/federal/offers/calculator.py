"""The Offer in Compromise arithmetic, as pure functions of the answers and the dated rules.

Reasonable collection potential (RCP) is the net realizable equity in assets plus future
income: monthly disposable income times 12 for a lump-sum offer, or times 24 for a periodic
offer. Disposable income is income less allowable expenses, where National Standards (food,
clothing and the rest; out-of-pocket health care) are allowed in full and Local Standards
(housing and utilities; vehicles; public transportation) cap what is actually spent. Every
number comes from ``[offer_in_compromise]`` in the federal rules; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from taxgov.ledger.engine import CENT, ZERO, cents
from taxgov.ledger.rules import RuleBook

RULES = "offer_in_compromise"
STANDARDS = f"{RULES}.standards"
ASSET_KINDS = ("cash", "investments", "retirement", "real_estate", "vehicles", "other")
REGIONS = ("northeast", "midwest", "south", "west")
DOLLAR = Decimal(1)


@dataclass(frozen=True)
class Asset:
    value: Decimal
    loan: Decimal = ZERO


@dataclass(frozen=True)
class Situation:
    """What the person told the pre-qualifier; money is monthly unless it says otherwise."""

    state: str
    county: str
    household_size: int
    aged_65_or_older: int
    tax_debt: Decimal
    agi: Decimal  # annual, from the latest return: the low-income test
    assets: dict[str, Asset]  # keyed by ASSET_KINDS
    wages: Decimal = ZERO
    business_income: Decimal = ZERO
    rental_income: Decimal = ZERO
    other_income: Decimal = ZERO
    housing: Decimal = ZERO
    vehicles: int = 0
    vehicle_payments: Decimal = ZERO
    vehicle_operating: Decimal = ZERO
    public_transportation: Decimal = ZERO
    health_insurance: Decimal = ZERO
    court_ordered: Decimal = ZERO
    child_care: Decimal = ZERO
    current_taxes: Decimal = ZERO


@dataclass(frozen=True)
class Equity:
    kind: str
    value: Decimal
    loan: Decimal
    quick_sale: Decimal
    excluded: Decimal
    equity: Decimal


@dataclass(frozen=True)
class Expense:
    """One expense line: what was spent (None for a standard allowed in full), the standard
    (None where no standard applies, or the data has none for the place) and what is allowed."""

    kind: str
    actual: Decimal | None
    standard: Decimal | None
    allowed: Decimal


@dataclass(frozen=True)
class LumpSum:
    rcp: Decimal
    offer: Decimal
    initial_fraction: Decimal
    with_application: Decimal
    after_acceptance: Decimal
    max_payments: int

    @property
    def initial_percent(self) -> Decimal:
        """The fraction sent with the application, as a percentage for people (20, not 20.00)."""
        percent = self.initial_fraction * 100
        return percent.to_integral_value() if percent == percent.to_integral_value() else percent


@dataclass(frozen=True)
class Periodic:
    rcp: Decimal
    offer: Decimal
    months: int
    monthly: Decimal
    last: Decimal  # the last payment takes what rounding left over
    with_application: Decimal  # the first payment, unless low-income certification waives it


@dataclass(frozen=True)
class Result:
    as_of: dt.date
    balance: Decimal
    equity: list[Equity]
    net_realizable_equity: Decimal
    income: Decimal
    expenses: list[Expense]
    allowable_expenses: Decimal
    disposable_income: Decimal
    lump_sum_months: int
    periodic_months: int
    lump_sum: LumpSum
    periodic: Periodic
    fee: Decimal
    low_income: bool
    low_income_limit: Decimal
    housing_capped: bool

    @property
    def fee_due(self) -> Decimal:
        return ZERO if self.low_income else self.fee

    @property
    def offer_likely(self) -> bool:
        """The IRS generally refuses an offer from someone who can pay in full: the lowest
        suggested offer (the lump sum) must be less than what is owed."""
        return self.lump_sum.offer < self.balance

    @property
    def periodic_likely(self) -> bool:
        return self.periodic.offer < self.balance


def quick_sale_value(rules: RuleBook, kind: str, value: Decimal, day: dt.date) -> Decimal:
    return cents(value * rules.number(f"{RULES}.quick_sale_fraction.{kind}", day))


def equity_in(rules: RuleBook, kind: str, asset: Asset, day: dt.date) -> Equity:
    """Quick-sale value less what is owed on it, never below zero; then the cash and vehicle
    exclusions of Form 433-A (OIC)."""
    quick_sale = quick_sale_value(rules, kind, asset.value, day)
    equity = max(ZERO, quick_sale - asset.loan)
    excluded = ZERO
    if kind == "cash":
        excluded = min(equity, rules.number(f"{RULES}.cash_exclusion", day))
    elif kind == "vehicles":
        excluded = min(equity, rules.number(f"{RULES}.vehicle_exclusion", day))
    return Equity(kind, asset.value, asset.loan, quick_sale, excluded, equity - excluded)


def national_standard(rules: RuleBook, household_size: int, day: dt.date) -> Decimal:
    if household_size <= 4:
        return rules.number(f"{STANDARDS}.national.{household_size}", day)
    extra = rules.number(f"{STANDARDS}.national.each_additional", day) * (household_size - 4)
    return rules.number(f"{STANDARDS}.national.4", day) + extra


def health_care_standard(rules: RuleBook, household_size: int, aged: int, day: dt.date) -> Decimal:
    under_65 = rules.number(f"{STANDARDS}.health_care.under_65", day)
    return under_65 * (household_size - aged) + rules.number(f"{STANDARDS}.health_care.from_65", day) * aged


def housing_standard(rules: RuleBook, state: str, county: str, household_size: int, day: dt.date) -> Decimal | None:
    """The county's housing and utilities standard, or None where the data has no table."""
    path = f"{STANDARDS}.housing.{state}.{county}.{min(household_size, 5)}"
    return rules.number(path, day) if county and rules.has(path) else None


def operating_area(rules: RuleBook, state: str, county: str) -> str | None:
    if state == "MA" and county in str(rules.setting(f"{STANDARDS}.boston_counties", "")).split():
        return "boston"
    for region in REGIONS:
        if state in str(rules.setting(f"{STANDARDS}.{region}", "")).split():
            return region
    return None


def _capped(kind: str, actual: Decimal, standard: Decimal | None) -> Expense:
    return Expense(kind, actual, standard, actual if standard is None else min(actual, standard))


def allowable_expenses(rules: RuleBook, situation: Situation, day: dt.date) -> list[Expense]:
    size, aged = situation.household_size, situation.aged_65_or_older
    vehicles = min(situation.vehicles, int(rules.number(f"{STANDARDS}.vehicles_allowed", day)))
    area = operating_area(rules, situation.state, situation.county)
    national = national_standard(rules, size, day)
    health = health_care_standard(rules, size, aged, day)
    return [
        Expense("national", None, national, national),
        Expense("health_care", None, health, health),
        _capped(
            "housing",
            situation.housing,
            housing_standard(rules, situation.state, situation.county, size, day),
        ),
        _capped(
            "vehicle_payments",
            situation.vehicle_payments,
            rules.number(f"{STANDARDS}.vehicle_ownership", day) * vehicles,
        ),
        _capped(
            "vehicle_operating",
            situation.vehicle_operating,
            rules.number(f"{STANDARDS}.vehicle_operating.{area}", day) * vehicles if area is not None else None,
        ),
        _capped(
            "public_transportation",
            situation.public_transportation,
            rules.number(f"{STANDARDS}.public_transportation", day),
        ),
        _capped("health_insurance", situation.health_insurance, None),
        _capped("court_ordered", situation.court_ordered, None),
        _capped("child_care", situation.child_care, None),
        _capped("current_taxes", situation.current_taxes, None),
    ]


def poverty_guideline(rules: RuleBook, state: str, household_size: int, day: dt.date) -> Decimal:
    area = {"AK": "alaska", "HI": "hawaii"}.get(state, "contiguous")
    path = f"{RULES}.poverty_guideline.{area}"
    each = rules.number(f"{path}.each_additional", day)
    return rules.number(f"{path}.first_person", day) + each * (household_size - 1)


def whole_dollars_up(amount: Decimal) -> Decimal:
    """Offers are in whole dollars (Form 656), rounded up so they never fall below the RCP."""
    return amount.quantize(DOLLAR, rounding=ROUND_CEILING)


def lump_sum(rules: RuleBook, rcp: Decimal, low_income: bool, day: dt.date) -> LumpSum:
    offer = whole_dollars_up(rcp)
    fraction = rules.number(f"{RULES}.lump_sum_initial_fraction", day)
    initial = ZERO if low_income else cents(offer * fraction)
    max_payments = int(rules.number(f"{RULES}.lump_sum_max_payments", day))
    return LumpSum(rcp, offer, fraction, initial, offer - initial, max_payments)


def periodic(rules: RuleBook, rcp: Decimal, low_income: bool, day: dt.date) -> Periodic:
    """Equal monthly payments over the longest term allowed, the first with the application;
    cents are rounded down and the last payment takes the difference."""
    offer = whole_dollars_up(rcp)
    months = int(rules.number(f"{RULES}.periodic_max_months", day))
    monthly = (offer / months).quantize(CENT, rounding=ROUND_DOWN)
    return Periodic(rcp, offer, months, monthly, offer - monthly * (months - 1), ZERO if low_income else monthly)


def prequalify(rules: RuleBook, situation: Situation, day: dt.date) -> Result:
    equity = [equity_in(rules, kind, situation.assets[kind], day) for kind in ASSET_KINDS]
    net_realizable_equity = sum((line.equity for line in equity), ZERO)
    income = situation.wages + situation.business_income + situation.rental_income + situation.other_income
    expenses = allowable_expenses(rules, situation, day)
    allowable = sum((line.allowed for line in expenses), ZERO)
    disposable = max(ZERO, income - allowable)
    lump_months = int(rules.number(f"{RULES}.lump_sum_future_months", day))
    periodic_months = int(rules.number(f"{RULES}.periodic_future_months", day))
    limit = poverty_guideline(rules, situation.state, situation.household_size, day) * rules.number(
        f"{RULES}.low_income_poverty_multiple", day
    )
    low_income = situation.agi <= limit
    housing = next(line for line in expenses if line.kind == "housing")
    return Result(
        as_of=day,
        balance=situation.tax_debt,
        equity=equity,
        net_realizable_equity=net_realizable_equity,
        income=income,
        expenses=expenses,
        allowable_expenses=allowable,
        disposable_income=disposable,
        lump_sum_months=lump_months,
        periodic_months=periodic_months,
        lump_sum=lump_sum(rules, net_realizable_equity + disposable * lump_months, low_income, day),
        periodic=periodic(rules, net_realizable_equity + disposable * periodic_months, low_income, day),
        fee=rules.number(f"{RULES}.application_fee", day),
        low_income=low_income,
        low_income_limit=cents(limit),
        housing_capped=housing.standard is not None,
    )
