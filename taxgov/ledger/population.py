"""Loading the synthetic population's histories into this agency's ledger, fast.

A million people cannot go through ``do_*`` one row at a time, so this writes each batch
table by table, in one transaction, with a fixed number of round trips whatever the batch
holds: one query for the people already loaded, then one write per table
(``common.bulk.insert_rows``: a ``COPY`` on PostgreSQL), each value through its model
field, so personal data is encrypted exactly as on a save; fingerprints come from
``identifiers.tin_fingerprint``, and one audit event records each load (counts only).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, reset_queries, transaction
from django.utils import timezone

from taxgov.common.audit.actions import record_event
from taxgov.common.bulk import insert_rows
from taxgov.ledger import synthetic
from taxgov.ledger.actions import posting_cycle
from taxgov.ledger.identifiers import tin_fingerprint
from taxgov.ledger.models import (
    Address,
    Contact,
    InformationReturn,
    Notice,
    TaxAccount,
    Taxpayer,
    TaxPeriod,
    TaxReturn,
    Transaction,
)
from taxgov.ledger.rules import Agency
from taxgov.ledger.synthetic import History, PopulationLike, Subject
from taxgov.ledger.tags import LedgerTag
from taxgov.synthetic.population import Population


@dataclass
class LoadCounts:
    """What a load wrote; ``skipped`` taxpayers were already in the ledger."""

    taxpayers: int = 0
    skipped: int = 0
    addresses: int = 0
    contacts: int = 0
    accounts: int = 0
    periods: int = 0
    returns: int = 0
    information_returns: int = 0
    transactions: int = 0
    notices: int = 0

    @property
    def rows(self) -> int:
        return sum(getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "skipped")

    def as_dict(self) -> dict[str, int]:
        return {**dataclasses.asdict(self), "rows": self.rows}

    def __iadd__(self, other: LoadCounts) -> LoadCounts:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self


def subjects(population: Population, start: int, stop: int) -> Iterator[Subject]:
    """People ``start``..``stop - 1``, then the businesses they own and the estates whose
    decedent and executor are among them (the population lays them out in blocks)."""
    yield from population.people(start, stop)
    for index in range(population.businesses_for(start), population.businesses_for(stop)):
        yield population.business(index)
    for index in range(population.estates_for(start), population.estates_for(stop)):
        yield population.estate(index)


def load_population(
    population: Population,
    start: int,
    stop: int,
    *,
    agency: Agency,
    batch_size: int = 1000,
    today: dt.date | None = None,
) -> LoadCounts:
    """Write the ``agency`` histories of people ``start``..``stop - 1`` (and their businesses and
    estates) as of ``today``. Running it again for the same range writes nothing new."""
    if connection.vendor != "postgresql" and not connection.features.can_return_rows_from_bulk_insert:
        raise RuntimeError("Loading the population needs PostgreSQL or a database that returns ids from bulk inserts.")
    today = today or timezone.localdate()
    counts = LoadCounts()
    batch: list[Subject] = []
    for subject in subjects(population, start, stop):
        batch.append(subject)
        if len(batch) >= batch_size:
            counts += _load_batch(batch, population, agency, today)
            batch = []
            reset_queries()  # with DEBUG on, Django would otherwise keep every (huge) insert in memory
    if batch:
        counts += _load_batch(batch, population, agency, today)
    record_event(
        LedgerTag.POPULATION_LOADED,
        extra={"agency": agency, "seed": population.seed, "start": start, "stop": stop, **counts.as_dict()},
    )
    return counts


def _load_batch(batch: list[Subject], population: PopulationLike, agency: Agency, today: dt.date) -> LoadCounts:
    prints = {tin_fingerprint(synthetic.tin_of(subject)): subject for subject in batch}
    loaded = set(Taxpayer.objects.filter(tin_fingerprint__in=list(prints)).values_list("tin_fingerprint", flat=True))
    histories = []
    for fingerprint, subject in prints.items():
        if fingerprint in loaded:
            continue
        found = synthetic.history(agency, subject, population, today=today)
        if found is not None:
            histories.append((fingerprint, found))
    with transaction.atomic():
        counts = _write(histories)
    counts.skipped = len(loaded)
    return counts


def _write(histories: list[tuple[str, History]]) -> LoadCounts:
    """Insert the batch table by table; each insert gives the ids the next one refers to."""
    taxpayers = insert_rows(
        [
            Taxpayer(
                kind=h.taxpayer.kind,
                tin_type=h.taxpayer.tin_type,
                tin=h.taxpayer.tin,
                tin_fingerprint=fingerprint,
                first_name=h.taxpayer.first_name,
                middle_name=h.taxpayer.middle_name,
                last_name=h.taxpayer.last_name,
                suffix=h.taxpayer.suffix,
                name=h.taxpayer.name,
                date_of_birth=h.taxpayer.date_of_birth.isoformat() if h.taxpayer.date_of_birth else "",
                date_of_death=h.taxpayer.date_of_death,
                responsible_party_fingerprint=(
                    tin_fingerprint(h.taxpayer.responsible_party_tin) if h.taxpayer.responsible_party_tin else ""
                ),
            )
            for fingerprint, h in histories
        ]
    )
    pairs = list(zip(taxpayers, (h for _fingerprint, h in histories), strict=True))
    addresses = [
        Address(
            taxpayer_id=taxpayer.pk,
            kind=a.kind,
            line1=a.line1,
            line2=a.line2,
            city=a.city,
            state=a.state,
            postal_code=a.postal_code,
            valid_from=a.valid_from,
            valid_to=a.valid_to,
        )
        for taxpayer, h in pairs
        for a in h.taxpayer.addresses
    ]
    contacts = [
        Contact(taxpayer_id=taxpayer.pk, kind=c.kind, value=c.value, is_primary=c.is_primary, added_on=c.added_on)
        for taxpayer, h in pairs
        for c in h.taxpayer.contacts
    ]
    account_rows = [(taxpayer, h, account) for taxpayer, h in pairs for account in h.accounts]
    accounts = insert_rows(
        [
            TaxAccount(taxpayer_id=taxpayer.pk, account_type=a.account_type, opened_on=a.opened_on)
            for taxpayer, _h, a in account_rows
        ]
    )
    period_rows = [
        (taxpayer, h, account, period)
        for account, (taxpayer, h, history_account) in zip(accounts, account_rows, strict=True)
        for period in history_account.periods
    ]
    periods = insert_rows(
        [
            TaxPeriod(account_id=account.pk, start=p.start, end=p.end, due_date=p.due_date)
            for _t, _h, account, p in period_rows
        ]
    )
    returns: list[TaxReturn] = []
    transactions: list[Transaction] = []
    notices: list[Notice] = []
    for period, (taxpayer, h, _account, p) in zip(periods, period_rows, strict=True):
        if p.tax_return is not None:
            r = p.tax_return
            returns.append(
                TaxReturn(
                    period_id=period.pk,
                    form=r.form,
                    filed_on=r.filed_on,
                    filing_status=r.filing_status,
                    adjusted_gross_income=r.adjusted_gross_income,
                    taxable_income=r.taxable_income,
                    total_tax=r.total_tax,
                    income_tax_after_credits=r.income_tax_after_credits,
                    total_payments=r.total_payments,
                    refund=r.refund,
                    balance_due=r.balance_due,
                )
            )
        transactions.extend(
            Transaction(
                period_id=period.pk,
                code=t.code,
                action_code=t.action_code,
                amount=t.amount,
                effective_date=t.effective_date,
                cycle=posting_cycle(t.effective_date),
                idempotency_key=h.idempotency_key(t),
            )
            for t in p.transactions
        )
        notices.extend(
            Notice(
                taxpayer_id=taxpayer.pk,
                period_id=period.pk,
                kind=n.kind,
                issued_on=n.issued_on,
                amount=n.amount,
                letter_id=n.letter_id,
            )
            for n in p.notices
        )
    information_returns = [
        InformationReturn(
            taxpayer_id=taxpayer.pk,
            tax_year=i.tax_year,
            kind=i.kind,
            payer_name=i.payer_name,
            payer_tin=i.payer_tin,
            income=i.income,
            withholding=i.withholding,
            boxes=i.boxes,
            received_on=i.received_on,
        )
        for taxpayer, h in pairs
        for i in h.information_returns
    ]
    insert_rows(addresses)
    insert_rows(contacts)
    insert_rows(returns)
    insert_rows(transactions)
    insert_rows(notices)
    insert_rows(information_returns)
    return LoadCounts(
        taxpayers=len(taxpayers),
        addresses=len(addresses),
        contacts=len(contacts),
        accounts=len(accounts),
        periods=len(periods),
        returns=len(returns),
        information_returns=len(information_returns),
        transactions=len(transactions),
        notices=len(notices),
    )
