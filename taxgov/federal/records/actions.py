"""Handing a transcript to the signed-in taxpayer (or to someone acting for a business or
estate): made from the ledger, masked, and audited (the type, year and, for a business or
estate, the tax period only: nothing in the event identifies the person)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from taxgov.common.audit.actions import record_event
from taxgov.federal.accounts.models import User
from taxgov.federal.records.tags import RecordsTag
from taxgov.federal.records.transcripts import TranscriptKind, render_transcript
from taxgov.ledger.models import Taxpayer, TaxPeriod


def do_download_transcript(
    *,
    user: User,
    taxpayer: Taxpayer,
    kind: TranscriptKind,
    tax_year: int,
    as_of: dt.date,
    customer_file_number: str = "",
    period: TaxPeriod | None = None,
    request: HttpRequest | None = None,
) -> bytes:
    """The masked PDF; raises as ``render_transcript`` does, and then records nothing."""
    pdf = render_transcript(
        taxpayer, kind, tax_year, as_of=as_of, customer_file_number=customer_file_number, period=period
    )
    module = {"account_type": period.account.account_type, "period_end": period.end.isoformat()} if period else {}
    record_event(
        RecordsTag.TRANSCRIPT_DOWNLOADED,
        actor=f"user:{user.pk}",
        subject=f"taxpayer:{taxpayer.pk}",
        request=request,
        extra={
            "kind": str(kind),
            "tax_year": tax_year,
            "masked": True,
            "with_customer_file_number": bool(customer_file_number),
            **module,
        },
    )
    return pdf
