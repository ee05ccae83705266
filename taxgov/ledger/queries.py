"""Reads of the ledger: balances, payoffs, how a payment would apply, transcript rows.

Every function here runs a fixed number of queries whatever the size of the history: the
transactions of a taxpayer are read at most once and the engine does the rest in memory.
Payoffs are cached (ADR 0034), so a page that shows amounts only need not read them at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Prefetch, QuerySet, Sum, prefetch_related_objects
from django.utils.functional import Promise

from taxgov.ledger import codes, engine
from taxgov.ledger.agencies import current_rules
from taxgov.ledger.engine import ZERO, Payoff
from taxgov.ledger.identifiers import tin_fingerprint
from taxgov.ledger.models import (
    LEVY_NOTICES,
    Address,
    AddressKind,
    Notice,
    ReturnKind,
    TaxAccount,
    Taxpayer,
    TaxPeriod,
    TaxReturn,
    Transaction,
)
from taxgov.ledger.rules import RuleBook


def postings_in_order() -> Prefetch[str, QuerySet[Transaction]]:
    """A period's transactions in date order, into the default ``transactions`` cache (what
    ``module_of`` and ``transcript_rows(period.transactions.all())`` read)."""
    return Prefetch("transactions", queryset=Transaction.objects.order_by("effective_date", "id"))


def with_module_facts(periods: QuerySet[TaxPeriod]) -> QuerySet[TaxPeriod]:
    """``periods`` with all that ``module_facts`` reads loaded: the account, the original
    returns and the levy notices."""
    return periods.select_related("account").prefetch_related(
        Prefetch("returns", queryset=TaxReturn.objects.filter(kind=ReturnKind.ORIGINAL), to_attr="original_returns"),
        Prefetch(
            "notices",
            queryset=Notice.objects.filter(kind__in=LEVY_NOTICES).order_by("issued_on"),
            to_attr="levy_notices",
        ),
    )


def with_module_history(periods: QuerySet[TaxPeriod]) -> QuerySet[TaxPeriod]:
    """``periods`` with all that ``module_of`` reads loaded, so a payoff runs no query of its
    own: the module's facts and the transactions in date order."""
    return with_module_facts(periods).prefetch_related(postings_in_order())


def _periods_of(taxpayer: Taxpayer) -> QuerySet[TaxPeriod]:
    return TaxPeriod.objects.filter(account__taxpayer=taxpayer).order_by("end", "account__account_type")


def periods_with_history(taxpayer: Taxpayer) -> list[TaxPeriod]:
    """The taxpayer's periods, oldest first, with transactions, original returns and levy notices loaded."""
    return list(with_module_history(_periods_of(taxpayer)))


def module_facts(period: TaxPeriod) -> engine.Module:
    """A stored period's module without its postings: every other fact its payoff depends on,
    all of which can change without a new posting (uses prefetched relations when present)."""
    originals = getattr(period, "original_returns", None)
    if originals is None:
        originals = list(period.returns.filter(kind=ReturnKind.ORIGINAL))
    levies = getattr(period, "levy_notices", None)
    if levies is None:
        levies = list(period.notices.filter(kind__in=LEVY_NOTICES).order_by("issued_on"))
    return engine.Module(
        due_date=period.due_date,
        filed_date=originals[0].filed_on if originals else None,
        postings=(),
        levy_notice_date=levies[0].issued_on if levies else None,
        individual=period.account.account_type == "individual_income",
    )


def module_of(period: TaxPeriod) -> engine.Module:
    """The engine's view of a stored period (uses prefetched relations when present)."""
    return _with_postings(module_facts(period), period.transactions.all())


def _with_postings(facts: engine.Module, transactions: Iterable[Transaction]) -> engine.Module:
    return dataclasses.replace(
        facts,
        postings=tuple(
            engine.Posting(
                code=t.code,
                day=t.effective_date,
                amount=t.amount,
                action_code=t.action_code,
                key=t.pk,
                reverses=t.reverses_id,
            )
            for t in transactions
        ),
    )


PAYOFF_CACHE_SECONDS = 2 * 24 * 3600  # a key names its day: older ones are never asked for again


def payoffs(rules: RuleBook, modules: Sequence[engine.Module], as_of: dt.date) -> list[Payoff]:
    """``engine.payoff`` of each module, through the cache. A payoff is a pure function of the
    rules, the module (its facts and every posting) and the day, so a key made of those three
    can never be stale: a new posting (the ledger only appends) or a new rule makes a new key.
    Any module will do, even one no period has; a stored period's is cheaper by ``period_payoffs``."""
    keys = [_payoff_key(rules, module, as_of) for module in modules]
    found = cache.get_many(keys)
    computed: dict[str, Payoff] = {}
    result = []
    for key, module in zip(keys, modules, strict=True):
        payoff = found.get(key)
        if payoff is None:
            payoff = computed[key] = engine.payoff(rules, module, as_of)
        result.append(payoff)
    if computed:
        cache.set_many(computed, PAYOFF_CACHE_SECONDS)
    return result


