"""Reads: which years a request may name (dated rules), whether a client's details match the
ledger, what each side sees, and a client's account for one authorized matter and year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from taxgov.common.usps import US_STATES
from taxgov.federal.authorizations.models import (
    SHARED_RESPONSIBILITY_MATTERS,
    Authorization,
    AuthorizationLine,
    AuthorizationStatus,
    IncomeVerification,
    Professional,
    TaxMatter,
    VerificationStatus,
)
from taxgov.federal.profile.queries import names_agree, normal_name
from taxgov.federal.records.transcripts import TranscriptKind, available_years
from taxgov.ledger import queries as ledger
from taxgov.ledger.agencies import current_rules
from taxgov.ledger.models import AccountType, Address, Taxpayer, TaxpayerKind, TaxPeriod

# An online request is for a client, and a professional, in the 50 states or the District of Columbia.
STATES_AND_DC = [choice for choice in US_STATES if choice[0] != "PR"]


def request_years(today: dt.date) -> list[int]:
    """The tax years a request may name: the last N years through this one, and M years ahead."""
    rules = current_rules()
    back = int(rules.number("authorizations.years_back", today))
    ahead = int(rules.number("authorizations.years_ahead", today))
    return list(range(today.year - back, today.year + ahead + 1))


def first_year_of(matter: str, today: dt.date) -> int:
    """The shared responsibility payment exists from its first year; other matters from the first request year."""
    first = request_years(today)[0]
    if matter in SHARED_RESPONSIBILITY_MATTERS:
        return max(first, int(current_rules().number("authorizations.shared_responsibility_first_year", today)))
    return first


def verification_years(today: dt.date) -> list[int]:
    """The years a return transcript can be had for, oldest first."""
    return sorted(available_years(TranscriptKind.RETURN, today))


def release_days(today: dt.date) -> int:
    return int(current_rules().number("income_verification.release_days", today))


@dataclass(frozen=True)
class ClientDetails:
    """A client as the professional typed them: compared with the ledger, never shown back as a match."""

    first_name: str
    last_name: str
    tin: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    postal_code: str


def _address_agrees(address: Address | None, client: ClientDetails) -> bool:
    """The same street, city, state and ZIP code, ignoring case and punctuation."""
    if address is None or address.country != "US" or address.state not in dict(STATES_AND_DC):
        return False
    street = normal_name(f"{address.line1} {address.line2}")
    return (
        street == normal_name(f"{client.address_line1} {client.address_line2}")
        and normal_name(address.city) == normal_name(client.city)
        and address.state == client.state
        and address.postal_code[:5] == client.postal_code[:5]
    )


def matching_taxpayer(client: ClientDetails) -> Taxpayer | None:
    """The living individual with this TIN, name and current address, or None."""
    taxpayer = ledger.find_taxpayer_by_tin(client.tin)
    if taxpayer is None or taxpayer.kind != TaxpayerKind.INDIVIDUAL or taxpayer.date_of_death is not None:
        return None
    if not names_agree(taxpayer, client.first_name, client.last_name):
        return None
    if not _address_agrees(ledger.current_address(taxpayer), client):
        return None
    return taxpayer


def _with_lines(found: QuerySet[Authorization]) -> QuerySet[Authorization]:
    return found.select_related("professional").prefetch_related(
        Prefetch("lines", queryset=AuthorizationLine.objects.order_by("matter", "year"))
    )


def requests_to(taxpayer: Taxpayer) -> list[Authorization]:
    """Requests waiting for the taxpayer's signature, oldest first."""
    found = Authorization.objects.filter(taxpayer=taxpayer, status=AuthorizationStatus.PENDING)
    return list(_with_lines(found).order_by("created_at"))


def active_for(taxpayer: Taxpayer) -> list[Authorization]:
    found = Authorization.objects.filter(taxpayer=taxpayer, status=AuthorizationStatus.ACTIVE)
    return list(_with_lines(found).order_by("-decided_at"))


def ended_for(taxpayer: Taxpayer) -> list[Authorization]:
    """Rejected, revoked, withdrawn and replaced authorizations, newest first (the last 50)."""
    found = Authorization.objects.filter(taxpayer=taxpayer).exclude(
        status__in=[AuthorizationStatus.PENDING, AuthorizationStatus.ACTIVE]
    )
    return list(_with_lines(found).order_by("-created_at")[:50])


