"""What the records pages and transcripts read from the ledger: a taxpayer's tax modules (an
individual's income tax years; each year or quarter of every account of a business or estate),
each module's returns as filed, the taxpayer's information returns and its postings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from taxgov.ledger import queries as ledger
from taxgov.ledger.models import (
    AccountType,
    InformationReturn,
    ReturnKind,
    Taxpayer,
    TaxpayerKind,
    TaxPeriod,
    TaxReturn,
    Transaction,
)


def current_tax_year(as_of: dt.date) -> int:
    """The latest tax year whose returns are being filed and processed: the last calendar year."""
    return as_of.year - 1


def posting_day(cycle: str) -> dt.date:
    """The day a posting cycle (``YYYYWWDD``: ISO year, week and weekday) stands for."""
    return dt.date.fromisocalendar(int(cycle[:4]), int(cycle[4:6]), int(cycle[6:8]))


@dataclass
class TaxYear:
    """One tax module: a year of individual income tax, or one period (a year, a quarter) of a
    business's or estate's account. Its period (if any posting or return made one), the returns
    filed by ``as_of`` (the original and any amended ones), its postings to then, and those
    dated later (a refund already approved for a later day). ``year`` is the year it ends in."""

    year: int
    period: TaxPeriod | None = None
    original: TaxReturn | None = None
    amended: list[TaxReturn] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    scheduled: list[Transaction] = field(default_factory=list)


def _own_periods(taxpayer: Taxpayer) -> QuerySet[TaxPeriod]:
    """An individual's income tax years; every period of a business's or estate's accounts."""
    periods = TaxPeriod.objects.filter(account__taxpayer=taxpayer)
    if taxpayer.kind == TaxpayerKind.INDIVIDUAL:
        periods = periods.filter(account__account_type=AccountType.INDIVIDUAL_INCOME)
    return periods


def _periods(periods: QuerySet[TaxPeriod], as_of: dt.date) -> list[TaxPeriod]:
    """``periods``, newest first, with their returns filed by ``as_of``; the caller loads the
    postings (``ledger.postings_in_order`` or ``ledger.with_module_history``)."""
    return list(
        periods.select_related("account")
        .prefetch_related(
            Prefetch(
                "returns",
                queryset=TaxReturn.objects.filter(filed_on__lte=as_of).order_by("filed_on", "pk"),
                to_attr="filed",
            ),
        )
        .order_by("-end", "account__account_type")
    )


def _tax_year(period: TaxPeriod, as_of: dt.date) -> TaxYear:
    filed: list[TaxReturn] = getattr(period, "filed", [])
    posted = list(period.transactions.all())
    return TaxYear(
        year=period.end.year,
        period=period,
        original=next((r for r in filed if r.kind == ReturnKind.ORIGINAL), None),
        amended=[r for r in filed if r.kind == ReturnKind.AMENDED],
        transactions=[t for t in posted if t.effective_date <= as_of],
        scheduled=[t for t in posted if t.effective_date > as_of],
    )


def modules(taxpayer: Taxpayer, as_of: dt.date) -> list[TaxYear]:
    """Every tax module on record, newest first, in three queries: an individual's income tax
    years (calendar years, one module each), or a business's or estate's modules (several a year)."""
    periods = _own_periods(taxpayer).prefetch_related(ledger.postings_in_order())
    return [_tax_year(period, as_of) for period in _periods(periods, as_of)]


def _with_payoff(taxpayer: Taxpayer, as_of: dt.date, **lookups: object) -> list[TaxYear]:
    """The modules the lookups pick, loaded as ``ledger.period_payoff`` reads them (five queries)."""
    periods = ledger.with_module_history(_own_periods(taxpayer).filter(**lookups))
    return [_tax_year(period, as_of) for period in _periods(periods, as_of)]


def tax_year(taxpayer: Taxpayer, year: int, as_of: dt.date) -> TaxYear:
    """One year of an individual's income tax (``TaxYear(year)`` with nothing on record)."""
    found = _with_payoff(taxpayer, as_of, end__year=year)
    return found[-1] if found else TaxYear(year)


def module(taxpayer: Taxpayer, period: TaxPeriod | None, as_of: dt.date) -> TaxYear | None:
    """One of the taxpayer's own modules; None for anyone else's period (or none)."""
    if period is None:
        return None
    found = _with_payoff(taxpayer, as_of, pk=period.pk)
    return found[0] if found else None


def years_on_record(taxpayer: Taxpayer, as_of: dt.date) -> dict[int, bool]:
    """Each year a module ends in, and whether an original return of one of them was filed
    by ``as_of``, in one query (no postings)."""
    originals = TaxReturn.objects.filter(period=OuterRef("pk"), kind=ReturnKind.ORIGINAL, filed_on__lte=as_of)
    years: dict[int, bool] = {}
    for year, filed in _own_periods(taxpayer).annotate(filed=Exists(originals)).values_list("end__year", "filed"):
        years[year] = years.get(year, False) or filed
    return years


def periods_since(taxpayer: Taxpayer, year: int) -> QuerySet[TaxPeriod]:
    """The taxpayer's tax periods ending in ``year`` or later, newest first (a picker's choices)."""
    return (
        _own_periods(taxpayer)
        .filter(end__year__gte=year)
        .select_related("account")
        .order_by("-end", "account__account_type")
    )


def documents_of(taxpayer: Taxpayer, year: int) -> list[InformationReturn]:
    """The information returns payers filed about the taxpayer for a year, by form then payer."""
    return list(InformationReturn.objects.filter(taxpayer=taxpayer, tax_year=year).order_by("kind", "payer_name", "pk"))


def document_counts(taxpayer: Taxpayer) -> dict[int, int]:
    """How many information returns each tax year holds."""
    rows = InformationReturn.objects.filter(taxpayer=taxpayer).values("tax_year").annotate(count=Count("pk"))
    return {row["tax_year"]: row["count"] for row in rows}


def record_years(taxpayer: Taxpayer, years: Iterable[int]) -> list[int]:
    """The years the year picker offers: any with a return, a posting or an information return."""
    return sorted(set(years) | set(document_counts(taxpayer)), reverse=True)