def _payoff_key(rules: RuleBook, module: engine.Module, as_of: dt.date) -> str:
    digest = hashlib.sha256(f"{rules.agency}|{rules.version}|{as_of.isoformat()}|{module!r}".encode())
    return f"ledger:payoff:{digest.hexdigest()}"


@dataclass(frozen=True)
class PostingsMark:
    """What names the set of a period's postings without reading them (ADR 0034, "Keys without
    the postings"): postings are only ever added, so their count names the set; the highest id
    and the latest posting time tell it from a set that lost a posting to a rollback and then
    gained another."""

    count: int
    last_id: int | None
    last_posted_at: dt.datetime | None

    @classmethod
    def of(cls, transactions: Sequence[Transaction]) -> PostingsMark:
        return cls(
            len(transactions),
            max((t.pk for t in transactions), default=None),
            max((t.posted_at for t in transactions), default=None),
        )

    @classmethod
    def annotated(cls, period: TaxPeriod) -> PostingsMark:
        """The mark ``with_postings_marks`` counted in the database."""
        return cls(period.postings_count, period.last_posting_id, period.last_posted_at)  # type: ignore[attr-defined]


def with_postings_marks(periods: QuerySet[TaxPeriod]) -> QuerySet[TaxPeriod]:
    """``periods`` with their ``PostingsMark`` counted in the same query."""
    return periods.annotate(
        postings_count=Count("transactions"),
        last_posting_id=Max("transactions__id"),
        last_posted_at=Max("transactions__posted_at"),
    )


def period_payoffs(periods: Sequence[TaxPeriod], marks: Sequence[PostingsMark], as_of: dt.date) -> list[Payoff]:
    """``engine.payoff`` of stored periods through the cache, each looked up by its facts and the
    mark of its postings; only the periods missed have their postings read (one query, none for
    periods loaded with them). A miss is stored under the mark of the postings it was computed
    from, which may be newer than the one looked up, and only once they are committed."""
    rules = current_rules()
    facts = [module_facts(period) for period in periods]
    keys = [
        _period_key(rules, period, mark, fact, as_of) for period, mark, fact in zip(periods, marks, facts, strict=True)
    ]
    found = cache.get_many(keys)
    missed = [index for index, key in enumerate(keys) if key not in found]
    prefetch_related_objects([periods[index] for index in missed], postings_in_order())
    computed: dict[str, Payoff] = {}
    fresh: dict[int, Payoff] = {}
    for index in missed:
        transactions = list(periods[index].transactions.all())
        payoff = fresh[index] = engine.payoff(rules, _with_postings(facts[index], transactions), as_of)
        computed[_period_key(rules, periods[index], PostingsMark.of(transactions), facts[index], as_of)] = payoff
    if computed:
        transaction.on_commit(partial(cache.set_many, computed, PAYOFF_CACHE_SECONDS))
    return [fresh[index] if index in fresh else found[key] for index, key in enumerate(keys)]


def _period_key(rules: RuleBook, period: TaxPeriod, mark: PostingsMark, facts: engine.Module, as_of: dt.date) -> str:
    posted_at = mark.last_posted_at.isoformat() if mark.last_posted_at else None
    text = f"{rules.agency}|{rules.version}|{as_of.isoformat()}|{period.pk}|{mark.count}|{mark.last_id}|{posted_at}"
    digest = hashlib.sha256(f"{text}|{facts!r}".encode())
    return f"ledger:period-payoff:{digest.hexdigest()}"


def period_payoff(period: TaxPeriod, as_of: dt.date) -> Payoff:
    """What one stored period owes on ``as_of``; reads its postings unless they are loaded."""
    prefetch_related_objects([period], postings_in_order())
    return period_payoffs([period], [PostingsMark.of(list(period.transactions.all()))], as_of)[0]


@dataclass
class TaxpayerPayoff:
    """A taxpayer's position on a day: what each period owes and the total to pay it all off."""

    as_of: dt.date
    periods: list[tuple[TaxPeriod, Payoff]] = field(default_factory=list)

    @property
    def owing(self) -> list[tuple[TaxPeriod, Payoff]]:
        return [(period, payoff) for period, payoff in self.periods if payoff.total > ZERO]

    @property
    def credits(self) -> list[tuple[TaxPeriod, Payoff]]:
        return [(period, payoff) for period, payoff in self.periods if payoff.total < ZERO]

    @property
    def total(self) -> Payoff:
        """The payoff of every period that owes (credits are listed, not netted: they are refunded or applied)."""
        result = engine.zero_payoff(self.as_of)
        for _period, payoff in self.owing:
            result += payoff
        return result


