"""What the records pages and transcripts read from the ledger: a taxpayer's individual
income tax years, each year's returns as filed, its information returns and its postings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from taxgov.ledger.models import (
    AccountType,
    InformationReturn,
    ReturnKind,
    Taxpayer,
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
    """One year of individual income tax: its period (if any posting or return made one), the
    returns filed by ``as_of`` (the original and any amended ones), its postings to then, and
    those dated later (a refund already approved for a later day)."""

    year: int
    period: TaxPeriod | None = None
    original: TaxReturn | None = None
    amended: list[TaxReturn] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    scheduled: list[Transaction] = field(default_factory=list)


def _periods(taxpayer: Taxpayer, as_of: dt.date) -> list[TaxPeriod]:
    return list(
        TaxPeriod.objects.filter(account__taxpayer=taxpayer, account__account_type=AccountType.INDIVIDUAL_INCOME)
        .select_related("account")
        .prefetch_related(
            Prefetch(
                "transactions",
                queryset=Transaction.objects.order_by("effective_date", "pk"),
                to_attr="posted",
            ),
            Prefetch(
                "returns",
                queryset=TaxReturn.objects.filter(filed_on__lte=as_of).order_by("filed_on", "pk"),
                to_attr="filed",
            ),
        )
        .order_by("-end")
    )


def _tax_year(period: TaxPeriod, as_of: dt.date) -> TaxYear:
    filed: list[TaxReturn] = getattr(period, "filed", [])
    posted: list[Transaction] = getattr(period, "posted", [])
    return TaxYear(
        year=period.end.year,
        period=period,
        original=next((r for r in filed if r.kind == ReturnKind.ORIGINAL), None),
        amended=[r for r in filed if r.kind == ReturnKind.AMENDED],
        transactions=[t for t in posted if t.effective_date <= as_of],
        scheduled=[t for t in posted if t.effective_date > as_of],
    )


def tax_years(taxpayer: Taxpayer, as_of: dt.date) -> dict[int, TaxYear]:
    """Every year of individual income tax on record (its periods are calendar years), newest
    first, in three queries."""
    return {period.end.year: _tax_year(period, as_of) for period in _periods(taxpayer, as_of)}


def tax_year(taxpayer: Taxpayer, year: int, as_of: dt.date) -> TaxYear:
    return tax_years(taxpayer, as_of).get(year) or TaxYear(year)


def documents_of(taxpayer: Taxpayer, year: int) -> list[InformationReturn]:
    """The information returns payers filed about the taxpayer for a year, by form then payer."""
    return list(InformationReturn.objects.filter(taxpayer=taxpayer, tax_year=year).order_by("kind", "payer_name", "pk"))


def document_counts(taxpayer: Taxpayer) -> dict[int, int]:
    """How many information returns each tax year holds."""
    rows = InformationReturn.objects.filter(taxpayer=taxpayer).values("tax_year").annotate(count=Count("pk"))
    return {row["tax_year"]: row["count"] for row in rows}


def record_years(taxpayer: Taxpayer, years: dict[int, TaxYear]) -> list[int]:
    """The years the year picker offers: any with a return, a posting or an information return."""
    return sorted(set(years) | set(document_counts(taxpayer)), reverse=True)
