"""Worked examples of the Offer in Compromise arithmetic, each computed by hand.

The expected numbers never come from the calculator. The standards used (checked against
``[offer_in_compromise]`` in ``taxgov/ledger/rules/federal.toml``, in force on 2026-11-21):
National Standards 1,558 for 2 people, 2,176 for 4, +397 for each person past 4; out-of-pocket
health care 90 a person under 65, 163 from 65; vehicle ownership 703 and operating 347 (Boston
MSA) or 291 (South) a vehicle; public transportation 220; Suffolk County housing 3,299 for 2
people, 3,938 for 5 or more; quick-sale value 80% except cash and investments; $1,000 of bank
balances and $3,450 of one vehicle's equity excluded; future income x 12 (lump sum) and x 24
(periodic); 20% with a lump-sum application; fee $205; low income at 250% of the 2026 poverty
guideline (15,960 + 5,680 a person after the first; Alaska 2025: 19,550 + 6,880).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from taxgov.federal.offers import calculator
from taxgov.federal.offers.calculator import Asset, Situation, prequalify
from taxgov.ledger.rules import rulebook

RULES = rulebook("federal")
DAY = dt.date(2026, 11, 21)
NONE = Asset(Decimal(0))


def money(text: str) -> Decimal:
    return Decimal(text)


def boston_couple() -> Situation:
    """Two people under 65 in Suffolk County, Massachusetts, with one car."""
    return Situation(
        state="MA",
        county="Suffolk",
        household_size=2,
        aged_65_or_older=0,
        tax_debt=money("60000"),
        agi=money("99600"),
        assets={
            "cash": Asset(money("6500")),
            "investments": Asset(money("4000")),
            "retirement": Asset(money("20000"), money("2000")),
            "real_estate": NONE,
            "vehicles": Asset(money("15000"), money("9000")),
            "other": Asset(money("2500")),
        },
        wages=money("8000"),
        other_income=money("300"),
        housing=money("3500"),
        vehicles=1,
        vehicle_payments=money("450"),
        vehicle_operating=money("400"),
        health_insurance=money("300"),
        current_taxes=money("900"),
    )


def test_a_boston_couple_worked_by_hand():
    """Equity: cash 6,500 - 1,000 = 5,500; investments 4,000 at full value; retirement
    20,000 x 0.8 - 2,000 = 14,000; vehicle 15,000 x 0.8 - 9,000 = 3,000, all of it within the
    3,450 exclusion, so 0; other 2,500 x 0.8 = 2,000. NRE = 25,500.
    Expenses: 1,558 + 2 x 90 + min(3,500, 3,299) + min(450, 703) + min(400, 347) + 0 + 300 + 900
    = 7,034; income 8,300; disposable income 1,266.
    Lump sum: 25,500 + 1,266 x 12 = 40,692, 20% = 8,138.40 now and 32,553.60 after acceptance.
    Periodic: 25,500 + 1,266 x 24 = 55,884 = 24 x 2,328.50."""
    result = prequalify(RULES, boston_couple(), DAY)
    assert [line.equity for line in result.equity] == [
        money("5500"),
        money("4000"),
        money("14000"),
        money("0"),
        money("0"),
        money("2000"),
    ]
    assert result.net_realizable_equity == money("25500")
    allowed = {line.kind: line.allowed for line in result.expenses}
    assert allowed["national"] == money("1558")
    assert allowed["health_care"] == money("180")
    assert allowed["housing"] == money("3299")
    assert allowed["vehicle_payments"] == money("450")
    assert allowed["vehicle_operating"] == money("347")
    assert allowed["public_transportation"] == money("0")
    assert result.allowable_expenses == money("7034")
    assert result.income == money("8300")
    assert result.disposable_income == money("1266")
    assert result.lump_sum.rcp == money("40692")
    assert result.lump_sum.offer == money("40692")
    assert result.lump_sum.with_application == money("8138.40")
    assert result.lump_sum.after_acceptance == money("32553.60")
    assert result.lump_sum.initial_percent == 20
    assert result.periodic.offer == money("55884")
    assert result.periodic.monthly == money("2328.50")
    assert result.periodic.last == money("2328.50")
    assert result.periodic.with_application == money("2328.50")
    assert result.offer_likely
    assert result.periodic_likely
    assert result.housing_capped
    # 2 people: 2.5 x (15,960 + 5,680) = 54,100 < 99,600, so the fee is due.
    assert result.low_income_limit == money("54100")
    assert not result.low_income
    assert result.fee_due == money("205")


def test_an_offer_is_unlikely_when_the_rcp_covers_the_balance():
    """The same couple owing 50,000: the lump-sum offer (40,692) is less, the periodic one
    (55,884) is not. Owing 40,692 exactly: not even the lump sum is less."""
    owing_50k = prequalify(RULES, replace(boston_couple(), tax_debt=money("50000")), DAY)
    assert owing_50k.offer_likely
    assert not owing_50k.periodic_likely
    owing_rcp = prequalify(RULES, replace(boston_couple(), tax_debt=money("40692")), DAY)
    assert not owing_rcp.offer_likely


def texas_family() -> Situation:
    """Four people, one of them 65 or older, in Texas (South region; no county housing data)."""
    return Situation(
        state="TX",
        county="",
        household_size=4,
        aged_65_or_older=1,
        tax_debt=money("12000"),
        agi=money("40000"),
        assets={
            "cash": Asset(money("800")),
            "investments": NONE,
            "retirement": NONE,
            "real_estate": NONE,
            "vehicles": Asset(money("5000")),
            "other": NONE,
        },
        wages=money("3000"),
        business_income=money("400"),
        housing=money("1800"),
        vehicles=1,
        vehicle_operating=money("250"),
        public_transportation=money("50"),
        current_taxes=money("200"),
    )


def test_a_low_income_family_without_housing_data_worked_by_hand():
    """Equity: cash 800 is all excluded; vehicle 5,000 x 0.8 = 4,000 - 3,450 = 550. NRE = 550.
    Expenses: 2,176 + (3 x 90 + 163) + 1,800 (no standard: what they pay) + 0 + min(250, 291)
    + min(50, 220) + 200 = 4,909, more than the income of 3,400: disposable income 0.
    Both offers are 550. Low income: 40,000 <= 2.5 x (15,960 + 3 x 5,680) = 82,500, so no fee
    and nothing with the application. Periodic: 550 / 24 = 22.9166 -> 22.91 a month, the last
    550 - 23 x 22.91 = 23.07."""
    result = prequalify(RULES, texas_family(), DAY)
    assert result.net_realizable_equity == money("550")
    equity = {line.kind: line for line in result.equity}
    assert equity["cash"].excluded == money("800")
    assert equity["vehicles"].quick_sale == money("4000")
    assert equity["vehicles"].excluded == money("3450")
    housing = next(line for line in result.expenses if line.kind == "housing")
    assert housing.standard is None
    assert housing.allowed == money("1800")
    assert not result.housing_capped
    assert result.allowable_expenses == money("4909")
    assert result.disposable_income == money("0")
    assert result.lump_sum.offer == money("550")
    assert result.low_income_limit == money("82500")
    assert result.low_income
    assert result.fee_due == money("0")
    assert result.lump_sum.with_application == money("0")
    assert result.periodic.monthly == money("22.91")
    assert result.periodic.last == money("23.07")
    assert result.periodic.with_application == money("0")


def test_offers_round_up_to_whole_dollars():
    """Equity of 1,234.57 of other items: 0.8 x 1,234.57 = 987.656 -> 987.66 quick-sale value;
    the offer is the next whole dollar, 988."""
    situation = replace(
        texas_family(),
        assets={**texas_family().assets, "vehicles": NONE, "other": Asset(money("1234.57"))},
    )
    result = prequalify(RULES, situation, DAY)
    assert result.net_realizable_equity == money("987.66")
    assert result.lump_sum.offer == money("988")


@pytest.mark.parametrize(
    ("size", "expected"),
    [(1, "867"), (2, "1558"), (4, "2176"), (6, "2970")],  # 6: 2,176 + 2 x 397
)
def test_national_standards_by_household_size(size, expected):
    assert calculator.national_standard(RULES, size, DAY) == money(expected)


def test_the_standards_in_force_on_the_day_are_used():
    """Before 2026-06-29 the 2025 National Standards apply: 839 for one person."""
    assert calculator.national_standard(RULES, 1, dt.date(2025, 6, 1)) == money("839")


def test_housing_uses_the_five_or_more_column_and_only_known_counties():
    assert calculator.housing_standard(RULES, "MA", "Suffolk", 7, DAY) == money("3938")
    assert calculator.housing_standard(RULES, "MA", "Nowhere", 2, DAY) is None
    assert calculator.housing_standard(RULES, "NY", "Kings", 2, DAY) is None


def test_operating_costs_follow_the_boston_msa_then_the_region():
    assert calculator.operating_area(RULES, "MA", "Middlesex") == "boston"
    assert calculator.operating_area(RULES, "MA", "Berkshire") == "northeast"
    assert calculator.operating_area(RULES, "CA", "") == "west"
    assert calculator.operating_area(RULES, "PR", "") is None


def test_two_vehicles_at_most_are_allowed():
    """Three vehicles: ownership capped at 2 x 703 = 1,406 and operating at 2 x 347 = 694."""
    situation = replace(boston_couple(), vehicles=3, vehicle_payments=money("2000"), vehicle_operating=money("900"))
    allowed = {line.kind: line.allowed for line in prequalify(RULES, situation, DAY).expenses}
    assert allowed["vehicle_payments"] == money("1406")
    assert allowed["vehicle_operating"] == money("694")


def test_alaska_uses_its_own_poverty_guideline():
    """3 people in Alaska: 19,550 + 2 x 6,880 = 33,310 (the 2025 figures stay in force)."""
    assert calculator.poverty_guideline(RULES, "AK", 3, DAY) == money("33310")
    assert calculator.poverty_guideline(RULES, "MA", 3, DAY) == money("27320")  # 15,960 + 2 x 5,680


def test_an_asset_owing_more_than_it_is_worth_counts_zero():
    line = calculator.equity_in(RULES, "real_estate", Asset(money("300000"), money("250000")), DAY)
    assert line.quick_sale == money("240000")
    assert line.equity == money("0")
