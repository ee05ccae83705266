"""The payoff engine: what one tax period (module) owes on a day, under an agency's rules.

Pure computation over plain values (no database), so the same code answers for stored
accounts, for the ``payoff --scenario`` command and for property tests.

How it works. Assessed entries (the transactions) are facts; the engine replays them in date
order and adds what the rules say has accrued since: interest compounded daily on the
interest-bearing balance, failure-to-pay and failure-to-file penalties month by month. An
assessment of interest (TC 196) or of a penalty (TC 166, 276) replaces what had accrued of
it, so nothing is counted twice, and "accrued since the last posting" is what is left
unassessed. Tax shown on a return (and later additional tax) is owed from the return's due
date, so it is placed there however late it was assessed: interest and the monthly
penalties then fall out of the replay without special cases.

Money stays unrounded ``Decimal`` inside; ``Payoff.display()`` rounds to cents.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import heapq
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from taxgov.ledger import codes
from taxgov.ledger.codes import Effect, PenaltyKind
from taxgov.ledger.rules import RuleBook

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
PRECISION = 40  # digits kept inside a computation; display rounds to cents


class ScenarioError(ValueError):
    """The entries cannot describe a real account (wrong sign, unknown code, orphan reversal)."""


@dataclass(frozen=True)
class Posting:
    """One transaction as the engine sees it. Positive amounts are debits, negative credits."""

    code: str
    day: dt.date
    amount: Decimal
    action_code: str = ""
    key: Any = None  # identifies the posting, for reversal links
    reverses: Any = None  # the key of the posting this one reverses


@dataclass(frozen=True)
class Module:
    """The facts of one tax period that the rules need besides its postings."""

    due_date: dt.date
    filed_date: dt.date | None
    postings: tuple[Posting, ...]
    installment_agreement_from: dt.date | None = None
    levy_notice_date: dt.date | None = None
    individual: bool = True


@dataclass(frozen=True)
class Payoff:
    """What a module owes on ``as_of``; credits show as a negative ``tax``."""

    as_of: dt.date
    tax: Decimal
    penalties: Decimal
    interest: Decimal
    accrued_penalties: Decimal  # of ``penalties``: accrued by the rules, not yet assessed
    accrued_interest: Decimal  # of ``interest``: accrued by the rules, not yet assessed
    assessed_balance: Decimal  # the balance of the postings alone

    @property
    def total(self) -> Decimal:
        return self.tax + self.penalties + self.interest

    @property
    def good_through(self) -> dt.date:
        """Interest and penalties grow daily, so the amount holds for a payment made that day."""
        return self.as_of

    def __add__(self, other: Payoff) -> Payoff:
        if self.as_of != other.as_of:
            raise ValueError("Only payoffs on the same day add up.")
        return Payoff(
            self.as_of,
            self.tax + other.tax,
            self.penalties + other.penalties,
            self.interest + other.interest,
            self.accrued_penalties + other.accrued_penalties,
            self.accrued_interest + other.accrued_interest,
            self.assessed_balance + other.assessed_balance,
        )

    def display(self) -> dict[str, Decimal]:
        """Cents for people: each part rounded half up, and the total is the sum of the parts shown."""
        tax, penalties, interest = (cents(v) for v in (self.tax, self.penalties, self.interest))
        return {
            "tax": tax,
            "penalties": penalties,
            "interest": interest,
            "total": tax + penalties + interest,
            "accrued_penalties": cents(self.accrued_penalties),
            "accrued_interest": cents(self.accrued_interest),
        }


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP) + ZERO  # + ZERO turns -0.00 into 0.00


def zero_payoff(as_of: dt.date) -> Payoff:
    return Payoff(as_of, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- interest -------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def growth(rules: RuleBook, start: dt.date, end: dt.date, kind: str = "underpayment") -> Decimal:
    """The factor one dollar grows by from ``start`` to ``end`` (days in [start, end)), compounded daily.

    Each day adds rate/365 (366 in a leap year) of the balance, at the rate in force that day.
    Cached: replays of many periods ask for the same spans again and again.
    """
    factor = ONE
    if end <= start:
        return factor
    cuts = {start, end}
    cuts.update(rules.rate_changes_between(start, end))
    cuts.update(dt.date(year, 1, 1) for year in range(start.year + 1, end.year + 1))
    bounds = sorted(day for day in cuts if start <= day <= end)
    with localcontext() as context:
        context.prec = PRECISION
        for left, right in itertools.pairwise(bounds):
            year_days = 366 if calendar.isleap(left.year) else 365
            daily = ONE + rules.rate_for(kind, left) / year_days  # type: ignore[arg-type]
            factor *= daily ** (right - left).days
    return factor


def simple_overpayment_interest(rules: RuleBook, amount: Decimal, start: dt.date, end: dt.date) -> Decimal:
    """Interest allowed on an overpayment from ``start`` to ``end`` (a refund's date).

    Daily-compounded or simple as the agency's rules say, and nothing when the refund comes
    within the interest-free days after ``start``.
    """
    with localcontext() as context:
        context.prec = PRECISION
        if end <= start or (end - start).days <= rules.number("interest.overpayment_interest_free_days", start):
            return ZERO
        if rules.setting("interest.overpayment_compounding", "daily") == "daily":
            return amount * (growth(rules, start, end, "overpayment") - ONE)
        total = ZERO
        day = start
        years = (dt.date(year, 1, 1) for year in range(start.year + 1, end.year + 1))
        cuts = sorted({*rules.rate_changes_between(start, end), *years, end})
        for cut in cuts:
            year_days = 366 if calendar.isleap(day.year) else 365
            total += amount * rules.rate_for("overpayment", day) * (cut - day).days / year_days
            day = cut
        return total


def dishonored_payment_penalty(rules: RuleBook, payment: Decimal, day: dt.date) -> Decimal:
    """The penalty for a payment the bank returned: a flat amount (or the payment, if less) or a percent."""
    payment = abs(payment)
    if payment < rules.number("dishonored_payment.threshold", day):
        return min(rules.number("dishonored_payment.flat", day), payment)
    return cents(payment * rules.number("dishonored_payment.percent", day))


# --- the replay -----------------------------------------------------------------------


@dataclass
class _Lot:
    """A piece of tax or penalty still owed, with when it starts to bear interest."""

    kind: str  # "tax" or a PenaltyKind
    amount: Decimal
    assessed: bool = True
    bearing: bool = False
    interest_from: dt.date | None = None
    ftp_from: dt.date | None = None  # tax only: the first month-start it is subject to failure to pay
    paid: Decimal = ZERO  # what payments and credits have paid of it


@dataclass
class _Credit:
    amount: Decimal
    day: dt.date


# Within a day: month starts and interest starts, then debits, then credits, then refunds.
_ORDER = {
    Effect.TAX: 1,
    Effect.PENALTY: 2,
    Effect.INTEREST: 2,
    Effect.TAX_ABATEMENT: 3,
    Effect.PENALTY_ABATEMENT: 3,
    Effect.INTEREST_ABATEMENT: 3,
    Effect.CREDIT: 4,
    Effect.REFUND: 5,
    Effect.NONE: 6,
}


@dataclass
class _Replay:
    rules: RuleBook
    module: Module
    as_of: dt.date
    tax_lots: list[_Lot] = field(default_factory=list)
    penalty_lots: list[_Lot] = field(default_factory=list)
    credits: list[_Credit] = field(default_factory=list)
    interest_assessed: Decimal = ZERO
    interest_accrued: Decimal = ZERO
    interest_accrued_paid: Decimal = ZERO  # paid of the accrued interest since the last assessment
    ftp_charged: Decimal = ZERO
    ftp_cap_base: Decimal = ZERO
    ftf_base: Decimal | None = None
    ftf_charged: Decimal = ZERO  # failure to file charged so far, accrued or assessed
    ftf_by_months: Decimal = ZERO  # what the monthly rate alone comes to
    ftf_floor: Decimal = ZERO  # the minimum, once the return is that late
    events: list[tuple[dt.date, int, int, Callable[[dt.date], None]]] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=itertools.count)
    last_day: dt.date | None = None
    counted_in_cap: set[int] = field(default_factory=set)

    # -- scheduling --
    def at(self, day: dt.date, order: int, action: Callable[[dt.date], None]) -> None:
        if day <= self.as_of:
            heapq.heappush(self.events, (day, order, next(self.counter), action))

    def run(self) -> None:
        while self.events:
            day, _order, _n, action = heapq.heappop(self.events)
            self.accrue_until(day)
            action(day)
        self.accrue_until(self.as_of)

    def accrue_until(self, day: dt.date) -> None:
        if self.last_day is None:
            self.last_day = day
            return
        if day <= self.last_day:
            return
        base = self.bearing_balance()
        if base > ZERO:
            self.interest_accrued += base * (growth(self.rules, self.last_day, day) - ONE)
        self.last_day = day

    def bearing_balance(self) -> Decimal:
        lots = itertools.chain(self.tax_lots, self.penalty_lots)
        return sum((lot.amount for lot in lots if lot.bearing), ZERO) + self.interest_assessed + self.interest_accrued

    # -- interest start --
    def start_bearing(self, lot: _Lot, day: dt.date) -> None:
        """Make ``lot`` bear interest from now, with interest back to its start date if that was earlier."""
        if lot.bearing or lot.amount <= ZERO:
            return
        lot.bearing = True
        if lot.interest_from is not None and lot.interest_from < day:
            self.interest_accrued += lot.amount * (growth(self.rules, lot.interest_from, day) - ONE)

    def schedule_bearing(
        self, lot: _Lot, start: dt.date, day: dt.date, *, unless_paid_by: dt.date | None = None
    ) -> None:
        lot.interest_from = start
        when = unless_paid_by + dt.timedelta(days=1) if unless_paid_by else start
        if when <= day:
            self.start_bearing(lot, day)
        else:
            self.at(when, 0, lambda today: self.start_bearing(lot, today))

    def penalty_interest(self, lot: _Lot, day: dt.date) -> None:
        """Schedule a penalty's interest by the agency's rule for its kind; a user fee bears none."""
        if lot.kind == PenaltyKind.USER_FEE:
            return
        # Other penalties (dishonored payment, estimated tax) follow the failure-to-pay rule, as
        # IRC 6601(e)(2)(A) groups them.
        section = self._section(lot.kind) or "failure_to_pay"
        mode = self.rules.setting(f"{section}.interest_from", "accrual")
        if lot.kind == PenaltyKind.FAILURE_TO_FILE and mode == "return_due_date":
            self.schedule_bearing(lot, self.extended_due_date, day)
        elif mode == "accrual":
            self.schedule_bearing(lot, day, day)
        elif lot.assessed:  # "notice": assessed penalties, unless paid within the grace days
            grace = self.rules.number("failure_to_pay.notice_grace_days", day)
            self.schedule_bearing(lot, day, day, unless_paid_by=day + dt.timedelta(days=int(grace)))

    @staticmethod
    def _section(kind: str) -> str | None:
        return {PenaltyKind.FAILURE_TO_FILE: "failure_to_file", PenaltyKind.FAILURE_TO_PAY: "failure_to_pay"}.get(
            PenaltyKind(kind)
        )

    # -- module facts --
    @property
    def extended_due_date(self) -> dt.date:
        return add_months(self.module.due_date, self.extension_months)

    @functools.cached_property
    def extension_months(self) -> int:
        """How many months an extension of time to file (TC 460) adds; 0 without one."""
        if not any(p.code == "460" and p.day <= self.as_of for p in self.module.postings):
            return 0
        return int(self.rules.number("filing.extension_months", self.module.due_date))

    @property
    def filed_date(self) -> dt.date | None:
        filed = self.module.filed_date
        return filed if filed is not None and filed <= self.as_of else None

    def installment_agreement_on(self, day: dt.date) -> bool:
        spans: list[tuple[dt.date, dt.date | None]] = []
        if self.module.installment_agreement_from is not None:
            spans.append((self.module.installment_agreement_from, None))
        start: dt.date | None = None
        for posting in sorted(self.module.postings, key=lambda p: p.day):
            if posting.code != "971" or posting.day > self.as_of:
                continue
            if posting.action_code == codes.INSTALLMENT_AGREEMENT_ESTABLISHED:
                start = posting.day
            elif posting.action_code == codes.INSTALLMENT_AGREEMENT_ENDED and start is not None:
                spans.append((start, posting.day))
                start = None
        if start is not None:
            spans.append((start, None))
        return any(begin <= day and (end is None or day < end) for begin, end in spans)

    # -- applying money --
    def consume_credits(self, amount: Decimal) -> Decimal:
        """Use any credit balance against a new debit; returns what is left of the debit."""
        while amount > ZERO and self.credits:
            credit = self.credits[0]
            used = min(credit.amount, amount)
            credit.amount -= used
            amount -= used
            if credit.amount == ZERO:
                self.credits.pop(0)
        return amount

    def apply_credit(self, amount: Decimal, day: dt.date, first: str | None = None) -> None:
        """Pay tax, then penalties, then interest (a designated payment goes to its part first)."""
        order = ["tax", "penalty", "interest"]
        if first:
            order.remove(first)
            order.insert(0, first)
        for part in order:
            if part == "tax":
                amount = _pay_lots(self.tax_lots, amount)
            elif part == "penalty":
                amount = _pay_lots(sorted(self.penalty_lots, key=lambda lot: not lot.assessed), amount)
            else:
                paid = min(amount, self.interest_assessed)
                self.interest_assessed -= paid
                amount -= paid
                paid = min(amount, self.interest_accrued)
                self.interest_accrued -= paid
                self.interest_accrued_paid += paid
                amount -= paid
        if amount > ZERO:
            self.credits.append(_Credit(amount, day))

    # -- postings --
    def post(self, posting: Posting, day: dt.date) -> None:
        code = codes.lookup(posting.code)
        amount = posting.amount
        if code.effect == Effect.TAX:
            grace = self.rules.number("failure_to_pay.additional_tax_grace_days", posting.day)
            original = posting.code == "150"
            lot = _Lot(
                "tax",
                self.consume_credits(amount),
                interest_from=self.module.due_date,
                ftp_from=self.module.due_date if original else posting.day + dt.timedelta(days=int(grace)),
            )
            self.tax_lots.append(lot)
            self.schedule_bearing(lot, self.module.due_date, day)
        elif code.effect == Effect.PENALTY:
            self.assess_penalty(code.penalty_kind or PenaltyKind.OTHER, amount, day)
        elif code.effect == Effect.INTEREST:
            # It replaces the interest accrued, but what was paid of that stays paid.
            owed = amount - self.interest_accrued_paid
            self.interest_accrued = self.interest_accrued_paid = ZERO
            if owed >= ZERO:
                self.interest_assessed += self.consume_credits(owed)
            else:
                self.credits.append(_Credit(-owed, day))
        elif code.effect == Effect.TAX_ABATEMENT:
            left = _pay_lots(reversed(self.tax_lots), -amount)
            if left > ZERO:
                self.credits.append(_Credit(left, day))
        elif code.effect == Effect.PENALTY_ABATEMENT:
            kind = code.penalty_kind
            abated = -amount
            if kind == PenaltyKind.FAILURE_TO_PAY:
                self.ftp_charged -= abated
            elif kind == PenaltyKind.FAILURE_TO_FILE:
                self.ftf_charged -= abated
            left = _pay_lots(reversed([lot for lot in self.penalty_lots if lot.kind == kind]), abated)
            if left > ZERO:
                self.credits.append(_Credit(left, day))
        elif code.effect == Effect.INTEREST_ABATEMENT:
            abated = -amount
            paid = min(abated, self.interest_assessed)
            self.interest_assessed -= paid
            if abated > paid:
                self.credits.append(_Credit(abated - paid, day))
        elif code.effect == Effect.CREDIT:
            self.apply_credit(-amount, day, code.applies_first_to)
        elif code.effect == Effect.REFUND:
            left = self.consume_credits(amount)
            if left > ZERO:  # more refunded than was in credit: owed back, with interest from today
                lot = _Lot("tax", left, interest_from=day)
                self.tax_lots.append(lot)
                self.start_bearing(lot, day)

    def assess_penalty(self, kind: PenaltyKind, amount: Decimal, day: dt.date) -> None:
        """An assessed penalty replaces the unassessed accruals of its kind so far; what was paid of them stays paid."""
        accrued = [lot for lot in self.penalty_lots if lot.kind == kind and not lot.assessed]
        paid = sum((lot.paid for lot in accrued), ZERO)
        replaced = sum((lot.amount for lot in accrued), ZERO) + paid
        self.penalty_lots = [lot for lot in self.penalty_lots if lot.assessed or lot.kind != kind]
        if kind == PenaltyKind.FAILURE_TO_PAY:
            self.ftp_charged += amount - replaced
        elif kind == PenaltyKind.FAILURE_TO_FILE:
            self.ftf_charged += amount - replaced
            self.ftf_by_months = self.ftf_floor = self.ftf_charged
        owed = amount - paid
        lot = _Lot(kind, self.consume_credits(owed) if owed > ZERO else ZERO)
        if owed < ZERO:
            self.credits.append(_Credit(-owed, day))
        self.penalty_lots.append(lot)
        if any(old.bearing for old in accrued):
            lot.bearing = True  # its interest so far already accrued on the amounts it replaces
        else:
            self.penalty_interest(lot, day)

    def accrue_penalty(self, kind: PenaltyKind, amount: Decimal, day: dt.date) -> None:
        if amount <= ZERO:
            return
        owed = self.consume_credits(amount)
        lot = _Lot(kind, owed, assessed=False, paid=amount - owed)
        self.penalty_lots.append(lot)
        self.penalty_interest(lot, day)

    # -- the monthly penalties --
    def unpaid_tax_subject_to_ftp(self, month_start: dt.date) -> Decimal:
        total = ZERO
        for lot in self.tax_lots:
            if lot.ftp_from is not None and lot.ftp_from <= month_start:
                total += lot.amount
                if id(lot) not in self.counted_in_cap:
                    self.counted_in_cap.add(id(lot))
                    self.ftp_cap_base += lot.amount
        return total

    def month(self, number: int, boundary: dt.date, today: dt.date) -> None:
        """Month ``number`` (1, 2, ...) after the due date has begun: charge its penalties.

        ``boundary`` is the due date plus ``number - 1`` months; what is unpaid at the end of
        that day is what the month's failure-to-pay penalty is charged on.
        """
        if self.ftf_base is None:
            # The tax required to be shown: the return's and any later additional tax, less credits by the due date.
            self.ftf_base = sum(
                (lot.amount for lot in self.tax_lots if lot.interest_from == self.module.due_date), ZERO
            )
        ftp = self.failure_to_pay_for_month(boundary, today)
        self.failure_to_file_for_month(number, boundary, ftp, today)
        if self.more_to_charge(boundary):
            self.schedule_month(number + 1)

    def schedule_month(self, number: int) -> None:
        boundary = add_months(self.module.due_date, number - 1)
        if boundary < self.as_of:
            self.at(boundary + dt.timedelta(days=1), 0, lambda today: self.month(number, boundary, today))

    def more_to_charge(self, boundary: dt.date) -> bool:
        """Whether a later month could still charge a penalty: a posting is still to come, tax is
        unpaid, or the return is still not filed. Stopping early keeps long histories cheap."""
        postings_ahead = any(order > 0 for _day, order, _n, _action in self.events)
        unpaid = any(lot.amount > ZERO for lot in self.tax_lots)
        return postings_ahead or unpaid or self.filed_after(boundary)

    def failure_to_pay_for_month(self, boundary: dt.date, today: dt.date) -> Decimal:
        unpaid = self.unpaid_tax_subject_to_ftp(boundary)
        if unpaid <= ZERO:
            return ZERO
        rate = self.rules.number("failure_to_pay.rate_per_month", today)
        levy = self.module.levy_notice_date
        levy_days = None
        if levy is not None and self.rules.has("failure_to_pay.levy_rate"):
            levy_days = int(self.rules.number("failure_to_pay.levy_days_after_notice", levy))
        if levy is not None and levy_days is not None and today > levy + dt.timedelta(days=levy_days):
            rate = self.rules.number("failure_to_pay.levy_rate", today)
        elif (
            self.rules.has("failure_to_pay.installment_agreement_rate")
            and self.module.individual
            and self.filed_on_time()
            and self.installment_agreement_on(today)
        ):
            rate = self.rules.number("failure_to_pay.installment_agreement_rate", today)
        room = self.rules.number("failure_to_pay.maximum", today) * self.ftp_cap_base - self.ftp_charged
        charge = max(ZERO, min(rate * unpaid, room))
        self.ftp_charged += charge
        self.accrue_penalty(PenaltyKind.FAILURE_TO_PAY, charge, today)
        return charge

    def filed_on_time(self) -> bool:
        filed = self.module.filed_date
        return filed is not None and filed <= self.extended_due_date

    def filed_after(self, day: dt.date) -> bool:
        """Whether the return was still not filed at the end of ``day`` (only once filed do we know its tax)."""
        filed = self.filed_date
        return filed is not None and filed > day

    def failure_to_file_for_month(self, number: int, boundary: dt.date, ftp: Decimal, today: dt.date) -> None:
        """Month ``number`` after the due date; the failure to file starts at the extended due date
        (IRC 6651(a)(1): "determined with regard to any extension"), so its months are counted from there."""
        if self.filed_on_time() or not self.filed_after(boundary) or not self.ftf_base:
            return
        late_month = number - self.extension_months
        rate = self.rules.number("failure_to_file.rate_per_month", today)
        maximum = self.rules.number("failure_to_file.maximum", today)
        if late_month < 1 or rate * late_month > maximum:
            return
        charge = rate * self.ftf_base
        if self.rules.setting("failure_to_file.reduced_by_failure_to_pay", False):
            charge -= ftp
        self.ftf_by_months += max(ZERO, charge)
        self.charge_failure_to_file(today)

    def charge_failure_to_file(self, today: dt.date) -> None:
        """Bring the failure-to-file penalty up to the larger of its monthly total and its minimum."""
        owed = max(self.ftf_by_months, self.ftf_floor)
        if owed > self.ftf_charged:
            self.accrue_penalty(PenaltyKind.FAILURE_TO_FILE, owed - self.ftf_charged, today)
            self.ftf_charged = owed

    def failure_to_file_minimum(self, today: dt.date) -> None:
        """A return filed long after its due date owes at least the minimum (or the tax, if less)."""
        if self.filed_on_time() or not self.ftf_base or not self.filed_after(today - dt.timedelta(days=1)):
            return
        self.ftf_floor = min(self.rules.number("failure_to_file.minimum", self.module.due_date), self.ftf_base)
        self.charge_failure_to_file(today)

    # -- results --
    def result(self) -> Payoff:
        tax = sum((lot.amount for lot in self.tax_lots), ZERO) - sum((c.amount for c in self.credits), ZERO)
        penalties = sum((lot.amount for lot in self.penalty_lots), ZERO)
        accrued_penalties = sum((lot.amount for lot in self.penalty_lots if not lot.assessed), ZERO)
        assessed = sum((p.amount for p in self.module.postings if p.day <= self.as_of), ZERO)
        return Payoff(
            self.as_of,
            tax,
            penalties,
            self.interest_assessed + self.interest_accrued,
            accrued_penalties,
            self.interest_accrued,
            assessed,
        )


def _pay_lots(lots: Iterable[_Lot], amount: Decimal, *, paying: bool = True) -> Decimal:
    for lot in lots:
        if amount <= ZERO:
            break
        paid = min(lot.amount, amount)
        lot.amount -= paid
        if paying:
            lot.paid += paid
        amount -= paid
    return amount


def effective_postings(postings: Sequence[Posting], as_of: dt.date) -> list[Posting]:
    """The postings in force on ``as_of``: a reversal in force removes itself and what it reverses.

    A dishonoured payment is treated as never made, so interest and penalties run as if it
    had not been; a reversal dated later than ``as_of`` has not happened yet.
    """
    known = [p for p in postings if p.day <= as_of]
    reversed_keys: set[int] = set()
    by_position = list(enumerate(known))
    reversals = [(index, p) for index, p in by_position if codes.lookup(p.code).effect == Effect.CREDIT_REVERSAL]
    # Linked reversals first, so that one found by code and amount never takes an entry another
    # names; then the others by date, so the result does not depend on the order of the list.
    for index, posting in sorted(reversals, key=lambda item: (item[1].reverses is None, item[1].day)):
        code = codes.lookup(posting.code)
        target = _reversal_target(known, index, posting, code.reverses, reversed_keys)
        reversed_keys.update({index, target})
    return [p for index, p in by_position if index not in reversed_keys]


def _reversal_target(
    known: list[Posting], index: int, reversal: Posting, original_code: str | None, taken: set[int]
) -> int:
    for candidate_index in sorted(range(len(known)), key=lambda i: known[i].day, reverse=True):  # latest first
        candidate = known[candidate_index]
        if candidate_index in taken or candidate_index == index:
            continue
        if reversal.reverses is not None:
            if candidate.key == reversal.reverses:
                if candidate.code != original_code or candidate.amount != -reversal.amount:
                    raise ScenarioError(f"TC {reversal.code} must reverse a TC {original_code} of the same amount.")
                return candidate_index
        elif candidate.code == original_code and candidate.amount == -reversal.amount and candidate.day <= reversal.day:
            return candidate_index
    raise ScenarioError(
        f"TC {reversal.code} on {reversal.day} reverses a TC {original_code} of {-reversal.amount} that is not there."
    )


def validate(posting: Posting) -> None:
    """Refuse a posting whose code is unknown or whose sign or scale does not fit its code."""
    try:
        code = codes.lookup(posting.code)
    except codes.UnknownCodeError as error:
        raise ScenarioError(str(error)) from None
    amount = posting.amount
    if amount != amount.quantize(CENT):
        raise ScenarioError(f"TC {posting.code}: amounts are whole cents ({amount}).")
    sign = code.sign
    if (
        (sign == codes.Sign.DEBIT and amount <= ZERO)
        or (sign == codes.Sign.CREDIT and amount >= ZERO)
        or (sign == codes.Sign.ZERO and amount != ZERO)
        or (sign == codes.Sign.DEBIT_OR_ZERO and amount < ZERO)
    ):
        expected = {
            codes.Sign.DEBIT: "a positive amount (a debit)",
            codes.Sign.CREDIT: "a negative amount (a credit)",
            codes.Sign.ZERO: "no amount",
            codes.Sign.DEBIT_OR_ZERO: "zero or a positive amount",
        }[sign]
        raise ScenarioError(f"TC {posting.code} ({code.meaning}) takes {expected}, not {amount}.")


def payoff(rules: RuleBook, module: Module, as_of: dt.date) -> Payoff:
    """What ``module`` owes on ``as_of``: assessed balances plus what the rules have accrued since."""
    for posting in module.postings:
        validate(posting)
    if module.filed_date is None:
        returns = [p.day for p in module.postings if p.code == "150"]
        module = dataclasses.replace(module, filed_date=min(returns, default=None))
    with localcontext() as context:
        context.prec = PRECISION
        replay = _Replay(rules, module, as_of)
        postings = effective_postings(module.postings, as_of)
        if module.filed_date is not None and module.filed_date <= as_of:
            # Only a filed return's tax is known; its monthly penalties run from the due date.
            replay.schedule_month(1)
            minimum_days = (
                int(rules.number("failure_to_file.minimum_after_days", module.due_date))
                if rules.has("failure_to_file.minimum")
                else None
            )
            if minimum_days is not None:
                replay.at(
                    replay.extended_due_date + dt.timedelta(days=minimum_days + 1), 0, replay.failure_to_file_minimum
                )
        # In a fixed order (by date, then code and amount), so that the order given never matters.
        for posting in sorted(postings, key=lambda p: (p.day, p.code, p.amount)):
            code = codes.lookup(posting.code)
            day = min(posting.day, module.due_date) if code.effect == Effect.TAX else posting.day
            replay.at(day, _ORDER[code.effect], _post_action(replay, posting))
        replay.run()
        return replay.result()


def _post_action(replay: _Replay, posting: Posting) -> Callable[[dt.date], None]:
    return lambda today: replay.post(posting, today)
