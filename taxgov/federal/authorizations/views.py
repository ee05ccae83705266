"""Authorizations, both sides.

The taxpayer (``account/authorizations/``): requests waiting for a signature, sign or reject
them, active authorizations to revoke, and income verification requests. The professional
(``account/tax-pro/``): a professional profile, requests sent, clients with the matters and
years they authorized, and for a lender, return transcripts a taxpayer released.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taxgov.common.access.rules import access_rule
from taxgov.common.downloads import pdf_download
from taxgov.common.ratelimit import rate_limiter
from taxgov.federal.authorizations import access, actions, queries
from taxgov.federal.authorizations.access import HAS_PROFESSIONAL_PROFILE
from taxgov.federal.authorizations.forms import (
    AuthorizationRequestForm,
    ParticipantForm,
    SignatureForm,
    TaxProfessionalForm,
    VerificationRequestForm,
    declaration,
    verification_declaration,
)
from taxgov.federal.authorizations.models import (
    Authorization,
    AuthorizationKind,
    AuthorizationStatus,
    ProfessionalKind,
    TaxMatter,
    VerificationStatus,
)
from taxgov.federal.profile.access import (
    HAS_PROFILE,
    INDIVIDUAL_ACCOUNT,
    signed_in_user,
    taxpayer_of,
    verified_identity,
)
from taxgov.federal.records.transcripts import (
    TranscriptKind,
    TranscriptUnavailableError,
    available_years,
    transcript_filename,
)
from taxgov.federal.signin.access import VERIFIED_IDENTITY

SEND_LIMIT = "federal.authorizations.send"


def _listed(authorizations: list[Authorization], *, active_only: bool) -> list[dict[str, Any]]:
    """Each authorization with its matters and years (the ones still covered, when active)."""
    return [
        {
            "authorization": authorization,
            "matters": queries.years_by_matter(
                queries.active_lines(authorization) if active_only else list(authorization.lines.all())
            ),
        }
        for authorization in authorizations
    ]


# --- the taxpayer ---


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    taxpayer = taxpayer_of(request)
    context = {
        "pending": _listed(queries.requests_to(taxpayer), active_only=False),
        "active": _listed(queries.active_for(taxpayer), active_only=True),
        "ended": _listed(queries.ended_for(taxpayer), active_only=False),
        "verifications": queries.verifications_for(taxpayer),
        "today": timezone.localdate(),
    }
    return render(request, "authorizations/index.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    """A request: who, what and which years; sign it (the checkbox) or reject it."""
    authorization = access.request_to_me(request, public_id)
    statement = declaration(authorization)
    overlapping = queries.overlapping(authorization)
    form = SignatureForm(request.POST or None, declaration=statement, with_keep=bool(overlapping))
    if request.method == "POST":
        try:
            if "reject" in request.POST:
                actions.do_reject_authorization(authorization, user=signed_in_user(request), request=request)
                messages.success(request, _("You rejected the request. It gives nobody access."))
                return redirect("authorizations:index")
            if form.is_valid():
                actions.do_approve_authorization(
                    authorization,
                    user=signed_in_user(request),
                    declaration=statement,
                    keep_earlier=form.cleaned_data.get("keep_earlier", False),
                    request=request,
                )
                messages.success(request, _("You signed the authorization. It is active now."))
                return redirect("authorizations:index")
        except actions.AuthorizationError as error:
            messages.error(request, str(error))
            return redirect("authorizations:index")
    context = {
        "authorization": authorization,
        "professional": authorization.professional,
        "matters": queries.years_by_matter(list(authorization.lines.all())),
        "overlapping": [
            {"authorization": other, "matters": queries.years_by_matter(lost)} for other, lost in overlapping
        ],
        "form": form,
        "is_pending": authorization.status == AuthorizationStatus.PENDING,
    }
    return render(request, "authorizations/decide.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    authorization = access.request_to_me(request, public_id)
    if request.method == "GET":
        context = {
            "authorization": authorization,
            "matters": queries.years_by_matter(queries.active_lines(authorization)),
        }
        return render(request, "authorizations/revoke.html", context)
    try:
        actions.do_revoke_authorization(authorization, user=signed_in_user(request), request=request)
    except actions.AuthorizationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The authorization is revoked. It no longer gives access to your account."))
    return redirect("authorizations:index")


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_http_methods(["GET", "POST"])
def verification_decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    """An income verification request: release the return transcripts, or reject."""
    verification = access.verification_to_me(request, public_id)
    today = timezone.localdate()
    statement = verification_declaration(verification, today)
    form = SignatureForm(request.POST or None, declaration=statement, with_keep=False)
    if request.method == "POST":
        user = signed_in_user(request)
        try:
            if "reject" in request.POST:
                actions.do_reject_income_verification(verification, user=user, request=request)
                messages.success(request, _("You rejected the request. No transcript is released."))
                return redirect("authorizations:index")
            if form.is_valid():
                actions.do_approve_income_verification(
                    verification, user=user, declaration=statement, today=today, request=request
                )
                messages.success(request, _("You approved the request. The transcripts can be downloaded now."))
                return redirect("authorizations:index")
        except actions.AuthorizationError as error:
            messages.error(request, str(error))
            return redirect("authorizations:index")
    context = {
        "verification": verification,
        "years": queries.spans(verification.tax_years),
        "form": form,
        "is_pending": verification.status == VerificationStatus.PENDING,
        "days": queries.release_days(today),
    }
    return render(request, "authorizations/verification_decide.html", context)


# --- the professional ---


@access_rule(VERIFIED_IDENTITY)
@require_http_methods(["GET", "POST"])
def pro_create(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The professional profile: a tax professional's designation and license, or a
    participant's company; an address; the rules accepted. Named as the provider verified."""
    user = signed_in_user(request)
    if access.HAS_PROFESSIONAL_PROFILE.allows(request):
        return redirect("authorizations:pro-home")
    form_class = TaxProfessionalForm if kind == ProfessionalKind.TAX_PROFESSIONAL else ParticipantForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        details = {name: value for name, value in form.cleaned_data.items() if name != "accept_rules"}
        professional = actions.do_create_professional(
            user, verified_identity(request), kind=ProfessionalKind(kind), details=details, request=request
        )
        messages.success(
            request, _("Your profile is ready. Your number is %(number)s.") % {"number": professional.number}
        )
        return redirect("authorizations:pro-home")
    return render(request, "authorizations/pro_create.html", {"form": form, "kind": kind})


