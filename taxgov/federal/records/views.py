"""Records and Status: each year's return as filed and information returns, a document's boxes,
transcripts as PDF, refund status and audit status.

Someone acting for a business or estate, as Designated Official or User, sees its records and
gets its transcripts (looking is what both roles may do, ADR 0027): each tax period's return
as filed, by year. Refund and audit status follow individual returns, so stay individual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taxgov.common.access.rules import access_rule
from taxgov.common.downloads import pdf_download
from taxgov.common.identifiers import format_tin
from taxgov.federal.profile.access import HAS_PROFILE, INDIVIDUAL_ACCOUNT, signed_in_user, taxpayer_of
from taxgov.federal.records import actions, documents, queries, status
from taxgov.federal.records.access import own_document
from taxgov.federal.records.forms import TranscriptForm, YearForm
from taxgov.federal.records.transcripts import (
    NOT_FOR_ENTITIES,
    TranscriptUnavailableError,
    max_documents,
    module_name,
    offers,
    periods_offered,
    transcript_filename,
)
from taxgov.federal.signin.access import VERIFIED_IDENTITY
from taxgov.ledger.models import Taxpayer, TaxpayerKind, TaxReturn
from taxgov.ledger.templatetags.ledger import money


def _entity(taxpayer: Taxpayer) -> Taxpayer | None:
    """The business or estate whose records these are; None for a person's own."""
    return None if taxpayer.kind == TaxpayerKind.INDIVIDUAL else taxpayer


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The hub: where refunds and audits stand, and one tax year's records (the newest unless
    the year picker chose another): a person's return, or each return of a business's or
    estate's tax periods that end in that year."""
    taxpayer, today = taxpayer_of(request), timezone.localdate()
    entity = _entity(taxpayer)
    modules = queries.modules(taxpayer, today)
    years = queries.record_years(taxpayer, {module.year for module in modules})
    form = YearForm(request.GET or None, years=years, initial={"year": years[0] if years else None})
    picked = form.cleaned_data["year"] if form.is_valid() else None
    chosen = picked or (years[0] if years else None)
    of_year = [module for module in modules if module.year == chosen]
    followed = [] if entity else modules  # refunds and audits follow a person's own returns
    context = {
        "entity": entity,
        "form": form,
        "year": chosen,
        "return_tables": [table for module in of_year if (table := _return_table(module, entity))],
        "documents": queries.documents_of(taxpayer, chosen) if chosen is not None else [],
        "refunds": status.refund_tracks(followed, today),
        "audits": status.audits(followed),
    }
    return render(request, "records/index.html", context)


def _return_table(module: queries.TaxYear, entity: Taxpayer | None) -> dict[str, Any] | None:
    """A module's returns side by side (the original, then any amended); None without one."""
    returns = [r for r in (module.original, *module.amended) if r is not None]
    if not returns or module.period is None:
        return None
    if entity is None:
        caption = _("Key lines of your %(year)s return as filed") % {"year": module.year}
    else:
        caption = _("%(module)s: key lines as filed") % {"module": module_name(module.period)}
    return {
        "caption": caption,
        "headers": [_("Line"), *(_return_heading(filed) for filed in returns)],
        "rows": _return_rows(returns, individual=entity is None),
    }


def _return_heading(filed: TaxReturn) -> str:
    if filed.kind == "amended":
        return _("Amended return, filed %(day)s") % {"day": formats.date_format(filed.filed_on)}
    return _("As originally filed, %(day)s") % {"day": formats.date_format(filed.filed_on)}


def _return_rows(returns: list[TaxReturn], *, individual: bool) -> list[list[str]]:
    """The key lines of each return side by side (filing status and adjusted gross income are
    a person's Form 1040 lines)."""
    lines: list[tuple[str, Callable[[TaxReturn], str]]] = [(_("Form"), lambda r: r.form)]
    if individual:
        lines += [
            (_("Filing status"), lambda r: str(r.get_filing_status_display()) or _("Not shown")),
            (_("Adjusted gross income"), lambda r: money(r.adjusted_gross_income) or _("Not shown")),
        ]
    lines += [
        (_("Taxable income"), lambda r: money(r.taxable_income) or _("Not shown")),
        (_("Total tax"), lambda r: money(r.total_tax)),
        (_("Total payments and credits"), lambda r: money(r.total_payments)),
        (_("Refund"), lambda r: money(r.refund)),
        (_("Amount you owed") if individual else _("Balance due"), lambda r: money(r.balance_due)),
    ]
    return [[label, *(show(filed) for filed in returns)] for label, show in lines]


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def document(request: HttpRequest, document_id: int) -> HttpResponse:
    found = own_document(request, document_id)
    context = {
        "document": found,
        "title": documents.title(found),
        "payer_role": documents.payer_role(found),
        "payer_tin": format_tin(found.payer_tin, "ein"),
        "boxes": documents.boxes(found),
    }
    return render(request, "records/document.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_http_methods(["GET", "POST"])
def transcripts(request: HttpRequest) -> HttpResponse:
    """Choose a type and a year (a business or estate: a tax period); a valid choice downloads
    the masked PDF at once."""
    taxpayer, today = taxpayer_of(request), timezone.localdate()
    initial = {"tax_year": request.GET.get("tax_year"), "kind": request.GET.get("kind")}
    form = TranscriptForm(request.POST or None, as_of=today, initial=initial, periods=periods_offered(taxpayer, today))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pdf = actions.do_download_transcript(
                user=signed_in_user(request),
                taxpayer=taxpayer,
                kind=data["kind"],
                tax_year=data["tax_year"],
                as_of=today,
                customer_file_number=data["customer_file_number"],
                period=data.get("period"),
                request=request,
            )
        except TranscriptUnavailableError as error:
            form.add_error(None, str(error))
        else:
            return pdf_download(pdf, transcript_filename(data["kind"], data["tax_year"], data.get("period")))
    context = {
        "entity": _entity(taxpayer),
        "not_for_entities": NOT_FOR_ENTITIES,
        "form": form,
        "offers": offers(taxpayer, today),
        "max_documents": max_documents(today),
    }
    return render(request, "records/transcripts.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_GET
def refund_status(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tracks = status.refund_tracks(queries.modules(taxpayer_of(request), today), today)
    return render(request, "records/refund_status.html", {"tracks": tracks})


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_GET
def audit_status(request: HttpRequest) -> HttpResponse:
    found = status.audits(queries.modules(taxpayer_of(request), timezone.localdate()))
    return render(request, "records/audit_status.html", {"audits": found})
