"""What a payment plan is judged on and costs: the rules in force, whether a taxpayer may have
a plan and on what terms, the projected cost with interest and penalties, and the plans a
taxpayer sees.

Every amount owed comes from the ledger's payoff engine. The projection runs the same engine
with the future installments added as payments (and, for a plan not yet approved, its TC 971
action code 063), so interest compounding daily at the quarterly rates and the failure-to-pay
penalty at its installment-agreement rate are the ones the account will really accrue.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from taxgov.federal.balances import queries as balances
from taxgov.federal.offers.calculator import poverty_guideline, whole_dollars_up
from taxgov.federal.plans.models import Installment, PaymentPlan, PlanKind, PlanStatus
from taxgov.ledger import codes, engine
from taxgov.ledger import queries as ledger
from taxgov.ledger.agencies import current_agency, current_rules, due_date
from taxgov.ledger.engine import ZERO, Payoff, Posting, add_months, cents
from taxgov.ledger.models import (
    AccountType,
    FilingStatus,
    InformationReturn,
    Taxpayer,
    TaxpayerKind,
    TaxPeriod,
    Transaction,
)
from taxgov.ledger.rules import RuleBook

RULES = "payment_plans"
# Filing statuses that mean at least two people in the household (a spouse, or the qualifying
# person of a head of household or surviving spouse); the return does not say more.
TWO_OR_MORE = (FilingStatus.MARRIED_JOINT, FilingStatus.HEAD_OF_HOUSEHOLD, FilingStatus.SURVIVING_SPOUSE)


@dataclass(frozen=True)
class Terms:
    short_term_days: int
    short_term_owed_below: Decimal
    long_term_assessed_at_most: Decimal
    long_term_max_months: int
    collection_years: int
    first_after_months: int
    due_day_first: int
    due_day_last: int
    default_days_after_notice: int


def terms(day: dt.date) -> Terms:
    rules = current_rules()

    def number(name: str) -> Decimal:
        return rules.number(f"{RULES}.{name}", day)

    return Terms(
        short_term_days=int(number("short_term_days")),
        short_term_owed_below=number("short_term_owed_below"),
        long_term_assessed_at_most=number("long_term_assessed_at_most"),
        long_term_max_months=int(number("long_term_max_months")),
        collection_years=int(number("collection_years")),
        first_after_months=int(number("first_installment_after_months")),
        due_day_first=int(number("due_day_first")),
        due_day_last=int(number("due_day_last")),
        default_days_after_notice=int(number("default_days_after_notice")),
    )


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    reimbursable: Decimal = ZERO  # paid back when the plan is completed


def setup_fee(kind: str, direct_debit: bool, low_income: bool, day: dt.date) -> Fee:
    """The online setup fee: none for a short-term plan; for a long-term plan by payment method,
    waived with direct debit for low income, else reduced and reimbursable."""
    if kind == PlanKind.SHORT_TERM:
        return Fee(ZERO)
    rules = current_rules()
    name = "online_direct_debit" if direct_debit else "online_other"
    if not low_income:
        return Fee(rules.number(f"{RULES}.setup_fee.{name}", day))
    amount = rules.number(f"{RULES}.setup_fee.{name}_low_income", day)
    return Fee(amount, _reimbursable(amount, day))


def revision_fee(low_income: bool, day: dt.date) -> Fee:
    rules = current_rules()
    if not low_income:
        return Fee(rules.number(f"{RULES}.revision_fee.online", day))
    amount = rules.number(f"{RULES}.revision_fee.online_low_income", day)
    return Fee(amount, _reimbursable(amount, day))


def _reimbursable(amount: Decimal, day: dt.date) -> Decimal:
    return cents(amount * current_rules().number(f"{RULES}.setup_fee.low_income_reimbursed_share", day))


@dataclass(frozen=True)
class FeeSchedule:
    """The long-term setup fees, online and otherwise, to show beside the choice."""

    online_direct_debit: Fee
    online_other: Fee
    by_phone_direct_debit: Decimal
    by_phone_other: Decimal


def fee_schedule(low_income: bool, day: dt.date) -> FeeSchedule:
    rules = current_rules()
    return FeeSchedule(
        online_direct_debit=setup_fee(PlanKind.LONG_TERM, True, low_income, day),
        online_other=setup_fee(PlanKind.LONG_TERM, False, low_income, day),
        by_phone_direct_debit=rules.number(f"{RULES}.setup_fee.by_phone_direct_debit", day),
        by_phone_other=rules.number(f"{RULES}.setup_fee.by_phone_other", day),
    )


@dataclass(frozen=True)
class PenaltyRates:
    """The failure-to-pay penalty a month, in percent: usually, and while a plan is in effect."""

    usual: Decimal
    during_plan: Decimal


def penalty_rates(day: dt.date) -> PenaltyRates:
    rules = current_rules()
    return PenaltyRates(
        usual=(rules.number("failure_to_pay.rate_per_month", day) * 100).normalize(),
        during_plan=(rules.number("failure_to_pay.installment_agreement_rate", day) * 100).normalize(),
    )


@dataclass(frozen=True)
class LowIncome:
    """Whether the latest return's adjusted gross income is within the low-income limit."""

    year: str
    agi: Decimal
    household: int
    limit: Decimal
    percent: Decimal  # of the poverty guideline

    @property
    def qualifies(self) -> bool:
        return self.agi <= self.limit


