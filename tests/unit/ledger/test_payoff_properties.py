"""Properties every payoff must have, checked on generated tax periods of both agencies.

The generated periods are realistic: due dates from 2020 to 2025, tax up to $300,000 in
whole cents, returns filed on time or up to a year and a half late, sometimes with an
extension, withholding, an installment agreement or a levy notice, and payments after the
due date. Hypothesis runs a fixed, derandomized set of examples so the suite is repeatable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taxgov.ledger.engine import Module, Payoff, Posting, payoff
from taxgov.ledger.rules import AGENCIES, Agency, RuleBook, rulebook

PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CENT = Decimal("0.01")
PAYMENT_CODES = {"670": "671", "610": "611", "640": "641", "660": "661", "680": "681", "690": "691"}
ASSESSMENT_CODES = ("196", "276", "166", "286", "176", "290", "300")
ADJUSTMENT_CODES = ("846", "291", "277", "197")  # a refund, and abatements of tax, penalty and interest


@dataclass(frozen=True)
class Case:
    agency: Agency
    module: Module

    @property
    def rules(self) -> RuleBook:
        return rulebook(self.agency)

    def payoff(self, as_of: dt.date) -> Payoff:
        return payoff(self.rules, self.module, as_of)

    def with_postings(self, *postings: Posting) -> Case:
        return Case(self.agency, replace(self.module, postings=self.module.postings + postings))


def money(low: int = 1, high: int = 300_000_00) -> st.SearchStrategy[Decimal]:
    """Whole cents between ``low`` and ``high`` cents."""
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2))


def days_after(start: dt.date, low: int, high: int) -> st.SearchStrategy[dt.date]:
    return st.integers(low, high).map(lambda n: start + dt.timedelta(days=n))


@st.composite
def cases(draw: st.DrawFn, *, payments: bool = True, assessments: bool = True) -> Case:
    """A tax period: its return, credits at the due date, and (optionally) later payments and assessments."""
    agency = draw(st.sampled_from(AGENCIES))
    due = draw(st.dates(dt.date(2020, 1, 1), dt.date(2025, 12, 31)))
    filed = due + dt.timedelta(days=draw(st.one_of(st.just(0), st.integers(-30, 0), st.integers(1, 540))))
    tax = draw(money(0, 300_000_00))
    postings = [Posting("150", filed, tax, key="return")]
    if draw(st.booleans()):
        postings.append(Posting("806", due, -draw(money(1, 300_000_00)), key="withheld"))
    if draw(st.booleans()):
        postings.append(Posting("460", due - dt.timedelta(days=draw(st.integers(1, 60))), Decimal(0)))
    if payments:
        # A few round amounts make equal payments, and so ambiguous reversals, likely.
        amounts = st.one_of(st.sampled_from([Decimal("100.00"), Decimal("2500.00")]), money(1, 150_000_00))
        codes = st.one_of(st.just("670"), st.sampled_from(sorted(PAYMENT_CODES)))
        for number in range(draw(st.integers(0, 4))):
            code = draw(codes)
            paid_on, amount = draw(days_after(due, 1, 1500)), draw(amounts)
            postings.append(Posting(code, paid_on, -amount, key=number))
            if draw(st.integers(0, 3)) == 0:  # dishonoured: reversed later, found by code and amount
                reversed_on = paid_on + dt.timedelta(days=draw(st.integers(0, 90)))
                postings.append(Posting(PAYMENT_CODES[code], reversed_on, amount))
    if assessments:
        for _ in range(draw(st.integers(0, 2))):
            code = draw(st.sampled_from(ASSESSMENT_CODES))
            postings.append(Posting(code, draw(days_after(max(due, filed), 30, 1200)), draw(money(1, 20_000_00))))
        for _ in range(draw(st.integers(0, 1))):
            code = draw(st.sampled_from(ADJUSTMENT_CODES))
            amount = draw(money(1, 20_000_00))
            postings.append(
                Posting(code, draw(days_after(max(due, filed), 30, 1200)), amount if code == "846" else -amount)
            )
        if draw(st.booleans()):  # an installment agreement recorded on the account, perhaps ended
            start = draw(days_after(due, 1, 700))
            postings.append(Posting("971", start, Decimal(0), action_code="063"))
            if draw(st.booleans()):
                postings.append(Posting("971", draw(days_after(start, 1, 700)), Decimal(0), action_code="064"))
    installment = draw(st.none() | days_after(due, 0, 700))
    levy = draw(st.none() | days_after(due, 30, 900))
    module = Module(
        due_date=due,
        filed_date=filed,
        postings=tuple(postings),
        installment_agreement_from=installment,
        levy_notice_date=levy,
        individual=draw(st.booleans()),
    )
    return Case(agency, module)


@PROPERTY_SETTINGS
@given(case=cases(payments=False, assessments=False), start=st.integers(0, 2500), later=st.integers(1, 1200))
def test_without_payments_the_payoff_never_falls_as_time_passes(case: Case, start: int, later: int):
    first = case.module.due_date + dt.timedelta(days=start)
    second = first + dt.timedelta(days=later)
    assert case.payoff(second).total >= case.payoff(first).total


@PROPERTY_SETTINGS
@given(
    case=cases(),
    code=st.sampled_from(sorted(PAYMENT_CODES)),
    amount=money(1, 200_000_00),
    paid_after=st.integers(1, 1500),
    later=st.integers(0, 1500),
)
def test_a_payment_never_raises_the_payoff_on_a_later_day(
    case: Case, code: str, amount: Decimal, paid_after: int, later: int
):
    paid_on = case.module.due_date + dt.timedelta(days=paid_after)
    as_of = paid_on + dt.timedelta(days=later)
    with_payment = case.with_postings(Posting(code, paid_on, -amount, key="extra"))
    assert with_payment.payoff(as_of).total <= case.payoff(as_of).total


@PROPERTY_SETTINGS
@given(
    case=cases(),
    code=st.sampled_from(sorted(PAYMENT_CODES)),
    amount=money(1, 200_000_00),
    paid_after=st.integers(1, 1500),
    reversed_after=st.integers(0, 120),
    later=st.integers(0, 900),
)
def test_a_reversed_payment_restores_the_payoff_exactly(
    case: Case, code: str, amount: Decimal, paid_after: int, reversed_after: int, later: int
):
    paid_on = case.module.due_date + dt.timedelta(days=paid_after)
    reversed_on = paid_on + dt.timedelta(days=reversed_after)
    payment = Posting(code, paid_on, -amount, key="extra")
    reversal = Posting(PAYMENT_CODES[code], reversed_on, amount, reverses="extra")
    with_both = case.with_postings(payment, reversal)
    for as_of in (reversed_on, reversed_on + dt.timedelta(days=later)):
        assert with_both.payoff(as_of) == case.payoff(as_of)


@PROPERTY_SETTINGS
@given(
    case=cases(payments=False),
    amount=money(1, 200_000_00),
    paid_after=st.integers(1, 1500),
    reversed_after=st.integers(0, 120),
)
def test_a_reversal_without_a_link_cancels_the_matching_payment(
    case: Case, amount: Decimal, paid_after: int, reversed_after: int
):
    """TC 671 with no ``reverses`` link finds the TC 670 of the same amount on or before its date."""
    paid_on = case.module.due_date + dt.timedelta(days=paid_after)
    reversed_on = paid_on + dt.timedelta(days=reversed_after)
    with_both = case.with_postings(Posting("670", paid_on, -amount), Posting("671", reversed_on, amount))
    assert with_both.payoff(reversed_on) == case.payoff(reversed_on)


@PROPERTY_SETTINGS
@given(case=cases(), after=st.integers(0, 3000))
def test_cents_appear_only_in_the_display(case: Case, after: int):
    result = case.payoff(case.module.due_date + dt.timedelta(days=after))
    shown = result.display()
    for part in ("tax", "penalties", "interest", "total", "accrued_penalties", "accrued_interest"):
        assert shown[part].as_tuple().exponent == -2, part
    for part in ("tax", "penalties", "interest", "accrued_penalties", "accrued_interest"):
        assert abs(shown[part] - getattr(result, part)) <= CENT / 2, part
    assert shown["total"] == shown["tax"] + shown["penalties"] + shown["interest"]
    assert abs(shown["total"] - result.total) <= Decimal("0.015")


def test_internal_amounts_keep_more_than_cents():
    """Due and filed 2023-04-18, TC 150 7500.00, as of 2023-05-18: interest 7500 * ((1 + .07/365)^30 - 1).

    Inside, the interest keeps its fractions of a cent (43.2708943...); only ``display()`` rounds.
    """
    facts = Module(dt.date(2023, 4, 18), dt.date(2023, 4, 18), (Posting("150", dt.date(2023, 4, 18), Decimal(7500)),))
    result = payoff(rulebook("federal"), facts, dt.date(2023, 5, 18))
    assert result.interest != result.interest.quantize(CENT)
    assert abs(result.interest - Decimal("43.2708943646970667")) < Decimal("1e-15")
    assert result.display()["interest"] == Decimal("43.27")


@PROPERTY_SETTINGS
@given(case=cases(), order=st.randoms(use_true_random=False), after=st.integers(0, 3000))
def test_the_order_of_the_postings_does_not_matter(case: Case, order, after: int):
    postings = list(case.module.postings)
    order.shuffle(postings)
    shuffled = Case(case.agency, replace(case.module, postings=tuple(postings)))
    as_of = case.module.due_date + dt.timedelta(days=after)
    assert shuffled.payoff(as_of) == case.payoff(as_of)


# Examples of the same properties where the order of the list used to decide the result.

DUE = dt.date(2023, 4, 18)


def federal_payoff(*postings: Posting, as_of: dt.date = dt.date(2023, 12, 1)) -> Payoff:
    return payoff(rulebook("federal"), Module(DUE, DUE, postings), as_of)


def test_an_unlinked_reversal_cancels_the_latest_matching_payment_whatever_the_list_order():
    tax = Posting("150", DUE, Decimal("5000.00"))
    june = Posting("670", dt.date(2023, 6, 1), Decimal("-100.00"))
    july = Posting("670", dt.date(2023, 7, 1), Decimal("-100.00"))
    reversal = Posting("671", dt.date(2023, 7, 15), Decimal("100.00"))
    expected = federal_payoff(tax, june)
    assert federal_payoff(tax, june, july, reversal) == expected
    assert federal_payoff(tax, july, june, reversal) == expected
    assert federal_payoff(reversal, july, tax, june) == expected


def test_an_unlinked_reversal_leaves_the_payment_a_linked_one_names():
    tax = Posting("150", DUE, Decimal("5000.00"))
    june = Posting("670", dt.date(2023, 6, 1), Decimal("-100.00"), key="june")
    july = Posting("670", dt.date(2023, 7, 1), Decimal("-100.00"), key="july")
    unlinked = Posting("671", dt.date(2023, 8, 1), Decimal("100.00"))
    linked = Posting("671", dt.date(2023, 8, 1), Decimal("100.00"), reverses="july")
    assert federal_payoff(tax, june, july, unlinked, linked) == federal_payoff(tax)


def test_a_payment_goes_to_the_earliest_assessed_tax_whatever_the_list_order():
    """TC 150 1000.00 and TC 290 500.00 (assessed 2023-06-01) are both owed from the due date.

    A payment of 500.00 on 2023-05-01 pays the return's tax first, so failure to pay (IRC
    6651(a)(2)) runs on 500.00 of it, whichever of the two entries the list gives first.
    """
    original = Posting("150", DUE, Decimal("1000.00"))
    additional = Posting("290", dt.date(2023, 6, 1), Decimal("500.00"))
    payment = Posting("670", dt.date(2023, 5, 1), Decimal("-500.00"))
    first = federal_payoff(original, additional, payment)
    assert federal_payoff(additional, original, payment) == first
    assert federal_payoff(payment, additional, original) == first


@PROPERTY_SETTINGS
@given(case=cases(payments=False, assessments=False), after=st.integers(1, 2500), later=st.integers(0, 900))
def test_assessing_the_interest_that_accrued_changes_nothing(case: Case, after: int, later: int):
    """A TC 196 of the interest accrued to its day (to the cent) replaces it: only the rounding shows."""
    on = max(case.module.due_date, case.module.filed_date or case.module.due_date) + dt.timedelta(days=after)
    before = case.payoff(on)
    accrued = before.accrued_interest.quantize(CENT)
    assessed = case.with_postings(Posting("196", on, accrued)) if accrued > 0 else case
    assert abs(assessed.payoff(on).total - before.total) <= CENT / 2
    later_day = on + dt.timedelta(days=later)
    assert abs(assessed.payoff(later_day).total - case.payoff(later_day).total) <= CENT


@PROPERTY_SETTINGS
@given(case=cases(payments=False, assessments=False), after=st.integers(1, 2500))
def test_assessing_the_failure_to_pay_that_accrued_changes_nothing_that_day(case: Case, after: int):
    """For a return filed on time the accrued penalty is all failure to pay; a TC 276 of it replaces it."""
    timely = Case(case.agency, replace(case.module, filed_date=case.module.due_date))
    on = case.module.due_date + dt.timedelta(days=after)
    before = timely.payoff(on)
    accrued = before.accrued_penalties.quantize(CENT)
    assessed = timely.with_postings(Posting("276", on, accrued)) if accrued > 0 else timely
    assert abs(assessed.payoff(on).total - before.total) <= CENT / 2
