"""Each synthetic taxpayer's tax history at one agency, as plain values (no database).

Why a pure function: the federal and the state deployable each load their own ledger from
their own process, and ``demo_personas`` must say what either ledger holds without reading
it. So a history depends only on (seed, agency, taxpayer, today): the same person gets the
same returns, transactions and Letter IDs wherever and whenever it is computed for the
same day.

What is shared and what is not. A person's income, filing status, payers and filing dates
come from random streams keyed by the seed, the taxpayer and the tax year, never by the
agency, so the federal and the state returns describe the same year; each agency then
applies its own forms, due dates, tax and rules. Timing that only one agency decides
(when a refund goes out, when a notice is mailed) comes from the agency's own stream.

The profiles of ``taxgov.synthetic.people.TAX_PROFILES`` choose the story; amounts that
depend on the interest and penalty rules (notice balances, penalties assessed at a late
filing) are computed by the payoff engine, so the history agrees with the rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Protocol

from django.utils import timezone

from taxgov.ledger import engine
from taxgov.ledger.agencies import account_types, due_date, periods_of_year
from taxgov.ledger.engine import Payoff, add_months
from taxgov.ledger.identifiers import LETTER_ID_DIGITS
from taxgov.ledger.models import LEVY_NOTICES, AccountType, NoticeKind, TaxpayerKind, TinType
from taxgov.ledger.rules import Agency, rulebook
from taxgov.synthetic.people import Address, Business, Estate, Person
from taxgov.synthetic.population import HOME_STATE

ZERO = Decimal(0)
CENT = Decimal("0.01")
LETTERS_PER_TAXPAYER = 100  # Letter numbers are taxpayer slot * this + the taxpayer's nth letter
LETTER_SPACE = 10**LETTER_ID_DIGITS
_HALF = 10 ** (LETTER_ID_DIGITS // 2)

Subject = Person | Business | Estate


class PopulationLike(Protocol):
    """What the generator needs of a population: its seed and the people it refers to."""

    @property
    def seed(self) -> int: ...

    def person(self, index: int) -> Person: ...


# --- the history ----------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryAddress:
    kind: str  # AddressKind
    line1: str
    line2: str
    city: str
    state: str
    postal_code: str
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class HistoryContact:
    kind: str  # ContactKind
    value: str
    is_primary: bool
    added_on: dt.date


@dataclass(frozen=True)
class HistoryTaxpayer:
    kind: TaxpayerKind
    tin_type: TinType
    tin: str  # 9 digits
    first_name: str
    middle_name: str
    last_name: str
    suffix: str
    name: str  # businesses and estates
    date_of_birth: dt.date | None
    date_of_death: dt.date | None
    addresses: tuple[HistoryAddress, ...]  # oldest first
    contacts: tuple[HistoryContact, ...]
    responsible_party_tin: str = ""  # businesses and estates: their owner's or executor's SSN


@dataclass(frozen=True)
class HistoryReturn:
    """A return's key lines as filed (``models.TaxReturn``)."""

    form: str
    filed_on: dt.date
    filing_status: str
    adjusted_gross_income: Decimal | None
    taxable_income: Decimal | None
    total_tax: Decimal
    income_tax_after_credits: Decimal
    total_payments: Decimal

    @property
    def refund(self) -> Decimal:
        return max(self.total_payments - self.total_tax, ZERO)

    @property
    def balance_due(self) -> Decimal:
        return max(self.total_tax - self.total_payments, ZERO)


@dataclass(frozen=True)
class HistoryTransaction:
    code: str
    effective_date: dt.date
    amount: Decimal
    action_code: str
    number: int  # unique within the history: the idempotency key's suffix


@dataclass(frozen=True)
class HistoryNotice:
    kind: NoticeKind
    issued_on: dt.date
    amount: Decimal | None
    letter_id: str | None


@dataclass(frozen=True)
class HistoryPeriod:
    account_type: AccountType
    start: dt.date
    end: dt.date
    due_date: dt.date
    tax_return: HistoryReturn | None
    transactions: tuple[HistoryTransaction, ...]  # in posting order
    notices: tuple[HistoryNotice, ...]

    def module(self) -> engine.Module:
        """The engine's view, built as ``queries.module_of`` builds it from the stored rows."""
        levies = sorted(n.issued_on for n in self.notices if n.kind in LEVY_NOTICES)
        return engine.Module(
            due_date=self.due_date,
            filed_date=self.tax_return.filed_on if self.tax_return else None,
            postings=tuple(
                engine.Posting(t.code, t.effective_date, t.amount, t.action_code, key=t.number)
                for t in sorted(self.transactions, key=lambda t: t.effective_date)
            ),
            levy_notice_date=levies[0] if levies else None,
            individual=self.account_type == AccountType.INDIVIDUAL_INCOME,
        )


@dataclass(frozen=True)
class HistoryAccount:
    account_type: AccountType
    opened_on: dt.date
    periods: tuple[HistoryPeriod, ...]  # oldest first


@dataclass(frozen=True)
class HistoryInformationReturn:
    tax_year: int
    kind: str  # InformationReturnKind
    payer_name: str
    payer_tin: str
    income: Decimal
    withholding: Decimal  # the agency's own: federal or state income tax withheld
    boxes: dict[str, str]
    received_on: dt.date


@dataclass(frozen=True)
class History:
    """Everything one agency's ledger holds about one synthetic taxpayer."""

    agency: Agency
    key: str  # "p12", "b3" or "e0": unique in the population, part of every idempotency key
    profile: str
    taxpayer: HistoryTaxpayer
    accounts: tuple[HistoryAccount, ...]
    information_returns: tuple[HistoryInformationReturn, ...]

    def periods(self) -> Iterator[HistoryPeriod]:
        for account in self.accounts:
            yield from account.periods

    def idempotency_key(self, transaction: HistoryTransaction) -> str:
        return f"synthetic:{self.agency}:{self.key}:{transaction.number}"

    def payoff(self, as_of: dt.date) -> Payoff:
        """The total to pay off every period that owes, as ``queries.TaxpayerPayoff.total``."""
        rules = rulebook(self.agency)
        total = engine.zero_payoff(as_of)
        for period in self.periods():
            each = engine.payoff(rules, period.module(), as_of)
            if each.total > ZERO:
                total += each
        return total

    def returns(self, account_type: AccountType) -> list[tuple[int, HistoryReturn]]:
        """(tax year, return) of one account type, most recent first."""
        found = [
            (period.end.year, period.tax_return)
            for account in self.accounts
            if account.account_type == account_type
            for period in account.periods
            if period.tax_return is not None
        ]
        return sorted(found, key=lambda pair: pair[0], reverse=True)

    def letter_ids(self) -> list[str]:
        """The Letter IDs of the letters sent, most recent first."""
        letters = [n for period in self.periods() for n in period.notices if n.letter_id]
        return [n.letter_id for n in sorted(letters, key=lambda n: n.issued_on, reverse=True) if n.letter_id]