@access_rule(VERIFIED_IDENTITY, HAS_PROFESSIONAL_PROFILE)
@require_GET
def pro_home(request: HttpRequest) -> HttpResponse:
    professional = access.professional_of(request)
    context: dict[str, Any] = {"professional": professional, "today": timezone.localdate()}
    if professional.kind == ProfessionalKind.TAX_PROFESSIONAL:
        context["clients"] = [
            (name, _listed(authorizations, active_only=True))
            for name, authorizations in queries.clients_of(professional)
        ]
        context["sent"] = _listed(queries.sent_by(professional), active_only=False)
    else:
        context["verifications"] = queries.verifications_by(professional)
    return render(request, "authorizations/pro_home.html", context)


def _limited(request: HttpRequest) -> bool:
    """Counts one sent request; True when the sender has sent too many."""
    user = signed_in_user(request)
    if rate_limiter(SEND_LIMIT).hit(str(user.pk)):
        return False
    actions.do_refuse_request(user, request=request)
    return True


def _sent(request: HttpRequest) -> None:
    """What the sender is told, whether or not the details matched anyone."""
    messages.success(
        request,
        _(
            "Request sent. If the name, SSN or ITIN and address match our records, the taxpayer sees it in their "
            "online account and can sign it there."
        ),
    )


@access_rule(VERIFIED_IDENTITY, HAS_PROFESSIONAL_PROFILE)
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponseBase:
    """Send a power of attorney or tax information authorization request to an individual."""
    professional = access.professional_of(request, ProfessionalKind.TAX_PROFESSIONAL)
    today = timezone.localdate()
    form = AuthorizationRequestForm(request.POST or None, professional=professional, today=today)
    if request.method != "POST" or not form.is_valid():
        return render(request, "authorizations/request_new.html", {"form": form, "professional": professional})
    if _limited(request):
        form.add_error(None, _("You have sent too many requests. Try again later."))
        return render(
            request, "authorizations/request_new.html", {"form": form, "professional": professional}, status=429
        )
    data = form.cleaned_data
    try:
        authorization = actions.do_send_authorization_request(
            professional,
            kind=AuthorizationKind(data["kind"]),
            client=form.client(),
            matters=[TaxMatter(matter) for matter in data["matters"]],
            years=range(data["first_year"], data["last_year"] + 1),
            today=today,
            request=request,
        )
    except actions.AuthorizationError as error:
        form.add_error(None, str(error))
        return render(request, "authorizations/request_new.html", {"form": form, "professional": professional})
    _sent(request)
    return redirect("authorizations:request-detail", public_id=authorization.public_id)


