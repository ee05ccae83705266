"""Where a refund and an audit by mail stand, read from the postings of each tax year.

Refunds: the return received, processed (TC 150 posted), the refund approved (TC 846 posted,
with the day it goes out) and sent (that day has come); a freeze (TC 810 not yet released by
TC 811) holds it, and offsets (TC 826 to another tax year, TC 898 to a debt owed elsewhere)
take part of it. An amended return is received (TC 971 action code 013), adjusted (TC 290 or
291) and completed once any refund it made is sent.

Audits: TC 424 (examination requested), TC 420 (return under examination), TC 421 (closed),
with the result posted as TC 300 (additional tax) or TC 301 (tax reduced).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from taxgov.federal.records.queries import TaxYear, current_tax_year, posting_day
from taxgov.ledger.agencies import current_rules
from taxgov.ledger.models import TaxReturn, Transaction

ZERO = Decimal(0)
OFFSET_CODES = ("826", "898")
ADJUSTMENT_CODES = ("290", "291")
AUDIT_CODES = ("420", "421", "424")


class StageState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    WAITING = "waiting"


@dataclass(frozen=True)
class Stage:
    key: str  # received, processed, approved, sent; or received, adjusted, completed
    state: StageState
    day: dt.date | None = None


@dataclass(frozen=True)
class RefundTrack:
    """One return on its way to a refund (an original return that claimed one, or an amended one)."""

    tax_return: TaxReturn
    stages: list[Stage]
    refund: Transaction | None = None  # TC 846
    held_since: dt.date | None = None  # TC 810 not released
    offsets: list[Transaction] = field(default_factory=list)

    @property
    def amended(self) -> bool:
        return self.tax_return.kind == "amended"

    @property
    def year(self) -> int:
        return self.tax_return.period.end.year

    @property
    def refund_amount(self) -> Decimal | None:
        return self.refund.amount if self.refund else None

    @property
    def reached(self) -> Stage:
        """The last stage done: what the summary on the records page says."""
        return [stage for stage in self.stages if stage.state == StageState.DONE][-1]

    @property
    def current(self) -> Stage:
        return next((stage for stage in self.stages if stage.state == StageState.CURRENT), self.stages[-1])


def _stages(keys_done: list[tuple[str, dt.date | None, bool]]) -> list[Stage]:
    """Stages in order: done while their condition holds, then the first one not done is current."""
    stages, waiting = [], False
    for key, day, done in keys_done:
        if done and not waiting:
            stages.append(Stage(key, StageState.DONE, day))
        elif not waiting:
            stages.append(Stage(key, StageState.CURRENT))
            waiting = True
        else:
            stages.append(Stage(key, StageState.WAITING))
    return stages


def _hold(transactions: list[Transaction]) -> dt.date | None:
    """The day of the refund freeze in force (TC 810 with no TC 811 after it), if any."""
    held = None
    for entry in transactions:
        if entry.code == "810":
            held = entry.effective_date
        elif entry.code == "811":
            held = None
    return held


def _original_track(year: TaxYear, filed: TaxReturn, as_of: dt.date) -> RefundTrack:
    processed = next((t for t in year.transactions if t.code == "150"), None)
    refund = next(
        (t for t in [*year.transactions, *year.scheduled] if t.code == "846" and t.effective_date >= filed.filed_on),
        None,
    )
    held = _hold(year.transactions)
    approved = refund is not None and held is None
    sent = approved and refund is not None and refund.effective_date <= as_of
    return RefundTrack(
        filed,
        _stages(
            [
                ("received", filed.filed_on, True),
                ("processed", posting_day(processed.cycle) if processed else None, processed is not None),
                ("approved", posting_day(refund.cycle) if refund else None, approved),
                ("sent", refund.effective_date if refund else None, sent),
            ]
        ),
        refund,
        held,
        [t for t in year.transactions if t.code in OFFSET_CODES],
    )


def _amended_track(year: TaxYear, filed: TaxReturn, as_of: dt.date) -> RefundTrack:
    later = [t for t in year.transactions if t.effective_date >= filed.filed_on]
    adjusted = next((t for t in later if t.code in ADJUSTMENT_CODES), None)
    refund = next(
        (
            t
            for t in [*year.transactions, *year.scheduled]
            if t.code == "846" and adjusted and t.effective_date >= adjusted.effective_date
        ),
        None,
    )
    held = _hold(year.transactions)
    credit_left = sum((t.amount for t in year.transactions), ZERO) < ZERO
    refund_sent = refund is not None and refund.effective_date <= as_of
    completed = adjusted is not None and held is None and (refund_sent or not credit_left)
    return RefundTrack(
        filed,
        _stages(
            [
                ("received", filed.filed_on, True),
                ("adjusted", adjusted.effective_date if adjusted else None, adjusted is not None),
                ("completed", refund.effective_date if refund_sent and refund else None, completed),
            ]
        ),
        refund,
        held,
        [t for t in later if t.code in OFFSET_CODES],
    )


def refund_tracks(years: Iterable[TaxYear], as_of: dt.date) -> list[RefundTrack]:
    """The returns whose refund status is followed (the recent years the rules say), newest
    first, from the taxpayer's years as ``queries.modules`` read them on ``as_of``."""
    rules = current_rules()
    current = current_tax_year(as_of)
    since = current - int(rules.number("refund_status.years", as_of)) + 1
    amended_since = current - int(rules.number("refund_status.amended_years", as_of)) + 1
    tracks = []
    for year in years:
        if year.original is not None and year.original.refund > ZERO and year.year >= since:
            tracks.append(_original_track(year, year.original, as_of))
        if year.year >= amended_since:
            tracks += [_amended_track(year, filed, as_of) for filed in year.amended]
    tracks.sort(key=lambda track: (track.tax_return.filed_on, track.tax_return.pk), reverse=True)
    return tracks


class AuditState(StrEnum):
    REQUESTED = "requested"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class AuditTrack:
    year: int
    state: AuditState
    since: dt.date
    additional_tax: Decimal  # TC 300
    reduced_tax: Decimal  # TC 301, as a positive amount


def audits(years: Iterable[TaxYear]) -> list[AuditTrack]:
    """Each tax year with an audit by mail on record, newest first, in the state its latest
    indicator put it in."""
    found = []
    states = {"424": AuditState.REQUESTED, "420": AuditState.OPEN, "421": AuditState.CLOSED}
    for year in years:
        marks = [t for t in year.transactions if t.code in AUDIT_CODES]
        if not marks:
            continue
        found.append(
            AuditTrack(
                year=year.year,
                state=states[marks[-1].code],
                since=marks[-1].effective_date,
                additional_tax=sum((t.amount for t in year.transactions if t.code == "300"), ZERO),
                reduced_tax=-sum((t.amount for t in year.transactions if t.code == "301"), ZERO),
            )
        )
    return found