def low_income(taxpayer: Taxpayer, periods: Sequence[TaxPeriod], day: dt.date) -> LowIncome | None:
    """From the latest original return that shows an adjusted gross income (None without one).
    The household is two for a joint return, a head of household or a surviving spouse, else one."""
    filed = [r for period in periods for r in getattr(period, "original_returns", [])]
    filed = [r for r in filed if r.adjusted_gross_income is not None]
    latest = max(filed, key=lambda r: (r.period.end, r.filed_on), default=None)
    if latest is None or latest.adjusted_gross_income is None:
        return None
    household = 2 if latest.filing_status in TWO_OR_MORE else 1
    address = ledger.current_address(taxpayer)
    rules = current_rules()
    guideline = poverty_guideline(rules, address.state if address else "", household, day)
    multiple = rules.number(f"{RULES}.low_income_poverty_multiple", day)
    return LowIncome(
        latest.period.label,
        latest.adjusted_gross_income,
        household,
        cents(guideline * multiple),
        (multiple * 100).normalize(),
    )


def months_before(first: dt.date, end: dt.date) -> int:
    """How many monthly due dates from ``first``'s month fall in months before ``end``'s month."""
    return max(0, (end.year - first.year) * 12 + end.month - first.month)


def collection_ends(periods: Sequence[TaxPeriod], day: dt.date) -> dt.date | None:
    """The earliest collection statute expiration date of the periods: so many years after each
    period's first assessment (the date of its first debit)."""
    years = terms(day).collection_years
    assessed = [
        min((t.effective_date for t in period.transactions.all() if t.amount > ZERO), default=None)
        for period in periods
    ]
    return min((add_months(on, 12 * years) for on in assessed if on is not None), default=None)


@dataclass(frozen=True)
class Refusal:
    code: str  # for the audit event
    message: str