@access_rule(VERIFIED_IDENTITY, HAS_PROFESSIONAL_PROFILE)
@require_GET
def request_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A request as sent, and when active, the matters and years it covers now."""
    authorization = access.sent_by_me(request, public_id)
    context = {
        "authorization": authorization,
        "requested": queries.years_by_matter(list(authorization.lines.all())),
        "covered": queries.active_lines(authorization),
        "can_withdraw": authorization.status in (AuthorizationStatus.PENDING, AuthorizationStatus.ACTIVE),
    }
    return render(request, "authorizations/request_detail.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFESSIONAL_PROFILE)
@require_http_methods(["GET", "POST"])
def request_withdraw(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    authorization = access.sent_by_me(request, public_id)
    if request.method == "GET":
        return render(request, "authorizations/request_withdraw.html", {"authorization": authorization})
    try:
        actions.do_withdraw_authorization(authorization, user=signed_in_user(request), request=request)
    except actions.AuthorizationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Withdrawn. It no longer gives you access."))
    return redirect("authorizations:request-detail", public_id=authorization.public_id)


@access_rule(VERIFIED_IDENTITY, HAS_PROFESSIONAL_PROFILE)
@require_GET
def client_year(request: HttpRequest, public_id: uuid.UUID, matter: str, year: int) -> HttpResponse:
    """A client's balance and account activity for one authorized matter and year."""
    line = access.authorized_line(request, public_id, matter, year)
    authorization = line.authorization
    assert authorization.taxpayer is not None  # noqa: S101 (an active authorization has its taxpayer)
    today = timezone.localdate()
    account = queries.year_account(authorization.taxpayer, matter, year, today)
    actions.do_note_account_viewed(authorization, matter, year, request=request)
    context = {
        "authorization": authorization,
        "line": line,
        "account": account,
        "transcript": account.period is not None and year in available_years(TranscriptKind.ACCOUNT, today),
    }
    return render(request, "authorizations/client_year.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFESSIONAL_PROFILE)
@require_GET
def client_transcript(request: HttpRequest, public_id: uuid.UUID, year: int) -> HttpResponseBase:
    """The account transcript of a year the professional is authorized for (Form 1040 income tax)."""
    line = access.authorized_line(request, public_id, TaxMatter.INCOME_TAX, year)
    try:
        document = actions.do_release_account_transcript(
            line.authorization, year, today=timezone.localdate(), request=request
        )
    except TranscriptUnavailableError as error:
        messages.error(request, str(error))
        return redirect("authorizations:client-year", public_id=public_id, matter=TaxMatter.INCOME_TAX, year=year)
    return pdf_download(document, transcript_filename(TranscriptKind.ACCOUNT, year))


@access_rule(VERIFIED_IDENTITY, HAS_PROFESSIONAL_PROFILE)
@require_http_methods(["GET", "POST"])
def verification_new(request: HttpRequest) -> HttpResponseBase:
    """A participant asks for a taxpayer's return transcripts."""
    participant = access.professional_of(request, ProfessionalKind.INCOME_VERIFICATION)
    today = timezone.localdate()
    form = VerificationRequestForm(request.POST or None, today=today)
    if request.method != "POST" or not form.is_valid():
        return render(request, "authorizations/verification_new.html", {"form": form})
    if _limited(request):
        form.add_error(None, _("You have sent too many requests. Try again later."))
        return render(request, "authorizations/verification_new.html", {"form": form}, status=429)
    try:
        verification = actions.do_request_income_verification(
            participant,
            client=form.client(),
            tax_years=form.cleaned_data["tax_years"],
            customer_file_number=form.cleaned_data["customer_file_number"],
            today=today,
            request=request,
        )
    except actions.AuthorizationError as error:
        form.add_error(None, str(error))
        return render(request, "authorizations/verification_new.html", {"form": form})
    _sent(request)
    return redirect("authorizations:verification-detail", public_id=verification.public_id)


@access_rule(VERIFIED_IDENTITY, HAS_PROFESSIONAL_PROFILE)
@require_GET
def verification_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    verification = access.my_verification(request, public_id)
    today = timezone.localdate()
    context = {
        "verification": verification,
        "years": queries.spans(verification.tax_years),
        "available": queries.transcript_available(verification, today),
        "expired": verification.available_until is not None and today > verification.available_until,
    }
    return render(request, "authorizations/verification_detail.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFESSIONAL_PROFILE)
@require_GET
def verification_transcript(request: HttpRequest, public_id: uuid.UUID, year: int) -> HttpResponseBase:
    """A released return transcript, while the release lasts; each download is audited."""
    today = timezone.localdate()
    verification = access.released_year(request, public_id, year, today)
    try:
        document = actions.do_release_return_transcript(verification, year, today=today, request=request)
    except TranscriptUnavailableError as error:
        messages.error(request, str(error))
        return redirect("authorizations:verification-detail", public_id=public_id)
    return pdf_download(document, transcript_filename(TranscriptKind.RETURN, year))