def verifications_for(taxpayer: Taxpayer) -> list[IncomeVerification]:
    found = IncomeVerification.objects.filter(taxpayer=taxpayer).select_related("participant")
    return list(found.order_by("-created_at")[:50])


def sent_by(professional: Professional) -> list[Authorization]:
    """Everything a professional sent, newest first; an unmatched request looks like any other."""
    return list(_with_lines(Authorization.objects.filter(professional=professional)).order_by("-created_at")[:200])


def verifications_by(participant: Professional) -> list[IncomeVerification]:
    return list(IncomeVerification.objects.filter(participant=participant).order_by("-created_at")[:200])


def active_lines(authorization: Authorization) -> list[AuthorizationLine]:
    """The matters and years an authorization covers now (none unless it is active)."""
    if authorization.status != AuthorizationStatus.ACTIVE:
        return []
    return [line for line in authorization.lines.all() if line.replaced_by_id is None]


def spans(years: list[int]) -> str:
    """``2019-2021, 2023`` (with an en dash): runs of consecutive years joined."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}\N{EN DASH}{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def years_by_matter(lines: list[AuthorizationLine]) -> list[tuple[str, str]]:
    """``[(matter label, "2019-2021")]`` in the order of the matters, for compact listings."""
    grouped: dict[str, list[int]] = {}
    for line in lines:
        grouped.setdefault(line.matter, []).append(line.year)
    return [(str(TaxMatter(matter).label), spans(years)) for matter, years in grouped.items()]


def overlapping(authorization: Authorization) -> list[tuple[Authorization, list[AuthorizationLine]]]:
    """The taxpayer's active authorizations of the same kind that signing this one would cut
    back, each with the lines it would lose."""
    covered = {(line.matter, line.year) for line in authorization.lines.all()}
    found: dict[int, tuple[Authorization, list[AuthorizationLine]]] = {}
    for other in active_for(authorization.taxpayer) if authorization.taxpayer else []:
        if other.kind != authorization.kind or other.pk == authorization.pk:
            continue
        lost = [line for line in active_lines(other) if (line.matter, line.year) in covered]
        if lost:
            found[other.pk] = (other, lost)
    return list(found.values())


def clients_of(professional: Professional) -> list[tuple[str, list[Authorization]]]:
    """Active authorizations grouped by client (the name as the professional typed it)."""
    active = Authorization.objects.filter(professional=professional, status=AuthorizationStatus.ACTIVE)
    clients: dict[int | None, list[Authorization]] = {}  # an active authorization always has its taxpayer
    for authorization in _with_lines(active).order_by("-decided_at"):
        clients.setdefault(authorization.taxpayer_id, []).append(authorization)
    return sorted(((found[0].client_name, found) for found in clients.values()), key=lambda pair: pair[0].casefold())


def transcript_available(verification: IncomeVerification, today: dt.date) -> bool:
    return (
        verification.status == VerificationStatus.APPROVED
        and verification.available_until is not None
        and today <= verification.available_until
    )


@dataclass(frozen=True)
class YearAccount:
    """A client's account for one matter and year, as an authorized professional sees it."""

    period: TaxPeriod | None  # None: nothing on file for that matter and year
    amounts: dict[str, Decimal]
    rows: list[ledger.TranscriptRow]


def year_account(taxpayer: Taxpayer, matter: str, year: int, as_of: dt.date) -> YearAccount:
    """Form 1040 income tax is the individual income tax account's calendar year; the ledger
    keeps no separate module for the other matters, so they show nothing on file."""
    period = None
    if matter == TaxMatter.INCOME_TAX:
        period = ledger.with_module_history(
            TaxPeriod.objects.filter(
                account__taxpayer=taxpayer,
                account__account_type=AccountType.INDIVIDUAL_INCOME,
                start=dt.date(year, 1, 1),
                end=dt.date(year, 12, 31),
            )
        ).first()
    if period is None:
        return YearAccount(None, {}, [])
    return YearAccount(
        period, ledger.period_payoff(period, as_of).display(), ledger.transcript_rows(period.transactions.all())
    )