@dataclass(frozen=True)
class Position:
    """What an application is judged on today, and what each kind of plan would look like."""

    as_of: dt.date
    terms: Terms
    periods: list[TaxPeriod]  # the individual income tax years that owe, oldest first
    owed: Decimal  # what they owe today, with interest and penalties accrued
    assessed: Decimal  # what they owe from the postings alone
    low_income: LowIncome | None
    collection_ends: dt.date | None
    first_due_month: dt.date  # the first day of the month of the first installment
    months_allowed: int
    refusals: list[Refusal] = field(default_factory=list)  # no plan at all
    short_term_refusals: list[Refusal] = field(default_factory=list)
    long_term_refusals: list[Refusal] = field(default_factory=list)

    @property
    def is_low_income(self) -> bool:
        return self.low_income is not None and self.low_income.qualifies

    @property
    def pay_by(self) -> dt.date:
        return self.as_of + dt.timedelta(days=self.terms.short_term_days)

    @property
    def minimum(self) -> Decimal:
        """The lowest monthly payment: what is owed today over the months allowed, rounded up to
        whole dollars."""
        return whole_dollars_up(self.owed / max(self.months_allowed, 1))

    @property
    def exact_share(self) -> Decimal:
        return cents(self.owed / max(self.months_allowed, 1))

    def refusals_for(self, kind: str) -> list[Refusal]:
        kind_refusals = self.short_term_refusals if kind == PlanKind.SHORT_TERM else self.long_term_refusals
        return self.refusals + kind_refusals

    def first_due_on(self, due_day: int) -> dt.date:
        return self.first_due_month.replace(day=due_day)


def position(
    taxpayer: Taxpayer,
    as_of: dt.date,
    everything: ledger.TaxpayerPayoff | None = None,
    *,
    in_plan: bool | None = None,
) -> Position:
    """``everything`` is the taxpayer's payoff on ``as_of`` and ``in_plan`` whether a plan is in
    effect (here or only on the ledger), when the caller has them already; else they are read
    (an action reads them afresh, under its lock)."""
    if everything is None:
        everything = ledger.taxpayer_payoff(taxpayer, as_of)
    periods = [period for period, _payoff in everything.periods]
    owing = [(p, payoff) for p, payoff in everything.owing if p.account.account_type == AccountType.INDIVIDUAL_INCOME]
    rules = terms(as_of)
    owed = sum((payoff.display()["total"] for _p, payoff in owing), ZERO)
    assessed = sum((max(payoff.assessed_balance, ZERO) for _p, payoff in owing), ZERO)
    ends = collection_ends([p for p, _payoff in owing], as_of)
    first_month = add_months(as_of.replace(day=1), rules.first_after_months)
    allowed = min(rules.long_term_max_months, months_before(first_month, ends)) if ends else 0
    found = Position(
        as_of=as_of,
        terms=rules,
        periods=[p for p, _payoff in owing],
        owed=owed,
        assessed=assessed,
        low_income=low_income(taxpayer, periods, as_of),
        collection_ends=ends,
        first_due_month=first_month,
        months_allowed=allowed,
    )
    found.refusals.extend(_general_refusals(taxpayer, everything.periods, found, in_plan))
    if owed >= rules.short_term_owed_below:
        found.short_term_refusals.append(
            Refusal(
                "owes_too_much_short_term",
                _(
                    "A short-term plan is for a total of less than $%(limit)s in tax, penalties and interest. "
                    "You owe $%(owed)s today."
                )
                % {"limit": f"{rules.short_term_owed_below:,.0f}", "owed": f"{owed:,.2f}"},
            )
        )
    if assessed > rules.long_term_assessed_at_most:
        found.long_term_refusals.append(
            Refusal(
                "owes_too_much_long_term",
                _(
                    "A long-term plan online is for $%(limit)s or less of assessed tax, penalties and interest. "
                    "Yours come to $%(assessed)s. Call us to ask about other plans."
                )
                % {"limit": f"{rules.long_term_assessed_at_most:,.0f}", "assessed": f"{assessed:,.2f}"},
            )
        )
    if owing and allowed < 1:
        found.long_term_refusals.append(
            Refusal(
                "collection_period_ends",
                _("The time we have to collect this balance ends too soon for monthly payments. Call us."),
            )
        )
    return found