def taxpayer_payoff(taxpayer: Taxpayer, as_of: dt.date, *, load_postings: bool = True) -> TaxpayerPayoff:
    """What each of the taxpayer's periods owes on ``as_of``, oldest first, with each period's
    account, original returns and levy notices loaded, and its postings unless ``load_postings``
    is false: then, for a page that shows amounts only, its time does not grow with the history,
    as only the postings of a period whose payoff is not cached are read."""
    if load_postings:
        periods = periods_with_history(taxpayer)
        marks = [PostingsMark.of(list(period.transactions.all())) for period in periods]
    else:
        periods = list(with_postings_marks(with_module_facts(_periods_of(taxpayer))))
        marks = [PostingsMark.annotated(period) for period in periods]
    result = TaxpayerPayoff(as_of)
    result.periods.extend(zip(periods, period_payoffs(periods, marks, as_of), strict=True))
    return result


def assessed_balances(taxpayer: Taxpayer, as_of: dt.date) -> dict[int, Decimal]:
    """Each period's balance from postings alone (what the last posting cycle shows), in one query."""
    rows = (
        Transaction.objects.filter(period__account__taxpayer=taxpayer, effective_date__lte=as_of)
        .values("period_id")
        .annotate(balance=Sum("amount"))
    )
    return {row["period_id"]: row["balance"] for row in rows}


@dataclass(frozen=True)
class Allocation:
    """The part of a payment that goes to one period, split as the engine will apply it."""

    period: TaxPeriod
    tax: Decimal
    penalties: Decimal
    interest: Decimal
    credit: Decimal = ZERO  # more than the period owes: stays as a credit on it

    @property
    def amount(self) -> Decimal:
        return self.tax + self.penalties + self.interest + self.credit


def allocate_payment(
    taxpayer: Taxpayer, amount: Decimal, as_of: dt.date, designated: TaxPeriod | None = None
) -> list[Allocation]:
    """How a payment applies: to the designated period, or to the oldest period that owes
    first; within a period to tax, then penalties, then interest. Anything left over stays as
    a credit on the designated (or most recent) period."""
    if amount <= ZERO:
        raise ValueError("A payment is a positive amount.")
    position = taxpayer_payoff(taxpayer, as_of)
    if designated is not None:
        candidates = [(p, payoff) for p, payoff in position.periods if p.pk == designated.pk]
    else:
        candidates = position.owing
    allocations: list[Allocation] = []
    left = amount
    for period, payoff in candidates:
        parts = []
        for owed in (max(payoff.tax, ZERO), payoff.penalties, payoff.interest):
            part = min(left, engine.cents(owed) if owed > ZERO else ZERO)
            parts.append(part)
            left -= part
        if sum(parts, ZERO) > ZERO:
            allocations.append(Allocation(period, *parts))
        if left == ZERO:
            break
    if left > ZERO:
        target = designated or (position.periods[-1][0] if position.periods else None)
        if target is None:
            raise ValueError("This taxpayer has no tax period to pay into.")
        existing = next((a for a in allocations if a.period.pk == target.pk), None)
        if existing is not None:
            allocations.remove(existing)
            allocations.append(Allocation(target, existing.tax, existing.penalties, existing.interest, left))
        else:
            allocations.append(Allocation(target, ZERO, ZERO, ZERO, left))
    return allocations


@dataclass(frozen=True)
class TranscriptRow:
    code: str
    explanation: str | Promise
    effective_date: dt.date
    cycle: str
    amount: Decimal


def transcript_rows(transactions: Iterable[Transaction]) -> list[TranscriptRow]:
    """Account-transcript lines: code, explanation, date, cycle and amount, in date order."""
    rows = []
    for entry in sorted(transactions, key=lambda t: (t.effective_date, t.pk)):
        code = codes.lookup(entry.code)
        explanation = code.meaning
        if entry.action_code:
            explanation = codes.ACTION_CODES.get(entry.action_code, code.meaning)
        rows.append(TranscriptRow(entry.code, explanation, entry.effective_date, entry.cycle, entry.amount))
    return rows


def find_taxpayer_by_tin(tin: str) -> Taxpayer | None:
    try:
        return Taxpayer.objects.get(tin_fingerprint=tin_fingerprint(tin))
    except Taxpayer.DoesNotExist:
        return None


def recent_returns(account: TaxAccount, count: int = 3) -> list[TaxReturn]:
    """The last ``count`` returns filed on the account (originals and amendments), newest first."""
    return list(TaxReturn.objects.filter(period__account=account).order_by("-filed_on", "-pk")[:count])


def current_address(taxpayer: Taxpayer) -> Address | None:
    """The address on file today: the current mailing address, else the current physical one."""
    current = list(Address.objects.filter(taxpayer=taxpayer, valid_to__isnull=True))
    current.sort(key=lambda address: (address.kind != AddressKind.MAILING, -address.valid_from.toordinal()))
    return current[0] if current else None


def letter_sent_to(taxpayer: Taxpayer, letter_id: str, since: dt.date) -> Notice | None:
    """The letter with ``letter_id`` if it was sent to ``taxpayer`` on or after ``since``."""
    return Notice.objects.filter(taxpayer=taxpayer, letter_id=letter_id, issued_on__gte=since).first()