def history(
    agency: Agency, subject: Subject, population: PopulationLike, *, today: dt.date | None = None
) -> History | None:
    """The history of ``subject`` at ``agency`` as of ``today``, or None when the agency does not
    know it (the state knows only its residents and former residents who filed there)."""
    today = today or timezone.localdate()
    if isinstance(subject, Person):
        return _PersonHistory(agency, subject, population, today).build()
    if isinstance(subject, Business):
        return _BusinessHistory(agency, subject, population, today).build()
    return _EstateHistory(agency, subject, population, today).build()


def tin_of(subject: Subject) -> str:
    return subject.tin if isinstance(subject, Person) else subject.ein


def subject_key(subject: Subject) -> str:
    prefix = "p" if isinstance(subject, Person) else "b" if isinstance(subject, Business) else "e"
    return f"{prefix}{subject.index}"


def latest_tax_year(today: dt.date) -> int:
    """The most recent year whose individual returns were due before ``today``."""
    year = today.year - 1
    while _federal_due(year) >= today:
        year -= 1
    return year


# --- Letter IDs -----------------------------------------------------------------------


def letter_id(seed: int, number: int) -> str:
    """``L`` + 10 digits for the ``number``-th letter of the population: a keyed permutation of
    0..10^10-1 (a four-round Feistel network on two 5-digit halves), so distinct numbers give
    distinct IDs and neighbouring numbers give unrelated ones."""
    if not 0 <= number < LETTER_SPACE:
        raise ValueError(f"Letter number {number} is outside 0..{LETTER_SPACE - 1}.")
    key = hashlib.blake2b(f"taxgov-letter-ids:{seed}".encode(), digest_size=32).digest()
    left, right = divmod(number, _HALF)
    for round_number in range(4):
        mixed = hashlib.blake2b(f"{round_number}:{right}".encode(), key=key, digest_size=8).digest()
        left, right = right, (left + int.from_bytes(mixed, "big")) % _HALF
    return f"L{left * _HALF + right:0{LETTER_ID_DIGITS}d}"


def _slot(subject: Subject) -> int:
    kind = 0 if isinstance(subject, Person) else 1 if isinstance(subject, Business) else 2
    return subject.index * 3 + kind


# --- helpers ----------------------------------------------------------------------------


def _rng(*parts: object) -> random.Random:
    """A private, reproducible stream (``random`` seeds strings through SHA-512, not ``hash``)."""
    return random.Random(":".join(str(part) for part in parts))  # noqa: S311  (synthetic data, not secrets)


def _money(amount: float | Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP) + ZERO


def _dollars(amount: float | Decimal) -> Decimal:
    return Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP).quantize(CENT) + ZERO


@functools.cache
def _due(agency: Agency, account_type: AccountType, end: dt.date) -> dt.date:
    """``agencies.due_date``, remembered: a population asks for the same few thousand days."""
    return due_date(agency, account_type, end)


@functools.cache
def _forms(agency: Agency) -> dict[AccountType, str]:
    return {info.account_type: info.form for info in account_types(agency).values()}


def _federal_due(year: int) -> dt.date:
    return _due("federal", AccountType.INDIVIDUAL_INCOME, dt.date(year, 12, 31))