def _general_refusals(
    taxpayer: Taxpayer, periods: list[tuple[TaxPeriod, Payoff]], found: Position, in_plan: bool | None
) -> list[Refusal]:
    refusals = []
    if taxpayer.kind != TaxpayerKind.INDIVIDUAL:
        refusals.append(Refusal("not_an_individual", _("Only individuals can apply for a payment plan online.")))
    if not found.periods:
        refusals.append(Refusal("nothing_owed", _("You do not owe anything today, so you do not need a payment plan.")))
    for year, due in unfiled(taxpayer, periods, found.as_of):
        refusals.append(
            Refusal(
                "returns_not_filed",
                _(
                    "We have no return from you for %(year)s, which was due on %(due)s. "
                    "A payment plan needs every required return filed: file it first."
                )
                % {"year": year, "due": formats.date_format(due, "DATE_FORMAT")},
            )
        )
    if in_plan is None:
        in_plan = current_plan(taxpayer) is not None or _ledger_plan_running(periods, found.as_of)
    if in_plan:
        refusals.append(
            Refusal(
                "already_in_a_plan",
                _("You already have a payment plan. You can change it instead of applying for a new one."),
            )
        )
    return refusals


def unfiled(taxpayer: Taxpayer, periods: list[tuple[TaxPeriod, Payoff]], as_of: dt.date) -> list[tuple[int, dt.date]]:
    """Years whose individual income tax return is past due (with any extension) and not on
    file: years the ledger has a period for, and years payers sent us a W-2 or 1099 for."""
    months = int(current_rules().number("filing.extension_months", as_of))
    individual = [period for period, _payoff in periods if period.account.account_type == AccountType.INDIVIDUAL_INCOME]
    filed = {period.end.year for period in individual if getattr(period, "original_returns", [])}
    missing: dict[int, dt.date] = {}
    for period in individual:
        if period.end.year in filed:
            continue
        extended = any(t.code == "460" for t in period.transactions.all())
        missing[period.end.year] = add_months(period.due_date, months) if extended else period.due_date
    reported = InformationReturn.objects.filter(taxpayer=taxpayer).values_list("tax_year", flat=True).distinct()
    for year in set(reported) - filed - set(missing):
        missing[year] = due_date(current_agency(), AccountType.INDIVIDUAL_INCOME, dt.date(year, 12, 31))
    return sorted((year, due) for year, due in missing.items() if due < as_of)


def _ledger_plan_running(periods: list[tuple[TaxPeriod, Payoff]], as_of: dt.date) -> bool:
    """Whether the ledger records a plan pending or established on a year that still owes (one set
    up by phone, mail or in person, which has no row here)."""
    plan = balances.payment_plan(periods, as_of)
    if plan is None or plan.status == balances.PlanStatus.ENDED:
        return False
    return plan.status == balances.PlanStatus.PENDING or plan.balance > ZERO


# --- projection ------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """The payments that would pay the periods off, with what accrues until each is made."""

    owed_now: Decimal
    payments: list[tuple[dt.date, Decimal]]
    paid_off: bool  # False: the balance outlives the due dates given (the collection period)
    left_at_end: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum((amount for _day, amount in self.payments), ZERO)

    @property
    def accruals(self) -> Decimal:
        return self.total + self.left_at_end - self.owed_now

    @property
    def count(self) -> int:
        return len(self.payments)

    @property
    def last(self) -> tuple[dt.date, Decimal] | None:
        return self.payments[-1] if self.payments else None


def monthly_dates(first: dt.date, until: dt.date | None) -> list[dt.date]:
    """Due dates a month apart from ``first`` through the month before ``until``'s."""
    if until is None:
        return []
    return [add_months(first, k) for k in range(months_before(first, until))]


def _owed(rules: RuleBook, module: engine.Module, day: dt.date) -> Decimal:
    """What a made-up module (a projection's, with postings no period has) owes on ``day``, in
    cents as the account shows it (each part rounded): computed, never cached."""
    return engine.payoff(rules, module, day).display()["total"]


