"""Worked examples of the payoff engine, each computed by hand from the published rules.

The expected numbers never come from the engine. Each docstring gives the inputs, the rule
with its source, and the arithmetic; where the arithmetic is a compound-interest formula the
test evaluates that formula itself with ``Decimal`` at 60 digits (``grow`` below) and checks
both the engine's unrounded value and the cents a person sees.

Rates used (checked against ``taxgov/ledger/rules/*.toml``): the federal short-term rate
(FST) is 4% from 2023-01-01, 5% from 2023-10-01 and 4% again from 2025-01-01. So federal
individual interest (FST + 3, IRC 6621(a)(2)) is 7% until 2023-09-30, 8% from 2023-10-01
through 2024-12-31 and 7% from 2025-01-01; the state's underpayment rate (FST + 4, G.L. c.
62C §32) is 8% then 9%, and its overpayment rate (FST + 2, §40) is 6% then 7%. Daily
compounding divides the annual rate by 365, or by 366 in 2024 (IRC 6622).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest

from taxgov.ledger.engine import (
    Module,
    Payoff,
    Posting,
    dishonored_payment_penalty,
    payoff,
    simple_overpayment_interest,
)
from taxgov.ledger.rules import rulebook

FEDERAL = rulebook("federal")
STATE = rulebook("state")
TINY = Decimal("1e-20")  # the engine keeps 40 digits; the hand formulas here keep 60


@pytest.fixture(autouse=True)
def hand_precision() -> Iterator[None]:
    """Evaluate the hand formulas at 60 significant digits."""
    with localcontext() as context:
        context.prec = 60
        yield


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def grow(*spans: tuple[int, int, int]) -> Decimal:
    """The hand formula for daily compounding: the product of (1 + rate% / year_days) ** days."""
    factor = Decimal(1)
    for percent, year_days, days in spans:
        factor *= (1 + Decimal(percent) / 100 / year_days) ** days
    return factor


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def module(due: str, filed: str | None, *entries: tuple[str, str, str] | Posting, **facts: object) -> Module:
    postings = tuple(
        entry if isinstance(entry, Posting) else Posting(entry[0], day(entry[1]), Decimal(entry[2]))
        for entry in entries
    )
    return Module(day(due), day(filed) if filed else None, postings, **facts)  # type: ignore[arg-type]


def check(
    result: Payoff,
    *,
    tax: Decimal | str | int,
    penalties: Decimal | str | int,
    interest: Decimal | str | int,
    shown: tuple[str, str, str, str],
) -> None:
    """The engine's exact parts match the hand values, and the cents shown match ``shown``.

    ``shown`` is (tax, penalties, interest, total) as a person reads them, written out by hand.
    """
    exact = {"tax": Decimal(tax), "penalties": Decimal(penalties), "interest": Decimal(interest)}
    for part, expected in exact.items():
        assert abs(getattr(result, part) - expected) < TINY, (part, getattr(result, part), expected)
    displayed = result.display()
    expected_shown = dict(zip(("tax", "penalties", "interest", "total"), map(Decimal, shown), strict=True))
    assert {part: displayed[part] for part in expected_shown} == expected_shown
    # The cents shown are the hand values rounded half up, and the total is the sum shown.
    for part, expected in exact.items():
        assert expected_shown[part] == to_cents(expected)
    assert expected_shown["total"] == expected_shown["tax"] + expected_shown["penalties"] + expected_shown["interest"]


# The scenario of the issue: due and filed 2023-04-18, TC 150 10000.00, TC 806 -2500.00 on the
# due date, TC 670 -1000.00 on 2023-09-01.
ISSUE_ENTRIES = (
    ("150", "2023-04-18", "10000.00"),
    ("806", "2023-04-18", "-2500.00"),
    ("670", "2023-09-01", "-1000.00"),
)


def issue_module() -> Module:
    return module("2023-04-18", "2023-04-18", *ISSUE_ENTRIES)


def test_issue_scenario_on_the_due_date_owes_the_net_tax_only():
    """Issue scenario as of 2023-04-18 (the due date).

    Tax 10000.00 less 2500.00 withheld (TC 806 counts as paid on the due date) = 7500.00.
    Interest runs from the due date (IRC 6601(a)) over the days [due, as_of): none yet.
    Failure to pay (IRC 6651(a)(2)) starts with the first month after the due date: none yet.
    Total 7500.00.
    """
    result = payoff(FEDERAL, issue_module(), day("2023-04-18"))
    check(result, tax="7500.00", penalties=0, interest=0, shown=("7500.00", "0.00", "0.00", "7500.00"))


def test_issue_scenario_after_thirty_days():
    """Issue scenario as of 2023-05-18.

    Interest, IRC 6601(a), 6621(a)(2) (FST 4 + 3 = 7%), 6622 (daily): 30 days from 2023-04-18,
    7500 * ((1 + 0.07/365)^30 - 1) = 43.27.
    Failure to pay, IRC 6651(a)(2): month 1 (2023-04-19 to 2023-05-18) has begun, 0.5% of the
    7500.00 unpaid at its start = 37.50.
    Total 7500.00 + 37.50 + 43.27 = 7580.77.
    """
    result = payoff(FEDERAL, issue_module(), day("2023-05-18"))
    interest = 7500 * (grow((7, 365, 30)) - 1)
    check(result, tax="7500.00", penalties="37.50", interest=interest, shown=("7500.00", "37.50", "43.27", "7580.77"))


def test_issue_scenario_after_the_payment_and_a_rate_change():
    """Issue scenario as of 2023-10-01.

    Interest (IRC 6601, 6621, 6622): 136 days at 7% from 2023-04-18 to the payment on
    2023-09-01: 7500 * (1 + 0.07/365)^136 = 7698.17, of which 198.17 is interest. The payment
    of 1000.00 goes to tax first (tax, then penalty, then interest; IRS topic 653), leaving tax
    6500.00, and the balance 6698.17 compounds 30 more days at 7% to 2023-10-01 (the new 8%
    rate applies from that day, so not yet): (7500 * (1 + 0.07/365)^136 - 1000) *
    (1 + 0.07/365)^30 - 6500 = 236.82.
    Failure to pay, IRC 6651(a)(2), 6651(b)(2): months beginning 04-19, 05-19, 06-19, 07-19,
    08-19 on 7500.00: 5 * 37.50 = 187.50; month beginning 09-19 on 6500.00: 32.50. Total
    220.00.
    Total 6500.00 + 220.00 + 236.82 = 6956.82.
    """
    result = payoff(FEDERAL, issue_module(), day("2023-10-01"))
    interest = (7500 * grow((7, 365, 136)) - 1000) * grow((7, 365, 30)) - 6500
    check(
        result, tax="6500.00", penalties="220.00", interest=interest, shown=("6500.00", "220.00", "236.82", "6956.82")
    )


def test_issue_scenario_across_the_rate_change_and_a_leap_year():
    """Issue scenario as of 2024-03-01.

    Interest: as on 2023-10-01 (see above), then 92 days at 8% / 365 (2023-10-01 to
    2024-01-01; FST 5 + 3, Rev. Rul. 2023-17) and 60 days at 8% / 366 (2024 is a leap year):
    (7500 * (1 + .07/365)^136 - 1000) * (1 + .07/365)^30 * (1 + .08/365)^92 * (1 + .08/366)^60
    - 6500 = 464.76.
    Failure to pay: 220.00 by 2023-10-01, plus months beginning 10-19, 11-19, 12-19, 01-19 and
    02-19 at 0.5% of 6500.00 = 5 * 32.50 = 162.50; total 382.50 (under the 25% cap of 1875.00).
    Total 6500.00 + 382.50 + 464.76 = 7347.26.
    """
    result = payoff(FEDERAL, issue_module(), day("2024-03-01"))
    interest = (7500 * grow((7, 365, 136)) - 1000) * grow((7, 365, 30), (8, 365, 92), (8, 366, 60)) - 6500
    check(
        result, tax="6500.00", penalties="382.50", interest=interest, shown=("6500.00", "382.50", "464.76", "7347.26")
    )


def test_issue_scenario_with_the_payment_reversed_is_as_if_never_paid():
    """Issue scenario plus TC 671 1000.00 on 2023-10-15 (the payment was dishonoured), as of 2023-11-01.

    A reversed payment (TC 671, Document 6209: "payment reversed") counts as never made, so
    tax stays 7500.00 from the due date. Interest: 166 days at 7% (2023-04-18 to 2023-10-01)
    and 31 days at 8% / 365: 7500 * ((1 + .07/365)^166 * (1 + .08/365)^31 - 1) = 295.37.
    Failure to pay: months beginning 04-19 ... 10-19, seven months on 7500.00: 7 * 37.50 = 262.50.
    (The dishonoured-payment penalty itself is assessed separately as TC 286.)
    Total 7500.00 + 262.50 + 295.37 = 8057.87.
    """
    entries = (*ISSUE_ENTRIES, ("671", "2023-10-15", "1000.00"))
    result = payoff(FEDERAL, module("2023-04-18", "2023-04-18", *entries), day("2023-11-01"))
    interest = 7500 * (grow((7, 365, 166), (8, 365, 31)) - 1)
    check(
        result, tax="7500.00", penalties="262.50", interest=interest, shown=("7500.00", "262.50", "295.37", "8057.87")
    )


def test_interest_across_a_quarterly_rate_change_and_through_a_leap_year():
    """Due and filed 2023-09-15, TC 150 5000.00, never paid.

    Rule: IRC 6621(a)(2) (FST + 3, set each quarter, 6621(b)) compounded daily (6622) on 365
    days, 366 in a leap year.
    As of 2023-10-16: 16 days at 7% (09-15 to 10-01) and 15 days at 8%:
    5000 * ((1 + .07/365)^16 * (1 + .08/365)^15 - 1) = 31.88. Failure to pay: months
    beginning 09-16 and 10-16, 2 * 0.5% * 5000 = 50.00.
    As of 2025-01-10: 16 days at 7%/365, 92 days at 8%/365 (to 2024-01-01), 366 days at
    8%/366 (all of 2024) and 9 days at 7%/365 (FST back to 4 from 2025-01-01, Rev. Rul.
    2024-25): 5000 * (... - 1) = 553.26. Failure to pay: 16 months have begun (the 16th on
    2024-12-16), 16 * 25.00 = 400.00.
    """
    entries = (("150", "2023-09-15", "5000.00"),)
    early = payoff(FEDERAL, module("2023-09-15", "2023-09-15", *entries), day("2023-10-16"))
    check(
        early,
        tax="5000.00",
        penalties="50.00",
        interest=5000 * (grow((7, 365, 16), (8, 365, 15)) - 1),
        shown=("5000.00", "50.00", "31.88", "5081.88"),
    )
    late = payoff(FEDERAL, module("2023-09-15", "2023-09-15", *entries), day("2025-01-10"))
    check(
        late,
        tax="5000.00",
        penalties="400.00",
        interest=5000 * (grow((7, 365, 16), (8, 365, 92), (8, 366, 366), (7, 365, 9)) - 1),
        shown=("5000.00", "400.00", "553.26", "5953.26"),
    )


def test_leap_day_counts_one_three_hundred_sixty_sixth_of_the_rate():
    """Due and filed 2024-02-28, TC 150 100000.00, as of 2024-03-01: two days (02-28, 02-29).

    IRC 6622 daily compounding; in 2024, a leap year, each day adds 8%/366 (the IRS's daily
    interest tables use the days in the year). 100000 * ((1 + .08/366)^2 - 1) = 43.72; at
    8%/365 it would be 43.84.
    Failure to pay: month 1 began 02-29, 0.5% * 100000 = 500.00.
    """
    result = payoff(FEDERAL, module("2024-02-28", "2024-02-28", ("150", "2024-02-28", "100000.00")), day("2024-03-01"))
    interest = 100000 * (grow((8, 366, 2)) - 1)
    check(
        result,
        tax="100000.00",
        penalties="500.00",
        interest=interest,
        shown=("100000.00", "500.00", "43.72", "100543.72"),
    )


def test_paid_in_full_on_the_due_date_owes_nothing():
    """Due and filed 2023-04-18, TC 150 5000.00, TC 610 -5000.00 (payment with return) on 2023-04-18.

    IRC 6651(a)(2) charges only for months after the due date during which the failure
    continues, and IRC 6601(a) interest only from the due date to payment: paid on the due
    date, there is neither. As of 2024-04-18 everything is 0.00.
    """
    result = payoff(
        FEDERAL,
        module("2023-04-18", "2023-04-18", ("150", "2023-04-18", "5000.00"), ("610", "2023-04-18", "-5000.00")),
        day("2024-04-18"),
    )
    check(result, tax=0, penalties=0, interest=0, shown=("0.00", "0.00", "0.00", "0.00"))


def test_paid_one_day_late_owes_one_month_of_failure_to_pay_and_one_day_of_interest():
    """Due and filed 2023-04-18, TC 150 5000.00, TC 670 -5000.00 on 2023-04-19.

    IRC 6651(a)(2): 0.5% for each month or fraction of a month; one day late is a fraction of
    month 1, charged on the 5000.00 unpaid at its start: 25.00.
    Interest (6601, 6621, 6622): one day at 7%: 5000 * 0.07 / 365 = 0.958904 → 0.96.
    As of 2023-04-19: tax 0.00, penalties 25.00, interest 0.96, total 25.96.
    As of 2023-06-01 nothing more is charged for failure to pay (no tax is unpaid at the start
    of month 2), but the unpaid interest keeps compounding daily (6622): 43 more days,
    0.958904 * (1 + .07/365)^43 = 0.97.
    """
    entries = (("150", "2023-04-18", "5000.00"), ("670", "2023-04-19", "-5000.00"))
    one_day = 5000 * (grow((7, 365, 1)) - 1)
    check(
        payoff(FEDERAL, module("2023-04-18", "2023-04-18", *entries), day("2023-04-19")),
        tax=0,
        penalties="25.00",
        interest=one_day,
        shown=("0.00", "25.00", "0.96", "25.96"),
    )
    check(
        payoff(FEDERAL, module("2023-04-18", "2023-04-18", *entries), day("2023-06-01")),
        tax=0,
        penalties="25.00",
        interest=one_day * grow((7, 365, 43)),
        shown=("0.00", "25.00", "0.97", "25.97"),
    )


def test_failure_to_pay_stops_at_twenty_five_percent():
    """Due and filed 2020-07-15, TC 150 1000.00, never paid.

    IRC 6651(a)(2): 0.5% a month, "not exceeding 25 percent in the aggregate": 50 months.
    Month n begins the day after 2020-07-15 + (n - 1) months; month 50 begins 2024-08-16.
    As of 2024-08-15: 49 * 5.00 = 245.00; as of 2024-08-16: 250.00 (25% of 1000.00); as of
    2025-07-15 still 250.00.
    """
    facts = module("2020-07-15", "2020-07-15", ("150", "2020-07-15", "1000.00"))
    assert payoff(FEDERAL, facts, day("2024-08-15")).display()["penalties"] == Decimal("245.00")
    assert payoff(FEDERAL, facts, day("2024-08-16")).display()["penalties"] == Decimal("250.00")
    assert payoff(FEDERAL, facts, day("2025-07-15")).penalties == Decimal("250.00")


def test_late_filing_and_late_payment_together_stop_at_forty_seven_and_a_half_percent():
    """Due 2020-07-15, filed 2021-01-01 (TC 150 10000.00 that day), never paid.

    Failure to file, IRC 6651(a)(1) and (c)(1): 5% a month less that month's 0.5% failure to
    pay = 4.5%, for at most 5 months (the 5% rate reaches 25% then): 5 * 450.00 = 2250.00,
    above the minimum for a return more than 60 days late (min($435 for returns due 2020-2022,
    10000.00), IRC 6651(a)).
    Failure to pay, IRC 6651(a)(2): capped at 25% = 2500.00 once month 50 has begun
    (2024-08-16). Penalties 2250.00 + 2500.00 = 4750.00 = 47.5% (as of 2025-01-01).
    Small tax: with TC 150 1000.00, failure to file by months is 225.00, raised to the
    $435 minimum; failure to pay 250.00; penalties 685.00.
    """
    facts = module("2020-07-15", "2021-01-01", ("150", "2021-01-01", "10000.00"))
    assert payoff(FEDERAL, facts, day("2025-01-01")).penalties == Decimal("4750.00")
    small = module("2020-07-15", "2021-01-01", ("150", "2021-01-01", "1000.00"))
    assert payoff(FEDERAL, small, day("2025-01-01")).penalties == Decimal("685.00")


def test_failure_to_file_and_to_pay_for_a_return_five_months_late_and_more():
    """Due 2023-04-18, filed 2023-12-01 with TC 150 10000.00, never paid, as of 2023-12-01.

    Failure to file, IRC 6651(a)(1), (c)(1): 5% of 10000 a month less that month's failure to
    pay (0.5%): 450.00 a month, at most 5 months (5 * 5% = 25%): 2250.00. The return is 227 days
    late, so at least min($450 for returns due in 2023, 10000) = 450.00, which 2250.00 exceeds.
    Failure to pay, IRC 6651(a)(2): 8 months have begun (04-19 ... 11-19): 8 * 50.00 = 400.00.
    The combined rate of months 1-5 is 4.5% + 0.5% = 5% a month.
    Interest: on the tax from the due date (6601(a)) and on the failure-to-file penalty from
    the due date too (6601(e)(2)(B)); the failure-to-pay penalty bears interest only from notice
    and demand (6601(e)(2)(A)), and it is not assessed. 166 days at 7% and 61 at 8%:
    (10000 + 2250) * ((1 + .07/365)^166 * (1 + .08/365)^61 - 1) = 566.42.
    Total 10000.00 + 2650.00 + 566.42 = 13216.42.
    """
    facts = module("2023-04-18", "2023-12-01", ("150", "2023-12-01", "10000.00"))
    result = payoff(FEDERAL, facts, day("2023-12-01"))
    interest = 12250 * (grow((7, 365, 166), (8, 365, 61)) - 1)
    check(
        result,
        tax="10000.00",
        penalties="2650.00",
        interest=interest,
        shown=("10000.00", "2650.00", "566.42", "13216.42"),
    )


def test_failure_to_file_minimum_applies_from_the_sixty_first_day():
    """Due 2023-04-18, TC 150 300.00, unpaid; filed 60 days late (2023-06-17) or 61 (2023-06-18).

    IRC 6651(a) (last sentence) and (c)(1): a return not filed within 60 days of its due date
    owes a failure-to-file penalty of at least the lesser of $450 (returns due in 2023) and
    the tax, and the reduction by failure to pay does not take it below that.
    Filed 2023-06-17 (day 60): failure to file for months 1-2: 2 * (5% - 0.5%) * 300 = 27.00;
    failure to pay for months beginning 04-19 and 05-19: 2 * 1.50 = 3.00. Penalties 30.00.
    Filed 2023-06-18 (day 61): failure to file min(450, 300) = 300.00; failure to pay 3.00.
    Penalties 303.00 (as of the filing day in each case).
    """
    on_day_60 = module("2023-04-18", "2023-06-17", ("150", "2023-06-17", "300.00"))
    on_day_61 = module("2023-04-18", "2023-06-18", ("150", "2023-06-18", "300.00"))
    assert payoff(FEDERAL, on_day_60, day("2023-06-17")).penalties == Decimal("30.00")
    assert payoff(FEDERAL, on_day_61, day("2023-06-18")).penalties == Decimal("303.00")


def test_failure_to_file_minimum_is_keyed_on_the_due_year_and_bears_interest_from_the_due_date():
    """TC 150 2000.00 filed 61 days late, unpaid.

    Due 2023-04-18, filed 2023-06-18: by months 2 * (100 - 10) = 180.00, raised to the minimum
    $450 (returns due in 2023; min(450, 2000)). Failure to pay 2 * 10.00 = 20.00. Penalties
    470.00. Interest on tax and on the failure-to-file penalty from the due date (IRC
    6601(a), 6601(e)(2)(B)), 61 days at 7%: 2450 * ((1 + .07/365)^61 - 1) = 28.83.
    Due 2024-04-15, filed 2024-07-01 (77 days late): the minimum is $485 for returns due in
    2024: by months 3 * 90 = 270.00, raised to 485.00; failure to pay 3 * 10.00 = 30.00.
    Penalties 515.00.
    """
    result = payoff(FEDERAL, module("2023-04-18", "2023-06-18", ("150", "2023-06-18", "2000.00")), day("2023-06-18"))
    interest = 2450 * (grow((7, 365, 61)) - 1)
    check(result, tax="2000.00", penalties="470.00", interest=interest, shown=("2000.00", "470.00", "28.83", "2498.83"))
    due_2024 = module("2024-04-15", "2024-07-01", ("150", "2024-07-01", "2000.00"))
    assert payoff(FEDERAL, due_2024, day("2024-07-01")).penalties == Decimal("515.00")


def test_installment_agreement_halves_failure_to_pay_for_a_timely_individual():
    """Due and filed 2023-04-18, TC 150 4000.00, unpaid; installment agreement from 2023-06-19; as of 2023-07-31.

    IRC 6651(h): 0.25% instead of 0.5% for any month during which an installment agreement
    is in effect, for an individual who filed on time (including extensions).
    Months beginning 04-19 and 05-19: 2 * 20.00; months beginning 06-19 and 07-19 (agreement
    in effect): 2 * 10.00. Penalties 60.00.
    The same agreement recorded as TC 971 action code 063 on 2023-06-19 gives 60.00; ended by
    TC 971 action code 064 on 2023-07-19, the month beginning that day is back at 0.5%:
    20 + 20 + 10 + 20 = 70.00.
    A business (not an individual) with the same agreement gets no reduction: 4 * 20 = 80.00.
    """
    tax = ("150", "2023-04-18", "4000.00")
    as_of = day("2023-07-31")
    by_field = module("2023-04-18", "2023-04-18", tax, installment_agreement_from=day("2023-06-19"))
    assert payoff(FEDERAL, by_field, as_of).penalties == Decimal("60.00")
    established = Posting("971", day("2023-06-19"), Decimal(0), action_code="063")
    ended = Posting("971", day("2023-07-19"), Decimal(0), action_code="064")
    assert payoff(FEDERAL, module("2023-04-18", "2023-04-18", tax, established), as_of).penalties == Decimal("60.00")
    assert payoff(FEDERAL, module("2023-04-18", "2023-04-18", tax, established, ended), as_of).penalties == Decimal(
        "70.00"
    )
    business = module("2023-04-18", "2023-04-18", tax, installment_agreement_from=day("2023-06-19"), individual=False)
    assert payoff(FEDERAL, business, as_of).penalties == Decimal("80.00")


def test_installment_agreement_rate_is_not_for_a_late_filer():
    """Due 2023-04-18, filed late on 2023-05-01 with TC 150 4000.00; installment agreement from 2023-06-19.

    IRC 6651(h) applies only to a return filed on or before its due date (with extensions),
    so failure to pay stays 0.5%: 4 months * 20.00 = 80.00 by 2023-07-31.
    Failure to file, IRC 6651(a)(1), (c)(1): 13 days late is one month: 5% * 4000 - 20.00 =
    180.00 (not 60 days late, so no minimum). Penalties 260.00.
    """
    facts = module(
        "2023-04-18", "2023-05-01", ("150", "2023-05-01", "4000.00"), installment_agreement_from=day("2023-06-19")
    )
    assert payoff(FEDERAL, facts, day("2023-07-31")).penalties == Decimal("260.00")


def test_failure_to_pay_is_one_percent_from_the_month_after_ten_days_past_a_levy_notice():
    """Due and filed 2023-04-18, TC 150 2000.00, unpaid, as of 2023-07-31, with a notice of intent to levy.

    IRC 6651(d): 1% instead of 0.5% for each month beginning after the day 10 days after the
    notice. Months begin 04-19, 05-19, 06-19 and 07-19.
    Notice 2023-06-08: ten days later is 06-18, so the months beginning 06-19 and 07-19 are at
    1%: 10 + 10 + 20 + 20 = 60.00.
    Notice 2023-06-09: ten days later is 06-19; the month beginning that day does not begin
    after it, so only 07-19 is at 1%: 10 + 10 + 10 + 20 = 50.00.
    It wins over an installment agreement (IRS topic 653: 0.25% only if no levy notice).
    """
    tax = ("150", "2023-04-18", "2000.00")
    as_of = day("2023-07-31")
    early = module("2023-04-18", "2023-04-18", tax, levy_notice_date=day("2023-06-08"))
    late = module("2023-04-18", "2023-04-18", tax, levy_notice_date=day("2023-06-09"))
    both = module(
        "2023-04-18",
        "2023-04-18",
        tax,
        levy_notice_date=day("2023-06-08"),
        installment_agreement_from=day("2023-05-19"),
    )
    assert payoff(FEDERAL, early, as_of).penalties == Decimal("60.00")
    assert payoff(FEDERAL, late, as_of).penalties == Decimal("50.00")
    # 05-19 under the agreement at 0.25% (5.00), then levy rate from 06-19: 10 + 5 + 20 + 20.
    assert payoff(FEDERAL, both, as_of).penalties == Decimal("55.00")


def test_return_filed_within_an_extension_owes_no_failure_to_file_but_pays_from_the_due_date():
    """Due 2023-04-18, TC 460 (extension) 2023-04-10, return filed 2023-08-01 with TC 150 5000.00, unpaid.

    An extension is of time to file, not to pay (Treas. Reg. 1.6081-4): no failure to file
    (IRC 6651(a)(1) "determined with regard to any extension"), but failure to pay runs from
    the original due date (6651(a)(2)): months beginning 04-19, 05-19, 06-19, 07-19: 4 * 25.00
    = 100.00; and interest too (6601(a)): 105 days at 7%: 5000 * ((1 + .07/365)^105 - 1) =
    101.70. Total 5201.70 as of 2023-08-01.
    Without the extension the same return is 105 days late: failure to file 4 * (250 - 25) =
    900.00 (above the $450 minimum), penalties 1000.00.
    """
    extended = module("2023-04-18", "2023-08-01", ("460", "2023-04-10", "0"), ("150", "2023-08-01", "5000.00"))
    result = payoff(FEDERAL, extended, day("2023-08-01"))
    interest = 5000 * (grow((7, 365, 105)) - 1)
    check(
        result, tax="5000.00", penalties="100.00", interest=interest, shown=("5000.00", "100.00", "101.70", "5201.70")
    )
    not_extended = module("2023-04-18", "2023-08-01", ("150", "2023-08-01", "5000.00"))
    assert payoff(FEDERAL, not_extended, day("2023-08-01")).penalties == Decimal("1000.00")


def test_assessed_interest_and_penalty_replace_what_had_accrued():
    """Due and filed 2023-04-18, TC 150 5000.00; on 2023-07-01 TC 196 100.00 and TC 276 60.00; as of 2023-08-01.

    A TC 196 assessment is the interest computed to its date, so it replaces the accrued
    interest (which was 5000 * ((1 + .07/365)^74 - 1) = 71.46); likewise TC 276 replaces the
    75.00 failure to pay accrued for three months. On 2023-07-01: interest 100.00, penalties
    60.00. After that, failure to pay goes on (month beginning 07-19: 25.00, penalties 85.00)
    and interest compounds daily on tax, assessed interest, and the assessed failure-to-pay
    penalty, which bears interest from its notice because it was not paid within 21 days (IRC
    6601(e)(2)(A)): (5000 + 100 + 60) * (1 + .07/365)^31 - 5000 - 60 = 130.77.
    Total as of 2023-08-01: 5000.00 + 85.00 + 130.77 = 5215.77.
    """
    entries = (("150", "2023-04-18", "5000.00"), ("196", "2023-07-01", "100.00"), ("276", "2023-07-01", "60.00"))
    facts = module("2023-04-18", "2023-04-18", *entries)
    check(
        payoff(FEDERAL, facts, day("2023-07-01")),
        tax="5000.00",
        penalties="60.00",
        interest="100.00",
        shown=("5000.00", "60.00", "100.00", "5160.00"),
    )
    interest = 5160 * grow((7, 365, 31)) - 5060
    check(
        payoff(FEDERAL, facts, day("2023-08-01")),
        tax="5000.00",
        penalties="85.00",
        interest=interest,
        shown=("5000.00", "85.00", "130.77", "5215.77"),
    )


def test_assessing_what_was_already_paid_does_not_charge_it_again():
    """Due and filed 2023-04-18, TC 150 1000.00; TC 670 -1020.00 on 07-01; TC 276 15.00 and TC 196 14.31 on 07-10.

    On 2023-07-01 the module owed tax 1000.00, failure to pay 3 * 5.00 = 15.00 (IRC
    6651(a)(2)) and interest 1000 * ((1 + .07/365)^74 - 1) = 14.2916 (IRC 6601, 6622). The
    payment goes to tax, then penalty, then interest (IRS topic 653): 5.00 of it pays
    interest, leaving 9.2916 unpaid, which compounds 9 days to 9.2916 * (1 + .07/365)^9 =
    9.3076 on 2023-07-10.
    The later assessments are the amounts computed to their date: TC 276 15.00 (already paid
    in full) and TC 196 14.31 (14.2916 to 07-01 plus 9 days on the 9.2916 left, 14.3076, to
    the cent). They replace the accruals, not the payment: the module owes interest
    14.31 - 5.00 = 9.31 and no penalty, total 9.31 as of 2023-07-10, as it did (9.3076) just
    before the assessments. Counting the payment towards the accruals and then dropping them
    would show 15.00 + 14.31 = 29.31.
    """
    entries = (
        ("150", "2023-04-18", "1000.00"),
        ("670", "2023-07-01", "-1020.00"),
        ("276", "2023-07-10", "15.00"),
        ("196", "2023-07-10", "14.31"),
    )
    unpaid_interest = (1000 * (grow((7, 365, 74)) - 1) - 5) * grow((7, 365, 9))
    before = payoff(FEDERAL, module("2023-04-18", "2023-04-18", *entries[:2]), day("2023-07-10"))
    check(before, tax=0, penalties=0, interest=unpaid_interest, shown=("0.00", "0.00", "9.31", "9.31"))
    result = payoff(FEDERAL, module("2023-04-18", "2023-04-18", *entries), day("2023-07-10"))
    check(result, tax=0, penalties=0, interest="9.31", shown=("0.00", "0.00", "9.31", "9.31"))


def test_designated_payment_goes_to_interest_first():
    """Due and filed 2023-04-18, TC 150 1000.00; a 20.00 payment on 2023-07-01, as of 2023-07-01.

    Before the payment: tax 1000.00, failure to pay 3 * 5.00 = 15.00 (IRC 6651(a)(2)),
    interest 1000 * ((1 + .07/365)^74 - 1) = 14.286... (IRC 6601, 6622).
    Undesignated (TC 670), the payment goes to tax first (IRS topic 653; Rev. Proc. 2002-26):
    tax 980.00, penalties 15.00, interest 14.29; total 1009.29.
    Designated to interest (TC 680): interest 0.00 and the 5.71... left goes to tax: tax
    1000 - (20 - 14.286...) = 994.29, penalties 15.00; total 1009.29 again, split differently.
    """
    accrued = 1000 * (grow((7, 365, 74)) - 1)
    base = (("150", "2023-04-18", "1000.00"),)
    plain = module("2023-04-18", "2023-04-18", *base, ("670", "2023-07-01", "-20.00"))
    designated = module("2023-04-18", "2023-04-18", *base, ("680", "2023-07-01", "-20.00"))
    check(
        payoff(FEDERAL, plain, day("2023-07-01")),
        tax="980.00",
        penalties="15.00",
        interest=accrued,
        shown=("980.00", "15.00", "14.29", "1009.29"),
    )
    check(
        payoff(FEDERAL, designated, day("2023-07-01")),
        tax=1000 - (20 - accrued),
        penalties="15.00",
        interest=0,
        shown=("994.29", "15.00", "0.00", "1009.29"),
    )


def test_designated_payment_of_penalty_goes_to_penalty_first():
    """As above with TC 690 -20.00 (designated to penalty) on 2023-07-01.

    The payment pays the 15.00 failure to pay first, then 5.00 of tax: tax 995.00, penalties
    0.00, interest 14.29 (1000 * ((1 + .07/365)^74 - 1)); total 1009.29.
    """
    accrued = 1000 * (grow((7, 365, 74)) - 1)
    facts = module("2023-04-18", "2023-04-18", ("150", "2023-04-18", "1000.00"), ("690", "2023-07-01", "-20.00"))
    check(
        payoff(FEDERAL, facts, day("2023-07-01")),
        tax="995.00",
        penalties=0,
        interest=accrued,
        shown=("995.00", "0.00", "14.29", "1009.29"),
    )


def test_a_user_fee_bears_no_interest():
    """Due and filed 2023-04-18, TC 150 1000.00 paid that day (TC 670 -1000.00); the installment
    agreement fee TC 360 69.00 on 2023-06-01, never paid.

    A user fee (IRC 6159(f), 26 CFR 300.1) is not tax, a penalty or an addition to tax, so no
    interest accrues on it (IRC 6601), and no failure-to-pay penalty either (that runs on tax):
    the day it is posted and two years later the module owes the fee, 69.00, and nothing else.
    A penalty of the same amount (TC 240) would bear interest from its notice.
    """
    entries = (
        ("150", "2023-04-18", "1000.00"),
        ("670", "2023-04-18", "-1000.00"),
        ("360", "2023-06-01", "69.00"),
    )
    facts = module("2023-04-18", "2023-04-18", *entries)
    for as_of in ("2023-06-01", "2025-06-02"):
        check(
            payoff(FEDERAL, facts, day(as_of)),
            tax=0,
            penalties="69.00",
            interest=0,
            shown=("0.00", "69.00", "0.00", "69.00"),
        )
    penalty = module("2023-04-18", "2023-04-18", *entries[:2], ("240", "2023-06-01", "69.00"))
    assert payoff(FEDERAL, penalty, day("2025-06-02")).interest > 0


def test_abating_a_user_fee_removes_it_or_leaves_a_credit_once_paid():
    """Due and filed 2023-04-18, TC 150 1000.00 paid that day; TC 360 43.00 on 2023-06-01; TC 361
    -43.00 (the fee reimbursed) on 2024-01-02; as of 2024-02-01.

    Unpaid, the abatement removes the fee: all parts 0.00. Paid (TC 670 -43.00 on 2023-06-10),
    the abatement has nothing left to remove, so it is a credit on the module like an
    overpayment: tax -43.00, total -43.00, no interest.
    """
    entries = (
        ("150", "2023-04-18", "1000.00"),
        ("670", "2023-04-18", "-1000.00"),
        ("360", "2023-06-01", "43.00"),
        ("361", "2024-01-02", "-43.00"),
    )
    unpaid = module("2023-04-18", "2023-04-18", *entries)
    check(
        payoff(FEDERAL, unpaid, day("2024-02-01")),
        tax=0,
        penalties=0,
        interest=0,
        shown=("0.00", "0.00", "0.00", "0.00"),
    )
    paid = module("2023-04-18", "2023-04-18", *entries, ("670", "2023-06-10", "-43.00"))
    check(
        payoff(FEDERAL, paid, day("2024-02-01")),
        tax="-43.00",
        penalties=0,
        interest=0,
        shown=("-43.00", "0.00", "0.00", "-43.00"),
    )


def test_refund_of_an_overpayment_uses_up_the_credit():
    """Due and filed 2023-04-18, TC 150 3000.00, TC 806 -4000.00 withheld; refund TC 846 on 2023-05-20.

    Withholding above the tax is an overpayment: as of 2023-05-01 the module shows a credit,
    tax -1000.00, total -1000.00, and no interest or penalty.
    TC 846 1000.00 refunds it: as of 2023-06-01 all parts are 0.00.
    Refunding 1200.00 instead pays out 200.00 that was not in credit (an erroneous refund),
    owed back with interest from the refund (IRC 6602), not subject to failure to pay:
    as of 2023-06-01, tax 200.00, interest 200 * ((1 + .07/365)^12 - 1) = 0.46.
    """
    base = (("150", "2023-04-18", "3000.00"), ("806", "2023-04-18", "-4000.00"))
    before = module("2023-04-18", "2023-04-18", *base)
    check(
        payoff(FEDERAL, before, day("2023-05-01")),
        tax="-1000.00",
        penalties=0,
        interest=0,
        shown=("-1000.00", "0.00", "0.00", "-1000.00"),
    )
    refunded = module("2023-04-18", "2023-04-18", *base, ("846", "2023-05-20", "1000.00"))
    check(
        payoff(FEDERAL, refunded, day("2023-06-01")),
        tax=0,
        penalties=0,
        interest=0,
        shown=("0.00", "0.00", "0.00", "0.00"),
    )
    too_much = module("2023-04-18", "2023-04-18", *base, ("846", "2023-05-20", "1200.00"))
    check(
        payoff(FEDERAL, too_much, day("2023-06-01")),
        tax="200.00",
        penalties=0,
        interest=200 * (grow((7, 365, 12)) - 1),
        shown=("200.00", "0.00", "0.46", "200.46"),
    )


def test_federal_overpayment_interest_only_after_forty_five_days():
    """An overpayment of 1000.00 from 2023-04-18.

    IRC 6611(e)(1): no interest if refunded within 45 days; otherwise interest at the
    overpayment rate (FST + 3 for individuals, 6621(a)(1)) compounded daily (6622) for the
    whole period. Refunded 2023-06-02 (45 days): 0. Refunded 2023-06-03 (46 days):
    1000 * ((1 + .07/365)^46 - 1) = 8.86.
    """
    assert simple_overpayment_interest(FEDERAL, Decimal(1000), day("2023-04-18"), day("2023-06-02")) == 0
    interest = simple_overpayment_interest(FEDERAL, Decimal(1000), day("2023-04-18"), day("2023-06-03"))
    expected = 1000 * (grow((7, 365, 46)) - 1)
    assert abs(interest - expected) < TINY
    assert to_cents(expected) == Decimal("8.86")


def test_state_interest_is_fst_plus_four_and_penalties_one_percent_each():
    """State: due 2023-04-18, filed 2023-06-01 with TC 150 2000.00, unpaid, as of 2023-07-01.

    G.L. c. 62C §33(a): late filing 1% of the tax a month or fraction, to 25%; the return is
    44 days late (months beginning 04-19 and 05-19): 2 * 20.00 = 40.00.
    §33(b): late payment 1% a month or fraction: months beginning 04-19, 05-19, 06-19:
    3 * 20.00 = 60.00. No reduction of one by the other. Penalties 100.00.
    §32: interest at FST + 4 = 8%, compounded daily, on the tax from the due date and on each
    penalty from the day it accrues (AP 612: interest is charged on penalties):
    2000 * (1 + .08/365)^74 + 40 * (1 + .08/365)^73 + 40 * (1 + .08/365)^43
    + 20 * (1 + .08/365)^12 - 2100 = 33.78.
    Total 2000.00 + 100.00 + 33.78 = 2133.78.
    """
    facts = module("2023-04-18", "2023-06-01", ("150", "2023-06-01", "2000.00"))
    interest = (
        2000 * grow((8, 365, 74)) + 40 * grow((8, 365, 73)) + 40 * grow((8, 365, 43)) + 20 * grow((8, 365, 12)) - 2100
    )
    check(
        payoff(STATE, facts, day("2023-07-01")),
        tax="2000.00",
        penalties="100.00",
        interest=interest,
        shown=("2000.00", "100.00", "33.78", "2133.78"),
    )


def test_state_late_payment_penalty_caps_at_twenty_five_percent():
    """State: due and filed 2021-04-15, TC 150 1000.00, never paid.

    G.L. c. 62C §33(b): 1% a month to 25%: month 25 begins 2023-04-16 (2021-04-15 + 24
    months, plus a day). As of 2023-04-15: 24 * 10.00 = 240.00; as of 2023-04-16 and later:
    250.00. Filed on time, so no late-filing penalty.
    """
    facts = module("2021-04-15", "2021-04-15", ("150", "2021-04-15", "1000.00"))
    assert payoff(STATE, facts, day("2023-04-15")).penalties == Decimal("240.00")
    assert payoff(STATE, facts, day("2023-04-16")).penalties == Decimal("250.00")
    assert payoff(STATE, facts, day("2024-12-31")).penalties == Decimal("250.00")


@pytest.mark.parametrize(
    ("payment", "penalty"),
    [
        ("10.00", "10.00"),  # under $1,250: lesser of $25 and the payment
        ("24.99", "24.99"),
        ("25.00", "25.00"),
        ("1249.99", "25.00"),  # still under the threshold: the flat $25
        ("1250.00", "25.00"),  # at the threshold: 2% * 1250 = 25.00
        ("1300.00", "26.00"),  # 2% * 1300
        ("5000.00", "100.00"),
        ("-5000.00", "100.00"),  # given as the credit it was
    ],
)
def test_federal_dishonored_payment_penalty(payment, penalty):
    """IRC 6657 (as amended 2010): a payment under $1,250 costs the lesser of $25 and the payment; otherwise 2%."""
    assert dishonored_payment_penalty(FEDERAL, Decimal(payment), day("2023-06-01")) == Decimal(penalty)


@pytest.mark.parametrize(
    ("payment", "penalty"),
    [
        ("20.00", "20.00"),  # under $1,500: lesser of $30 and the payment
        ("30.00", "30.00"),
        ("1000.00", "30.00"),  # 2% would be only 20.00: the flat amount applies under the threshold
        ("1499.99", "30.00"),
        ("1500.00", "30.00"),  # at the threshold: 2% * 1500 = 30.00
        ("1600.00", "32.00"),  # 2% * 1600
        ("1234.56", "30.00"),
        ("10000.00", "200.00"),
    ],
)
def test_state_dishonored_payment_penalty(payment, penalty):
    """G.L. c. 62C §35: a payment under $1,500 costs the lesser of $30 and the payment; otherwise 2%."""
    assert dishonored_payment_penalty(STATE, Decimal(payment), day("2023-06-01")) == Decimal(penalty)


def test_federal_dishonored_payment_under_the_threshold_is_flat_not_percent():
    """IRC 6657: 1000.00 is under $1,250, so the penalty is $25 (2% would be 20.00).

    And 2% of 2345.67 = 46.9134, shown to the cent: 46.91.
    """
    assert dishonored_payment_penalty(FEDERAL, Decimal("1000.00"), day("2023-06-01")) == Decimal("25.00")
    assert dishonored_payment_penalty(FEDERAL, Decimal("2345.67"), day("2023-06-01")) == Decimal("46.91")


def test_dishonored_payment_penalty_on_an_account_with_its_interest():
    """Due and filed 2023-04-18, TC 150 1000.00; TC 670 -1000.00 on 2023-05-01 comes back unpaid:
    TC 671 1000.00 and the dishonored-payment penalty (TC 286) on 2023-05-10; as of 2023-06-01.

    The reversed payment counts as never made, so failure to pay runs on 1000.00 for the months
    beginning 04-19 and 05-19.
    Federal: IRC 6657, 1000.00 < 1,250, so min(25, 1000) = 25.00. Failure to pay 2 * 5.00.
    Penalties 35.00. Interest on the tax, 44 days at 7%, and on the assessed TC 286 from its
    notice (2023-05-10), because it was not paid within 21 days (IRC 6601(e)(2)(A)), 22 days:
    1000 * ((1 + .07/365)^44 - 1) + 25 * ((1 + .07/365)^22 - 1) = 8.47 + 0.11 = 8.58.
    State: G.L. c. 62C §35, 1000.00 < 1,500, so min(30, 1000) = 30.00. Late payment 2 * 10.00.
    Penalties 50.00. Interest at 8% (FST 4 + 4) on the tax and on each penalty from the day it
    accrues or is assessed (state.toml, AP 612): 1000 * (1 + .08/365)^44 + 10 * (1 + .08/365)^43
    + 10 * (1 + .08/365)^13 + 30 * (1 + .08/365)^22 - 1050 = 9.96.
    """
    as_of = day("2023-06-01")
    for rules, penalty, ftp, interest, shown in (
        (
            FEDERAL,
            "25.00",
            "10.00",
            1000 * (grow((7, 365, 44)) - 1) + 25 * (grow((7, 365, 22)) - 1),
            ("1000.00", "35.00", "8.58", "1043.58"),
        ),
        (
            STATE,
            "30.00",
            "20.00",
            1000 * grow((8, 365, 44))
            + 10 * grow((8, 365, 43))
            + 10 * grow((8, 365, 13))
            + 30 * grow((8, 365, 22))
            - 1050,
            ("1000.00", "50.00", "9.96", "1059.96"),
        ),
    ):
        assert dishonored_payment_penalty(rules, Decimal("-1000.00"), day("2023-05-10")) == Decimal(penalty)
        entries = (
            ("150", "2023-04-18", "1000.00"),
            ("670", "2023-05-01", "-1000.00"),
            ("671", "2023-05-10", "1000.00"),
            ("286", "2023-05-10", penalty),
        )
        result = payoff(rules, module("2023-04-18", "2023-04-18", *entries), as_of)
        check(result, tax="1000.00", penalties=Decimal(penalty) + Decimal(ftp), interest=interest, shown=shown)


def test_state_overpayment_interest_is_simple_at_fst_plus_two():
    """State overpayment of 1000.00; G.L. c. 62C §40: FST + 2 points, simple interest.

    2023-04-18 to 2023-12-01: 166 days at 6% (FST 4 + 2) and 61 days at 7% (FST 5 + 2 from
    2023-10-01): 1000 * 0.06 * 166/365 + 1000 * 0.07 * 61/365 = 27.29 + 11.70 = 38.99
    (simple: no interest on interest; compounded daily it would be 39.75).
    """
    interest = simple_overpayment_interest(STATE, Decimal(1000), day("2023-04-18"), day("2023-12-01"))
    expected = Decimal(1000) * Decimal("0.06") * 166 / 365 + Decimal(1000) * Decimal("0.07") * 61 / 365
    assert abs(interest - expected) < TINY
    assert to_cents(interest) == Decimal("38.99")


def test_state_overpayment_interest_counts_leap_year_days_by_366():
    """State overpayment of 1000.00 from 2023-11-01 to 2024-03-01, all at 7% (FST 5 + 2).

    Each day earns the annual rate over the days in its own year, as the compounded rates do
    (IRC 6622 practice; the engine's own rule for growth): 61 days of 2023 at 0.07/365 and 60
    days of 2024 at 0.07/366: 1000 * 0.07 * (61/365 + 60/366) = 11.70 + 11.48 = 23.17.
    (Counting the 2024 days at /365 would give 23.21.)
    """
    interest = simple_overpayment_interest(STATE, Decimal(1000), day("2023-11-01"), day("2024-03-01"))
    expected = Decimal(1000) * Decimal("0.07") * 61 / 365 + Decimal(1000) * Decimal("0.07") * 60 / 366
    assert abs(interest - expected) < TINY
    assert to_cents(interest) == Decimal("23.17")


def test_return_filed_after_its_extension_is_late_from_the_extended_due_date():
    """Due 2023-04-18, TC 460 on 2023-04-10, filed 2023-11-01 with TC 150 1000.00, unpaid, as of 2023-11-01.

    IRC 6651(a)(1): the failure is to file "on the date prescribed therefor (determined with
    regard to any extension of time for filing)", 5% "if the failure is for not more than 1
    month" and 5% more for each further month or fraction. IRM 20.1.2.3.7.1: the penalty
    begins the day after the later of the due date and the extended due date, and months run
    from that date (Treas. Reg. 301.6651-1(b)(2)). With the extension to October (the engine's
    extended due date is 2023-10-18), filing on 2023-11-01 is under one month late: 5% * 1000
    less that month's failure to pay 5.00 = 45.00 (within 60 days of the extended date, so no
    minimum). Failure to pay runs from the original due date: months beginning 04-19 ...
    10-19, 7 * 5.00 = 35.00. Penalties 80.00.
    """
    facts = module("2023-04-18", "2023-11-01", ("460", "2023-04-10", "0"), ("150", "2023-11-01", "1000.00"))
    assert payoff(FEDERAL, facts, day("2023-11-01")).penalties == Decimal("80.00")