def _split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` in cents shared by ``weights``; the last share takes the rounding."""
    whole = sum(weights, ZERO)
    if not weights:
        return []
    if whole <= ZERO:
        return [ZERO] * (len(weights) - 1) + [total]
    shares = [_money(total * weight / whole) for weight in weights[:-1]]
    return [*shares, total - sum(shares, ZERO)]


# --- tax tables (simple, realistic: 2024 values indexed by the standard deduction) ----------

_STANDARD_SINGLE = {
    2018: 12000,
    2019: 12200,
    2020: 12400,
    2021: 12550,
    2022: 12950,
    2023: 13850,
    2024: 14600,
    2025: 15750,
}
_BRACKETS_2024 = {
    "single": (
        (11600, "0.10"),
        (47150, "0.12"),
        (100525, "0.22"),
        (191950, "0.24"),
        (243725, "0.32"),
        (609350, "0.35"),
    ),
    "married_joint": (
        (23200, "0.10"),
        (94300, "0.12"),
        (201050, "0.22"),
        (383900, "0.24"),
        (487450, "0.32"),
        (731200, "0.35"),
    ),
    "head_of_household": (
        (16550, "0.10"),
        (63100, "0.12"),
        (100500, "0.22"),
        (191950, "0.24"),
        (243700, "0.32"),
        (609350, "0.35"),
    ),
}
_TOP_RATE = Decimal("0.37")
_FIDUCIARY_2024 = ((3100, "0.10"), (11150, "0.24"), (15200, "0.35"))
_STANDARD_FACTOR = {"single": 1, "married_separate": 1, "married_joint": 2, "surviving_spouse": 2}
STATE_RATE = Decimal("0.05")
STATE_EXEMPTION = {"single": 4400, "married_separate": 4400, "head_of_household": 6800, "married_joint": 8800}
STATE_NO_TAX_LIMIT = {"single": 8000, "married_separate": 0, "head_of_household": 14400, "married_joint": 16400}
CORPORATE_RATE = Decimal("0.21")
STATE_EXCISE_RATE = Decimal("0.08")
STATE_EXCISE_MINIMUM = Decimal(456)
SALES_TAX_RATE = Decimal("0.0625")
SOCIAL_SECURITY_RATE = Decimal("0.062")
MEDICARE_RATE = Decimal("0.0145")
SELF_EMPLOYMENT_RATE = Decimal("0.153")


def _index(year: int) -> Decimal:
    """How far a year's thresholds moved from 2024's."""
    known = _STANDARD_SINGLE.get(year)
    if known is None:
        last = max(_STANDARD_SINGLE)
        known = int(_STANDARD_SINGLE[last] * 1.03 ** (year - last))
    return Decimal(known) / Decimal(_STANDARD_SINGLE[2024])


def standard_deduction(year: int, status: str) -> Decimal:
    base = _index(year) * _STANDARD_SINGLE[2024]
    if status == "head_of_household":
        return _dollars(base * Decimal("1.5"))
    return _dollars(base * _STANDARD_FACTOR[status])


def _bracket_tax(amount: Decimal, brackets: tuple[tuple[int, str], ...], factor: Decimal) -> Decimal:
    tax, floor = ZERO, ZERO
    for ceiling, rate in brackets:
        top = _dollars(Decimal(ceiling) * factor)
        if amount <= floor:
            break
        tax += (min(amount, top) - floor) * Decimal(rate)
        floor = top
    if amount > floor:
        tax += (amount - floor) * _TOP_RATE
    return _dollars(tax)


def federal_income_tax(year: int, status: str, taxable: Decimal) -> Decimal:
    table = "married_joint" if status == "surviving_spouse" else status
    brackets = _BRACKETS_2024.get(table, _BRACKETS_2024["single"])
    return _bracket_tax(taxable, brackets, _index(year))


def fiduciary_tax(year: int, taxable: Decimal) -> Decimal:
    return _bracket_tax(taxable, _FIDUCIARY_2024, _index(year))


# --- payers ---------------------------------------------------------------------------

_EMPLOYER_FIRST = (
    "Acorn Hill",
    "Bayside",
    "Cedar Point",
    "Driftwood",
    "Elm Street",
    "Foxglove",
    "Granite Ledge",
    "Harborview",
    "Ironwood",
    "Juniper",
    "Kestrel",
    "Lantern",
    "Maplewood",
    "Northgate",
    "Oakridge",
    "Pinecrest",
    "Quarry Road",
    "Riverbend",
    "Saltmarsh",
    "Tidewater",
    "Upland",
    "Valley Forge",
    "Willowbrook",
    "Yarrow",
)
_EMPLOYER_SECOND = (
    "Logistics",
    "Health Partners",
    "Software",
    "Builders",
    "Foods",
    "Manufacturing",
    "Retail Group",
    "Engineering",
    "Dental Care",
    "Hospitality",
    "Analytics",
    "Learning Center",
    "Print Works",
    "Auto Service",
    "Landscaping",
    "Pharmacy",
    "Credit Services",
    "Laboratories",
)
_EMPLOYER_SUFFIX = ("Inc.", "LLC", "Co.", "Corp.")
EMPLOYERS = len(_EMPLOYER_FIRST) * len(_EMPLOYER_SECOND) * len(_EMPLOYER_SUFFIX)
_BANKS = (
    "Harborview Savings Bank",
    "Three Rivers Credit Union",
    "Granite Ledge Trust Company",
    "Pioneer Mill Cooperative Bank",
    "Northfield Federal Savings",
    "Blue Heron Bank",
)
_BROKERS = ("Summit Crest Brokerage", "Evergreen Index Funds", "Lighthouse Investments", "Cobalt Street Securities")
_PENSIONS = ("Eastbrook Retirement Plan Services", "Cobblestone Annuity Company", "Pinecrest Pension Trust")
_PLATFORMS = ("QuickGig Marketplace Inc.", "Neighborly Tasks LLC", "Freelance Harbor Co.")
_LENDERS = ("Cornerstone Home Loans", "Bayside Mortgage Company", "Hearthstone Lending")
SOCIAL_SECURITY = "Social Security Administration"
UNEMPLOYMENT = "State Division of Unemployment Assistance"


def payer_ein(name: str) -> str:
    """A payer's EIN, from the never-issued ``00`` prefix, the same for the same name."""
    digest = hashlib.blake2b(f"payer:{name}".encode(), digest_size=8).digest()
    return f"00{int.from_bytes(digest, 'big') % 10**7:07d}"


def employer_name(number: int) -> str:
    first, rest = divmod(number, len(_EMPLOYER_SECOND) * len(_EMPLOYER_SUFFIX))
    second, suffix = divmod(rest, len(_EMPLOYER_SUFFIX))
    return f"{_EMPLOYER_FIRST[first]} {_EMPLOYER_SECOND[second]} {_EMPLOYER_SUFFIX[suffix]}"


# --- a person's economics (shared by both agencies) ----------------------------------------


@dataclass(frozen=True)
class _Slip:
    """An information return before each agency keeps its own withholding on it."""

    kind: str
    payer_name: str
    income: Decimal
    federal_withholding: Decimal
    state_withholding: Decimal
    boxes: dict[str, str]
    received_on: dt.date
    withholds: bool  # income tax can be withheld from it (W-2, 1099-R)


@dataclass(frozen=True)
class _Liability:
    agi: Decimal
    taxable_income: Decimal
    income_tax_after_credits: Decimal
    total_tax: Decimal
    withholding: Decimal = ZERO
    estimated: Decimal = ZERO  # paid as four TC 660
    refundable_credit: Decimal = ZERO  # TC 766

    @property
    def payments(self) -> Decimal:
        return self.withholding + self.estimated + self.refundable_credit


@dataclass(frozen=True)
class _TaxYear:
    year: int
    mode: str  # refund, paid, owe, plan, late or zero
    filing_status: str
    filed_on: dt.date
    resident: bool  # lived in the state at the end of the year (or at death)
    slips: tuple[_Slip, ...]
    federal: _Liability
    state: _Liability


# The profile's story year (the latest filed year) gets this mode; other years refund or pay.
_STORY_MODE = {"owes": "owe", "payment_plan": "plan", "late_filer": "late"}
_WITHHOLDING_SHARE = {
    "refund": (1.03, 1.30),
    "paid": (0.80, 0.97),
    "owe": (0.45, 0.85),
    "plan": (0.20, 0.60),
    "late": (0.30, 0.80),
}
_MINIMUM_BALANCE_MODES = ("paid", "owe", "plan", "late")


class _PersonEconomics:
    """Income, payers, filing status and filing dates of a person's years: the same for both agencies."""

    def __init__(self, person: Person, seed: int, today: dt.date) -> None:
        self.person = person
        self.seed = seed
        self.key = subject_key(person)
        self.profile = person.tax_profile or "refunds"
        rng = _rng(seed, self.key, "economics")
        self.span = rng.randint(4, 6)
        self.late_months = rng.randint(3, 9)
        married = rng.random()
        self.dependents = rng.choices((0, 1, 2, 3), (55, 20, 17, 8))[0]
        if married < 0.38:
            self.status = "married_joint"
        elif married < 0.40:
            self.status = "married_separate"
        elif married < 0.50 and self.dependents:
            self.status = "head_of_household"
        else:
            self.status = "single"
        self.wage = min(max(rng.lognormvariate(10.85, 0.55), 14000.0), 650000.0)
        self.retire_age = rng.randint(62, 70)
        self.employers = [rng.randrange(EMPLOYERS) for _ in range(2)]
        self.two_jobs = rng.random() < 0.3
        self.interest = rng.random() < 0.45
        self.dividends = rng.random() < 0.22
        self.gig = rng.random() < 0.10
        self.pays_estimates = rng.random() < 0.35
        self.pension = rng.random() < 0.6
        self.mortgage = rng.random() < 0.25
        self.bank = rng.choice(_BANKS)
        self.broker = rng.choice(_BROKERS)
        self.platform = rng.choice(_PLATFORMS)
        self.pension_payer = rng.choice(_PENSIONS)
        self.lender = rng.choice(_LENDERS)
        if self.profile == "zero_returns":
            self.status, self.dependents, self.wage = "single", 0, rng.uniform(3000, 7800)
            self.interest = self.dividends = self.gig = self.mortgage = self.pension = False
        elif self.profile in ("balance_paid", "owes", "payment_plan", "late_filer"):
            self.wage = max(self.wage, 42000.0)
            self.dependents = min(self.dependents, 1)
        if self.status == "head_of_household" and not self.dependents:
            self.status = "single"
        self.latest = latest_tax_year(today)
        self.today = today

    def years(self) -> list[_TaxYear]:
        person = self.person
        if self.profile == "non_filer":
            return []
        first = max(self.latest - self.span + 1, person.date_of_birth.year + 18)
        last = self.latest
        if person.date_of_death is not None:
            last = min(last, person.date_of_death.year)
        story = _STORY_MODE.get(self.profile)
        if story == "late":  # the latest year filed late long enough ago for the reminders to have gone out
            while last >= first and self._late_filing(last) > self.today - dt.timedelta(days=60):
                last -= 1
        years = []
        for year in range(first, last + 1):
            if self._address_at(dt.date(year, 12, 31)) is None:
                continue  # not in the country yet
            years.append(self._year(year, self._mode(year, story, last)))
        return years

    def _mode(self, year: int, story: str | None, last: int) -> str:
        if self.profile == "zero_returns":
            return "zero"
        if self.profile == "balance_paid":
            return "paid"
        if story is not None and year == last:
            return story
        if self.profile in ("refunds", "new_to_state"):
            return "refund"
        return "refund" if _rng(self.seed, self.key, year, "mode").random() < 0.7 else "paid"

    def _late_filing(self, year: int) -> dt.date:
        offset = _rng(self.seed, self.key, year, "late").randint(0, 27)
        return add_months(_federal_due(year), self.late_months) + dt.timedelta(days=offset)

    def _address_at(self, day: dt.date) -> str | None:
        for address in self.person.addresses:
            if address.valid_from <= day and (address.valid_to is None or day <= address.valid_to):
                return address.state
        return None

    def _year(self, year: int, mode: str) -> _TaxYear:
        rng = _rng(self.seed, self.key, year, "income")
        person = self.person
        age = year - person.date_of_birth.year
        growth = Decimal(1.03 ** (year - 2024) * rng.uniform(0.93, 1.08))
        retired = age >= self.retire_age
        slips: list[_Slip] = []
        received = dt.date(year + 1, 1, 31)
        wages = ZERO
        if not retired:
            wages = _money(Decimal(self.wage) * growth * (Decimal("0.6") if age < 24 else 1))
            if self.status == "married_joint" and self.profile != "zero_returns":
                wages = _money(wages * Decimal("1.6"))
        if wages:
            shares = [Decimal(1)]
            if self.two_jobs:
                shares = [Decimal(rng.uniform(0.55, 0.85))]
                shares.append(1 - shares[0])
            for number, share in enumerate(shares):
                slips.append(self._slip("W-2", employer_name(self.employers[number]), _money(wages * share), received))
        if retired and self.pension:
            slips.append(self._slip("1099-R", self.pension_payer, _dollars(rng.uniform(8000, 55000)), received))
        social_security = ZERO
        if age >= 62 and retired:
            social_security = _dollars(rng.uniform(14000, 38000) * float(growth))
            slips.append(self._slip("SSA-1099", SOCIAL_SECURITY, social_security, received, withholds=False))
        if self.interest:
            slips.append(self._slip("1099-INT", self.bank, _money(rng.lognormvariate(5.0, 1.2)), received, False))
        if self.dividends:
            slips.append(self._slip("1099-DIV", self.broker, _money(rng.lognormvariate(6.8, 1.1)), received, False))
        if self.gig or (mode in ("owe", "plan", "late") and rng.random() < 0.3):
            slips.append(self._slip("1099-NEC", self.platform, _dollars(rng.uniform(2500, 24000)), received, False))
        if rng.random() < (0.12 if year == 2020 else 0.02) and self.profile != "zero_returns":
            slips.append(self._slip("1099-G", UNEMPLOYMENT, _dollars(rng.uniform(2000, 14000)), received, False))
        if self.mortgage:
            slips.append(self._slip("1098", self.lender, _dollars(rng.uniform(2500, 18000)), received, False))
        federal, state = self._liabilities(year, slips, social_security)
        if mode in _MINIMUM_BALANCE_MODES and federal.total_tax - federal.refundable_credit < 800:
            # Too little tax to owe anything: a side business without withholding makes the story real.
            slips.append(self._slip("1099-NEC", self.platform, _dollars(rng.uniform(9000, 20000)), received, False))
            federal, state = self._liabilities(year, slips, social_security)
        slips, federal, state = self._payments(year, mode, slips, federal, state)
        return _TaxYear(
            year=year,
            mode=mode,
            filing_status=self.status,
            filed_on=self._filing_date(year, mode),
            resident=self._resident(year),
            slips=tuple(slips),
            federal=federal,
            state=state,
        )

    def _resident(self, year: int) -> bool:
        death = self.person.date_of_death
        day = death if death is not None and death.year == year else dt.date(year, 12, 31)
        return self._address_at(day) == HOME_STATE

    @staticmethod
    def _slip(kind: str, payer: str, income: Decimal, received: dt.date, withholds: bool | None = None) -> _Slip:
        if withholds is None:
            withholds = kind in ("W-2", "1099-R")
        return _Slip(kind, payer, income, ZERO, ZERO, {}, received, withholds)

    def _liabilities(self, year: int, slips: list[_Slip], social_security: Decimal) -> tuple[_Liability, _Liability]:
        income: dict[str, Decimal] = {}
        for slip in slips:
            income[slip.kind] = income.get(slip.kind, ZERO) + slip.income
        wages = income.get("W-2", ZERO)
        self_employment = income.get("1099-NEC", ZERO)
        se_tax = _dollars(self_employment * Decimal("0.9235") * SELF_EMPLOYMENT_RATE) if self_employment > 400 else ZERO
        other = sum((income.get(k, ZERO) for k in ("1099-INT", "1099-DIV", "1099-R", "1099-G")), ZERO)
        before_ss = wages + self_employment - _dollars(se_tax / 2) + other
        base = Decimal(32000 if self.status == "married_joint" else 25000)
        taxable_ss = min(social_security * Decimal("0.85"), max(ZERO, (before_ss + social_security / 2 - base) / 2))
        agi = _dollars(before_ss + taxable_ss)
        taxable = max(ZERO, agi - standard_deduction(year, self.status))
        income_tax = federal_income_tax(year, self.status, taxable)
        child_credit = Decimal(2000 * self.dependents)
        used = min(child_credit, income_tax)
        refundable = min(
            child_credit - used, Decimal(1700 * self.dependents), max(ZERO, (wages - 2500) * Decimal("0.15"))
        )
        after_credits = income_tax - used
        federal = _Liability(
            agi, taxable, after_credits, after_credits + se_tax, refundable_credit=_dollars(refundable)
        )
        state_agi = _dollars(agi - taxable_ss)
        exemption = Decimal(STATE_EXEMPTION.get(self.status, 4400) + 1000 * self.dependents)
        no_tax = Decimal(STATE_NO_TAX_LIMIT.get(self.status, 0) + (1000 * self.dependents if self.dependents else 0))
        state_taxable = ZERO if state_agi <= no_tax else max(ZERO, state_agi - exemption)
        state_tax = _dollars(state_taxable * STATE_RATE)
        return federal, _Liability(state_agi, state_taxable, state_tax, state_tax)

    def _payments(
        self, year: int, mode: str, slips: list[_Slip], federal: _Liability, state: _Liability
    ) -> tuple[list[_Slip], _Liability, _Liability]:
        """Withholding and estimated payments that make the year's story: a refund, a small
        balance paid with the return, or a balance left unpaid. People with side or investment
        income pay part of it in quarterly estimates; without a wage or pension, all of it."""
        rng = _rng(self.seed, self.key, year, "withholding")
        carriers = [s for s in slips if s.withholds]
        estimates = self.pays_estimates and any(s.kind in ("1099-NEC", "1099-DIV") for s in slips)
        paid: list[tuple[Decimal, Decimal]] = []  # (withheld, estimated) for federal, then state
        for liability, base in ((federal, 300), (state, 80)):
            if mode == "zero":
                paid.append((ZERO, ZERO))
                continue
            low, high = _WITHHOLDING_SHARE[mode]
            due = max(liability.total_tax - liability.refundable_credit, ZERO)
            amount = Decimal(rng.uniform(low, high)) * due
            if mode == "refund":
                amount += Decimal(rng.uniform(0, base * 3))
            amount = _money(amount)
            estimated = _money(amount * Decimal(rng.uniform(0.3, 0.6))) if estimates else ZERO
            paid.append((amount - estimated, estimated) if carriers else (ZERO, amount))
        weights = [s.income for s in carriers]
        shares = zip(carriers, _split(paid[0][0], weights), _split(paid[1][0], weights), strict=True)
        withheld = {id(slip): (f, st) for slip, f, st in shares}
        final = []
        for slip in slips:
            f, st = withheld.get(id(slip), (ZERO, ZERO))
            final.append(
                dataclasses.replace(slip, federal_withholding=f, state_withholding=st, boxes=_boxes(slip, f, st))
            )
        federal = dataclasses.replace(federal, withholding=paid[0][0], estimated=paid[0][1])
        state = dataclasses.replace(state, withholding=paid[1][0], estimated=paid[1][1])
        return final, federal, state

    def _filing_date(self, year: int, mode: str) -> dt.date:
        rng = _rng(self.seed, self.key, year, "filing")
        due = _federal_due(year)
        if mode == "late":
            return self._late_filing(year)
        if mode in ("refund", "zero"):
            day = dt.date(year + 1, 1, 27) + dt.timedelta(days=rng.randint(0, 70))
        else:
            day = dt.date(year + 1, 2, 20) + dt.timedelta(days=rng.randint(0, 60))
        return min(day, due)


def _boxes(slip: _Slip, federal: Decimal, state: Decimal) -> dict[str, str]:
    if slip.kind == "W-2":
        social = min(slip.income, Decimal(168600))
        return {
            "1": str(slip.income),
            "2": str(federal),
            "3": str(social),
            "4": str(_money(social * SOCIAL_SECURITY_RATE)),
            "5": str(slip.income),
            "6": str(_money(slip.income * MEDICARE_RATE)),
            "15": HOME_STATE,
            "16": str(slip.income),
            "17": str(state),
        }
    if slip.kind == "1099-R":
        return {"1": str(slip.income), "2a": str(slip.income), "4": str(federal), "14": str(state), "15": HOME_STATE}
    if slip.kind == "1099-DIV":
        return {"1a": str(slip.income), "1b": str(_money(slip.income * Decimal("0.8")))}
    if slip.kind == "1099-INT":
        return {"1": str(slip.income)}
    if slip.kind == "1099-NEC":
        return {"1": str(slip.income)}
    if slip.kind == "1099-G":
        return {"1": str(slip.income)}
    if slip.kind == "SSA-1099":
        return {"5": str(slip.income)}
    return {"1": str(slip.income)}


# --- postings and notices of one period ------------------------------------------------------


class _Letters:
    """A taxpayer's letters in order; the nth gets the Letter ID of global number slot * 100 + n."""

    def __init__(self, seed: int, slot: int) -> None:
        self.seed = seed
        self.base = slot * LETTERS_PER_TAXPAYER
        self.count = 0

    def next_id(self) -> str:
        if self.count >= LETTERS_PER_TAXPAYER:
            raise ValueError(f"More than {LETTERS_PER_TAXPAYER} letters for one taxpayer.")
        self.count += 1
        return letter_id(self.seed, self.base + self.count - 1)


class _PeriodBuilder:
    """One period's return, postings and notices, kept to what had happened by ``today``."""

    def __init__(self, owner: _Builder, account_type: AccountType, start: dt.date, end: dt.date) -> None:
        self.owner = owner
        self.account_type = account_type
        self.start, self.end = start, end
        self.due = _due(owner.agency, account_type, end)
        self.tax_return: HistoryReturn | None = None
        self.transactions: list[HistoryTransaction] = []
        self.notices: list[HistoryNotice] = []

    def period(self) -> HistoryPeriod:
        return HistoryPeriod(
            self.account_type,
            self.start,
            self.end,
            self.due,
            self.tax_return,
            tuple(self.transactions),
            tuple(self.notices),
        )

    def payoff(self, as_of: dt.date) -> Payoff:
        return engine.payoff(self.owner.rules, self.period().module(), as_of)

    def post(self, code: str, day: dt.date, amount: Decimal, action_code: str = "") -> None:
        if day <= self.owner.today:
            self.transactions.append(HistoryTransaction(code, day, amount, action_code, next(self.owner.numbers)))

    def notify(self, kind: NoticeKind, day: dt.date, *, amount: Decimal | None = None) -> None:
        """Send a notice of the balance on ``day`` (or of ``amount``); state letters carry a Letter ID."""
        if day > self.owner.today:
            return
        if amount is None:
            amount = self.payoff(day).display()["total"]
        letter = self.owner.letters.next_id() if self.owner.agency == "state" else None
        self.notices.append(HistoryNotice(kind, day, amount, letter))

    def file(
        self, form: str, filed_on: dt.date, liability: _Liability, status: str = "", *, lines: bool = True
    ) -> None:
        """The return as filed, and its tax assessed (TC 150) on the day it was filed."""
        self.tax_return = HistoryReturn(
            form=form,
            filed_on=filed_on,
            filing_status=status,
            adjusted_gross_income=liability.agi if lines else None,
            taxable_income=liability.taxable_income if lines else None,
            total_tax=liability.total_tax,
            income_tax_after_credits=liability.income_tax_after_credits,
            total_payments=liability.payments,
        )
        self.post("150", filed_on, liability.total_tax)

    def credits(self, liability: _Liability, on: dt.date, estimated_on: list[dt.date]) -> None:
        """Withholding and refundable credits on ``on``; estimated payments on their own days."""
        if liability.withholding:
            self.post("806", on, -liability.withholding)
        if liability.refundable_credit:
            self.post("766", on, -liability.refundable_credit)
        if liability.estimated:
            shares = _split(liability.estimated, [Decimal(1)] * len(estimated_on))
            for day, share in zip(estimated_on, shares, strict=True):
                if share:
                    self.post("660", day, -share)

    def settle(self, filed_on: dt.date, liability: _Liability, refund_days: int) -> None:
        """Refund what was overpaid, or pay the balance with the return on the due date."""
        difference = liability.payments - liability.total_tax
        if difference > ZERO:
            refunded_on = filed_on + dt.timedelta(days=refund_days)
            self.post("846", refunded_on, difference)
            if self.owner.agency == "state":
                self.notify(NoticeKind.STATE_REFUND, refunded_on, amount=difference)
        elif difference < ZERO:
            self.post("610", max(filed_on, self.due), difference)

    def collect(self, mode: str, filed_on: dt.date, rng: random.Random) -> None:
        """After a balance went unpaid: the notices, and for a plan the agreement and its payments."""
        state = self.owner.agency == "state"
        first = filed_on + dt.timedelta(days=rng.randint(21, 35))
        if mode == "late":
            self.assess_late_filing(filed_on)
        if mode == "plan":
            self.notify(NoticeKind.STATE_ASSESSMENT if state else NoticeKind.BALANCE_DUE, first)
            self.installment_agreement(first, rng)
            return
        if state:
            schedule = [NoticeKind.STATE_ASSESSMENT, NoticeKind.STATE_STATEMENT]
            if mode == "late":
                schedule.append(NoticeKind.STATE_STATEMENT)
        else:
            schedule = [NoticeKind.BALANCE_DUE, NoticeKind.REMINDER, NoticeKind.SECOND_REMINDER]
            if mode == "late":
                schedule += [NoticeKind.INTENT_TO_LEVY, NoticeKind.FINAL_INTENT_TO_LEVY]
        day = first
        for kind in schedule:
            self.notify(kind, day)
            day += dt.timedelta(days=rng.randint(33, 42))

    def assess_late_filing(self, filed_on: dt.date) -> None:
        """Assess at filing what the rules accrued by then: failure to file (TC 166), failure to
        pay (TC 276) and interest (TC 196). The engine run as if filed on time accrues the same
        failure-to-pay penalty and no failure-to-file penalty, which splits the penalties by kind."""
        module = self.period().module()
        actual = engine.payoff(self.owner.rules, module, filed_on)
        on_time = engine.payoff(self.owner.rules, dataclasses.replace(module, filed_date=self.due), filed_on)
        failure_to_pay = engine.cents(on_time.accrued_penalties)
        failure_to_file = engine.cents(actual.accrued_penalties) - failure_to_pay
        interest = engine.cents(actual.accrued_interest)
        for code, amount in (("166", failure_to_file), ("276", failure_to_pay), ("196", interest)):
            if amount > ZERO:
                self.post(code, filed_on, amount)

    def installment_agreement(self, billed_on: dt.date, rng: random.Random) -> None:
        """TC 971 AC 043 (requested) and AC 063 (established), then a payment on the plan day each
        month, sized so the plan is still running today."""
        today = self.owner.today
        requested = billed_on + dt.timedelta(days=rng.randint(7, 20))
        established = requested + dt.timedelta(days=rng.randint(10, 25))
        self.post("971", requested, ZERO, "043")
        self.post("971", established, ZERO, "063")
        if established > today:
            return
        months_left = (today.year - established.year) * 12 + today.month - established.month + 6
        term = max(rng.choice((24, 36, 48, 60, 72)), months_left)
        installment = (self.payoff(established).total / term).quantize(Decimal(1), rounding=ROUND_CEILING)
        plan_day = rng.randint(1, 28)
        for month in itertools.count(1):
            first_of_month = add_months(established.replace(day=1), month)
            pay_on = first_of_month.replace(day=plan_day)
            if pay_on > today:
                break
            if self.owner.agency == "federal":
                self.notify(NoticeKind.INSTALLMENT_AGREEMENT, pay_on - dt.timedelta(days=21))
            self.post("670", pay_on, -installment.quantize(CENT))


class _Builder:
    """What every kind of history shares: the agency's rules and the numbering of entries and letters."""

    def __init__(self, agency: Agency, subject: Subject, population: PopulationLike, today: dt.date) -> None:
        self.agency: Agency = agency
        self.population = population
        self.seed = population.seed
        self.today = today
        self.rules = rulebook(agency)
        self.key = subject_key(subject)
        self.rng = _rng(self.seed, agency, self.key)
        self.numbers = itertools.count(1)
        self.letters = _Letters(self.seed, _slot(subject))
        self.forms = _forms(agency)
        self.latest = latest_tax_year(today)

    def period(self, account_type: AccountType, start: dt.date, end: dt.date) -> _PeriodBuilder:
        return _PeriodBuilder(self, account_type, start, end)

    def done(self, builders: list[_PeriodBuilder]) -> HistoryAccount | None:
        """The account of these periods, leaving out any whose return was not filed by today."""
        periods = [b.period() for b in builders if b.tax_return is not None and b.tax_return.filed_on <= self.today]
        if not periods:
            return None
        return HistoryAccount(periods[0].account_type, periods[0].start, tuple(periods))

    def refund_days(self) -> int:
        return self.rng.randint(10, 24) if self.agency == "federal" else self.rng.randint(14, 40)

    def history(
        self,
        subject: Subject,
        taxpayer: HistoryTaxpayer,
        accounts: list[HistoryAccount | None],
        information_returns: tuple[HistoryInformationReturn, ...] = (),
    ) -> History:
        return History(
            agency=self.agency,
            key=self.key,
            profile=subject.tax_profile or "refunds",
            taxpayer=taxpayer,
            accounts=tuple(account for account in accounts if account is not None),
            information_returns=information_returns,
        )


def _history_address(address: Address) -> HistoryAddress:
    return HistoryAddress(
        "mailing",
        address.line1,
        address.line2,
        address.city,
        address.state,
        address.postal_code,
        address.valid_from,
        address.valid_to,
    )


def _contacts(person: Person, *, since: dt.date | None = None) -> tuple[HistoryContact, ...]:
    """The person's phones (the first mobile is primary) and email; for an entity, from ``since``."""
    primary = next((phone for phone in person.phones if phone.kind == "mobile"), None)
    contacts = [
        HistoryContact(phone.kind, phone.number, phone is primary, max(phone.owned_since, since or phone.owned_since))
        for phone in person.phones
    ]
    email_since = person.addresses[0].valid_from
    contacts.append(HistoryContact("email", person.email, True, max(email_since, since or email_since)))
    return tuple(contacts)


def _entity_taxpayer(
    kind: TaxpayerKind, ein: str, name: str, address: Address, contact: Person, since: dt.date
) -> HistoryTaxpayer:
    return HistoryTaxpayer(
        kind=kind,
        tin_type=TinType.EIN,
        tin=ein,
        first_name="",
        middle_name="",
        last_name="",
        suffix="",
        name=name,
        date_of_birth=None,
        date_of_death=None,
        addresses=(_history_address(address),),
        contacts=_contacts(contact, since=since),
        responsible_party_tin=contact.tin,
    )


def _estimated_days(year: int) -> list[dt.date]:
    return [dt.date(year, 4, 15), dt.date(year, 6, 15), dt.date(year, 9, 15), dt.date(year + 1, 1, 15)]


# --- people ---------------------------------------------------------------------------------


class _PersonHistory(_Builder):
    def __init__(self, agency: Agency, person: Person, population: PopulationLike, today: dt.date) -> None:
        super().__init__(agency, person, population, today)
        self.person = person

    def build(self) -> History | None:
        person = self.person
        economics = _PersonEconomics(person, self.seed, self.today)
        years = economics.years()
        if self.agency == "state":
            if economics.profile == "new_to_state":
                return None
            years = [year for year in years if year.resident]
            if not years and person.current_address.state != HOME_STATE:
                return None
        taxpayer = HistoryTaxpayer(
            kind=TaxpayerKind.INDIVIDUAL,
            tin_type=TinType(person.tin_type),
            tin=person.tin,
            first_name=person.first_name,
            middle_name=person.middle_name,
            last_name=person.last_name,
            suffix=person.suffix,
            name="",
            date_of_birth=person.date_of_birth,
            date_of_death=person.date_of_death,
            addresses=tuple(_history_address(address) for address in person.addresses),
            contacts=_contacts(person),
        )
        slips = tuple(
            self._information_return(year.year, slip)
            for year in years
            for slip in year.slips
            if self.agency == "federal" or slip.kind != "SSA-1099"
        )
        return self.history(person, taxpayer, [self.done([self._year(year) for year in years])], slips)

    def _information_return(self, year: int, slip: _Slip) -> HistoryInformationReturn:
        withholding = slip.federal_withholding if self.agency == "federal" else slip.state_withholding
        return HistoryInformationReturn(
            tax_year=year,
            kind=slip.kind,
            payer_name=slip.payer_name,
            payer_tin=payer_ein(slip.payer_name),
            income=slip.income,
            withholding=withholding,
            boxes=slip.boxes,
            received_on=slip.received_on,
        )

    def _year(self, year: _TaxYear) -> _PeriodBuilder:
        builder = self.period(AccountType.INDIVIDUAL_INCOME, dt.date(year.year, 1, 1), dt.date(year.year, 12, 31))
        liability = year.federal if self.agency == "federal" else year.state
        late = year.mode == "late"
        filed_on = year.filed_on if late else min(year.filed_on, builder.due)
        builder.file(self.forms[AccountType.INDIVIDUAL_INCOME], filed_on, liability, year.filing_status)
        # Withholding is deemed paid on the due date; a timely return's credits post with it.
        builder.credits(liability, builder.due if late else filed_on, _estimated_days(year.year))
        if year.mode in ("owe", "plan", "late") and liability.total_tax > liability.payments:
            builder.collect(year.mode, filed_on, _rng(self.seed, self.agency, self.key, year.year))
        else:
            builder.settle(filed_on, liability, self.refund_days())
        return builder


# --- businesses -------------------------------------------------------------------------------


class _BusinessHistory(_Builder):
    def __init__(self, agency: Agency, business: Business, population: PopulationLike, today: dt.date) -> None:
        super().__init__(agency, business, population, today)
        self.business = business
        rng = _rng(self.seed, self.key, "economics")
        self.revenue = rng.lognormvariate(13.2, 0.9)
        self.margin = rng.uniform(0.03, 0.18)
        self.average_wage = rng.uniform(32000, 78000)
        self.withholding_rate = Decimal(rng.uniform(0.09, 0.16))
        self.sells = rng.random() < 0.45
        self.span = rng.randint(4, 6)

    def build(self) -> History | None:
        business = self.business
        if self.agency == "state" and business.address.state != HOME_STATE:
            return None
        owes = business.tax_profile == "business_owes"
        annual = {
            "corporation": AccountType.BUSINESS_INCOME,
            "partnership": AccountType.PARTNERSHIP,
            "llc": AccountType.PARTNERSHIP,
        }.get(business.entity_type)
        sales = self.sells and AccountType.SALES in self.forms
        owing: AccountType | None = None  # the account a business that owes leaves unpaid
        if business.employees:
            owing = AccountType.WITHHOLDING
        elif annual == AccountType.BUSINESS_INCOME:
            owing = annual
        elif sales:
            owing = AccountType.SALES
        accounts = []
        if annual is not None:
            first = max(self.latest - self.span + 1, business.formed_on.year)
            builders = [self._annual(annual, year, owes and owing == annual) for year in range(first, self.latest + 1)]
            accounts.append(self.done(builders))
        if business.employees:
            accounts.append(self._short_account(AccountType.WITHHOLDING, 2, owes and owing == AccountType.WITHHOLDING))
        if sales:
            accounts.append(self._short_account(AccountType.SALES, 1, owes and owing == AccountType.SALES))
        taxpayer = _entity_taxpayer(
            TaxpayerKind.BUSINESS,
            business.ein,
            business.name,
            business.address,
            self.population.person(business.owner_index),
            business.formed_on,
        )
        return self.history(business, taxpayer, accounts)

    def _annual(self, account_type: AccountType, year: int, unpaid: bool) -> _PeriodBuilder:
        """An income (1120 / Form 355) or partnership (1065 / Form 3) return for a calendar year."""
        start = max(dt.date(year, 1, 1), self.business.formed_on)
        builder = self.period(account_type, start, dt.date(year, 12, 31))
        rng = _rng(self.seed, self.agency, self.key, year)
        profit = _dollars(
            Decimal(self.revenue * self.margin * _rng(self.seed, self.key, year, "profit").uniform(0.6, 1.3))
        )
        filed_on = builder.due - dt.timedelta(days=rng.randint(0, 40))
        form = self.forms[account_type]
        if account_type == AccountType.PARTNERSHIP:  # income passes through to the partners
            builder.file(form, filed_on, _Liability(profit, profit, ZERO, ZERO))
            return builder
        if self.agency == "federal":
            tax = _dollars(profit * CORPORATE_RATE)
        else:
            tax = max(_dollars(profit * STATE_EXCISE_RATE), STATE_EXCISE_MINIMUM)
        share = rng.uniform(0.35, 0.7) if unpaid and year == self.latest else rng.uniform(0.85, 1.15)
        liability = _Liability(profit, profit, tax, tax, estimated=_money(tax * Decimal(share)))
        builder.file(form, filed_on, liability)
        builder.credits(liability, filed_on, [dt.date(year, month, 15) for month in (4, 6, 9, 12)])
        if liability.total_tax > liability.payments and unpaid and year == self.latest:
            builder.collect("owe", filed_on, rng)
        else:
            builder.settle(filed_on, liability, self.refund_days())
        return builder

    def _short_account(self, account_type: AccountType, years_back: int, unpaid_latest: bool) -> HistoryAccount | None:
        """Quarterly withholding or monthly sales returns of the last few years, each paid in full
        (federal withholding by monthly deposits, the rest with the return) except, for a
        business that owes, the latest."""
        spans = list(self._short_periods(account_type, self.latest - years_back))
        deposits = self.agency == "federal" and account_type == AccountType.WITHHOLDING
        builders = []
        for position, (start, end, rng) in enumerate(spans):
            builder = self.period(account_type, start, end)
            tax = self._short_period_tax(account_type, rng)
            unpaid = unpaid_latest and position == len(spans) - 1
            paid = _money(tax * Decimal(rng.uniform(0.3, 0.7))) if unpaid else tax
            filed_on = builder.due - dt.timedelta(days=rng.randint(0, 10))
            builder.file(
                self.forms[account_type],
                filed_on,
                _Liability(ZERO, ZERO, tax, tax, estimated=paid if deposits else ZERO),
                lines=False,
            )
            if deposits:
                months = [add_months(start.replace(day=1), n).replace(day=15) for n in (1, 2, 3)]
                for day, share in zip(months, _split(paid, [Decimal(1)] * 3), strict=True):
                    if share:
                        builder.post("650", day, -share)
            elif paid:
                builder.post("610", filed_on, -paid)
            if unpaid:
                builder.collect("owe", filed_on, rng)
            builders.append(builder)
        return self.done(builders)

    def _short_period_tax(self, account_type: AccountType, rng: random.Random) -> Decimal:
        if account_type == AccountType.SALES:
            taxable = Decimal(self.revenue / 12 * 0.6 * rng.uniform(0.7, 1.3))
            return _money(taxable * SALES_TAX_RATE)
        wages = Decimal(self.business.employees * self.average_wage / 4 * rng.uniform(0.9, 1.1))
        if self.agency == "federal":
            return _money(wages * (self.withholding_rate + 2 * (SOCIAL_SECURITY_RATE + MEDICARE_RATE)))
        return _money(wages * Decimal("0.045"))

    def _short_periods(
        self, account_type: AccountType, from_year: int
    ) -> Iterator[tuple[dt.date, dt.date, random.Random]]:
        """Quarters or months from ``from_year`` (or formation) whose returns were due before today,
        each with its own stream, so a period's figures do not depend on how many follow it."""
        formed = self.business.formed_on
        for year in range(max(from_year, formed.year), self.today.year + 1):
            for start, end in periods_of_year(self.agency, account_type, year):
                if end < formed or _due(self.agency, account_type, end) >= self.today:
                    continue
                yield max(start, formed), end, _rng(self.seed, self.agency, self.key, account_type.value, end)


# --- estates ----------------------------------------------------------------------------------


class _EstateHistory(_Builder):
    def __init__(self, agency: Agency, estate: Estate, population: PopulationLike, today: dt.date) -> None:
        super().__init__(agency, estate, population, today)
        self.estate = estate

    def build(self) -> History | None:
        """Fiduciary returns (1041 / Form 2) from the year of death until the estate winds up,
        taxing the income of its bank and brokerage accounts, each paid with the return."""
        estate = self.estate
        if self.agency == "state" and estate.address.state != HOME_STATE:
            return None
        assets = _rng(self.seed, self.key, "economics").uniform(150000, 1500000)
        builders = []
        slips: list[HistoryInformationReturn] = []
        for year in range(estate.formed_on.year, min(self.latest, estate.formed_on.year + 2) + 1):
            rng = _rng(self.seed, self.key, year, "income")
            start = max(dt.date(year, 1, 1), estate.formed_on)
            share = Decimal((dt.date(year, 12, 31) - start).days + 1) / 365
            interest = _money(Decimal(assets * rng.uniform(0.01, 0.03)) * share)
            dividends = _money(Decimal(assets * rng.uniform(0.005, 0.02)) * share)
            received = dt.date(year + 1, 1, 31)
            for kind, payer, amount, box in (
                ("1099-INT", _BANKS[estate.index % len(_BANKS)], interest, "1"),
                ("1099-DIV", _BROKERS[estate.index % len(_BROKERS)], dividends, "1a"),
            ):
                slips.append(
                    HistoryInformationReturn(
                        year, kind, payer, payer_ein(payer), amount, ZERO, {box: str(amount)}, received
                    )
                )
            income = _dollars(interest + dividends)
            builder = self.period(AccountType.FIDUCIARY, start, dt.date(year, 12, 31))
            if self.agency == "federal":
                taxable = max(ZERO, income - 600)
                tax = fiduciary_tax(year, taxable)
            else:
                taxable = income
                tax = _dollars(taxable * STATE_RATE)
            liability = _Liability(income, taxable, tax, tax)
            filed_on = builder.due - dt.timedelta(days=self.rng.randint(3, 45))
            builder.file(self.forms[AccountType.FIDUCIARY], filed_on, liability)
            builder.settle(filed_on, liability, self.refund_days())
            builders.append(builder)
        executor = self.population.person(estate.executor_index)
        taxpayer = _entity_taxpayer(
            TaxpayerKind.ESTATE, estate.ein, estate.name, estate.address, executor, estate.formed_on
        )
        return self.history(estate, taxpayer, [self.done(builders)], tuple(slips))