def _owed_each(rules: RuleBook, modules: Sequence[engine.Module], day: dt.date, *, real: bool) -> list[Decimal]:
    """What each module owes on ``day``: real periods' modules through the payoff cache in one
    round trip (ADR 0034), made-up ones computed."""
    if real:
        return [payoff.display()["total"] for payoff in ledger.payoffs(rules, modules, day)]
    return [_owed(rules, module, day) for module in modules]


def owed_by_period(periods: Sequence[TaxPeriod], day: dt.date) -> list[tuple[TaxPeriod, Decimal]]:
    modules = [ledger.module_of(period) for period in periods]
    return list(zip(periods, _owed_each(current_rules(), modules, day, real=True), strict=True))


def owed_on(periods: Sequence[TaxPeriod], day: dt.date) -> Decimal:
    """What the periods owe on ``day`` (a period in credit counts as nothing)."""
    return sum((max(owed, ZERO) for _period, owed in owed_by_period(periods, day)), ZERO)


def _module(period: TaxPeriod, as_of: dt.date, establishing: bool) -> engine.Module:
    module = ledger.module_of(period)
    if establishing:
        start = Posting("971", as_of, ZERO, codes.INSTALLMENT_AGREEMENT_ESTABLISHED)
        module = dataclasses.replace(module, postings=(*module.postings, start))
    return module


def project(
    periods: Sequence[TaxPeriod], due_dates: Sequence[dt.date], amount: Decimal, as_of: dt.date, *, establishing: bool
) -> Projection:
    """Pay ``amount`` on each due date, oldest year first (an installment that pays one year off
    goes on to the next), until every year is paid: the engine gives each year's balance on
    each date. ``establishing`` adds the plan's TC 971 action code 063 today, for the reduced
    failure-to-pay rate of a plan not approved yet."""
    rules = current_rules()
    modules = [_module(period, as_of, establishing) for period in periods]
    owed = _owed_each(rules, modules, as_of, real=not establishing)
    paid: dict[dt.date, Decimal] = {}

    def pay(day: dt.date, part: Decimal) -> None:
        paid[day] = paid.get(day, ZERO) + part

    start, first = 0, amount  # the next due date's index, and what is left of its installment
    for index, module in enumerate(modules):
        if owed[index] <= ZERO:
            continue
        balance = _balance(rules, module, due_dates, start, first, amount)
        room = len(due_dates) - start
        needed = _fewest_to_pay_off(balance, start, room)
        for k in range(room if needed is None else needed - 1):
            pay(due_dates[start + k], first if k == 0 else amount)
        if needed is None:
            end = due_dates[-1] if due_dates else as_of
            left = balance(room, len(due_dates) - 1) if room else owed[index]
            left += _positive(_owed_each(rules, modules[index + 1 :], end, real=not establishing))
            return Projection(_positive(owed), sorted(paid.items()), paid_off=False, left_at_end=left)
        last_index = start + needed - 1
        last = balance(needed - 1, last_index)
        pay(due_dates[last_index], last)
        leftover = (first if needed == 1 else amount) - last
        start, first = (last_index, leftover) if leftover > ZERO else (last_index + 1, amount)
    return Projection(_positive(owed), sorted(paid.items()), paid_off=True)


def _positive(amounts: Sequence[Decimal]) -> Decimal:
    return sum((amount for amount in amounts if amount > ZERO), ZERO)


def _balance(
    rules: RuleBook, module: engine.Module, due_dates: Sequence[dt.date], start: int, first: Decimal, amount: Decimal
) -> Callable[[int, int], Decimal]:
    """``balance(count, on)``: the year's balance on due date ``on`` after ``count`` installments
    from due date ``start`` (the first of them ``first``, the others ``amount``)."""

    def balance(count: int, on: int) -> Decimal:
        postings = [Posting("670", due_dates[start + k], -(first if k == 0 else amount)) for k in range(count)]
        changed = dataclasses.replace(module, postings=(*module.postings, *postings))
        return _owed(rules, changed, due_dates[on])

    return balance


def _fewest_to_pay_off(balance: Callable[[int, int], Decimal], start: int, room: int) -> int | None:
    """The fewest installments from due date ``start`` that pay the year off (None: more than ``room``)."""
    return _smallest(lambda count: balance(count, start + count - 1) <= ZERO, room)


def _smallest(ok: Callable[[int], bool], most: int) -> int | None:
    """The smallest n in 1..most with ok(n), for ok false then true (None if never): doubling,
    then halving, so a long plan costs a few dozen payoffs rather than one per month."""
    low, high = 0, 1
    while high <= most and not ok(high):
        low, high = high, high * 2
    if high > most:
        if most <= low or not ok(most):
            return None
        high = most
    while high - low > 1:
        middle = (low + high) // 2
        if ok(middle):
            high = middle
        else:
            low = middle
    return high


def short_term_cost(periods: Sequence[TaxPeriod], pay_by: dt.date, as_of: dt.date, *, establishing: bool) -> Projection:
    """Everything paid on the last day of a short-term plan."""
    rules = current_rules()
    modules = [_module(period, as_of, establishing) for period in periods]
    owed_now = _positive(_owed_each(rules, modules, as_of, real=not establishing))
    then = _positive(_owed_each(rules, modules, pay_by, real=not establishing))
    return Projection(owed_now, [(pay_by, then)] if then else [], paid_off=True)


# --- plans a taxpayer sees -------------------------------------------------------------


def current_plan(taxpayer: Taxpayer) -> PaymentPlan | None:
    return PaymentPlan.objects.filter(taxpayer=taxpayer, status=PlanStatus.ESTABLISHED).first()


def plans_of(taxpayer: Taxpayer) -> QuerySet[PaymentPlan]:
    return PaymentPlan.objects.filter(taxpayer=taxpayer).order_by("-established_on", "-created_at")


def plan_periods(plan: PaymentPlan, history: Sequence[TaxPeriod] | None = None) -> list[TaxPeriod]:
    """The plan's years with their history loaded, oldest first: of ``history`` (the taxpayer's
    ``periods_with_history``) when the caller has it already."""
    wanted = set(plan.periods.values_list("pk", flat=True))
    if history is None:
        history = ledger.periods_with_history(plan.taxpayer)
    return [p for p in history if p.pk in wanted]


def next_due_on(plan: PaymentPlan, today: dt.date) -> dt.date | None:
    """The next installment's date: the plan's first, else the month after the latest one
    (on the plan's day); for a short-term plan its last day. None once it is not in effect."""
    if plan.status != PlanStatus.ESTABLISHED:
        return None
    if plan.first_due_on is None or plan.due_day is None:  # a short-term plan
        return plan.pay_by
    latest = plan.installments.order_by("-due_on").values_list("due_on", flat=True).first()
    if latest is None:
        return plan.first_due_on
    return add_months(latest.replace(day=1), 1).replace(day=plan.due_day)


def revision_refusals(plan: PaymentPlan) -> list[Refusal]:
    """Why this plan cannot be changed online, if it cannot."""
    if plan.status != PlanStatus.ESTABLISHED:
        message = _("This plan is no longer in effect, so it cannot be changed. You can apply for a new one.")
        return [Refusal("not_in_effect", message)]
    if plan.pay_by is not None:  # a short-term plan
        message = _("A short-term plan has no monthly payments to change: pay the whole balance by %(day)s.") % {
            "day": formats.date_format(plan.pay_by, "DATE_FORMAT")
        }
        return [Refusal("short_term", message)]
    if plan.direct_debit:
        message = _(
            "A direct debit plan cannot be changed online. Call us to change the amount, the day or the "
            "bank account; a change to a direct debit plan has no fee."
        )
        return [Refusal("direct_debit", message)]
    return []


def revision_minimum(plan: PaymentPlan, periods: Sequence[TaxPeriod], today: dt.date) -> Decimal:
    """What the plan's ``periods`` (``plan_periods``) owe today over the months left in its term
    (and before the collection period ends), rounded up to whole dollars; all of it when no
    month is left."""
    owed = owed_on(periods, today)
    upcoming = next_due_on(plan, today)
    months = 0
    if upcoming is not None and plan.first_due_on is not None and plan.term_months is not None:
        end = add_months(plan.first_due_on.replace(day=1), plan.term_months)
        ends = collection_ends(periods, today)
        months = months_before(upcoming.replace(day=1), min(end, ends) if ends else end)
    return whole_dollars_up(owed / max(months, 1))


def paid_on_plan(transactions: Sequence[Transaction], since: dt.date, through: dt.date) -> Decimal:
    """Payments (TC 670, less any returned: TC 671) dated from ``since`` through ``through``."""
    return sum(
        (-t.amount for t in transactions if t.code in ("670", "671") and since <= t.effective_date <= through), ZERO
    )


@dataclass(frozen=True)
class PlanView:
    """One plan as its page shows it."""

    plan: PaymentPlan
    owed: Decimal  # left to pay today
    paid: Decimal  # paid on the plan so far
    next_due_on: dt.date | None
    projection: Projection | None
    installments: list[Installment]
    collection_ends: dt.date | None

    @property
    def notices(self) -> list[Installment]:
        return [i for i in self.installments if i.notice_id is not None]


def plan_view(plan: PaymentPlan, today: dt.date) -> PlanView:
    periods = plan_periods(plan)
    owed = owed_on(periods, today)
    transactions = [t for p in periods for t in p.transactions.all()]
    ends = collection_ends(periods, today)
    upcoming = next_due_on(plan, today)
    projection = None
    if plan.status == PlanStatus.ESTABLISHED and upcoming is not None and owed > ZERO:
        if plan.kind == PlanKind.SHORT_TERM:
            projection = short_term_cost(periods, upcoming, today, establishing=False)
        else:
            assert plan.monthly_amount is not None  # noqa: S101 (long-term: see Meta)
            projection = project(periods, monthly_dates(upcoming, ends), plan.monthly_amount, today, establishing=False)
    return PlanView(
        plan=plan,
        owed=owed,
        paid=paid_on_plan(transactions, plan.established_on, today),
        next_due_on=upcoming,
        projection=projection,
        installments=list(plan.installments.select_related("payment", "notice")),
        collection_ends=ends,
    )


@dataclass(frozen=True)
class LedgerPlanView:
    """A plan only the ledger records (set up by phone, mail or in person): its codes and
    payments, and what keeping up the last payment each month would cost."""

    ledger: balances.PaymentPlan
    monthly: Decimal | None = None
    next_due_on: dt.date | None = None
    projection: Projection | None = None
    collection_ends: dt.date | None = None


def ledger_plan_view(
    taxpayer: Taxpayer, today: dt.date, everything: ledger.TaxpayerPayoff | None = None
) -> LedgerPlanView | None:
    """``everything``: the taxpayer's payoff today, when the caller has it already."""
    if everything is None:
        everything = ledger.taxpayer_payoff(taxpayer, today)
    found = balances.payment_plan(everything.periods, today)
    if found is None or found.status == balances.PlanStatus.ENDED:
        return None
    last = found.last_payment
    if last is None or found.status != balances.PlanStatus.ESTABLISHED or found.balance <= ZERO:
        return LedgerPlanView(found)
    monthly = -last.amount
    upcoming = add_months(last.effective_date, 1)
    while upcoming < today:
        upcoming = add_months(upcoming, 1)
    ends = collection_ends(found.periods, today)
    projection = project(found.periods, monthly_dates(upcoming, ends), monthly, today, establishing=False)
    return LedgerPlanView(found, monthly, upcoming, projection, ends)
