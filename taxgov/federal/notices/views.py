"""Notices: the list with what is unread, each notice and its PDF, mark as unread, and the
paperless and email preferences."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taxgov.common.access.rules import access_rule
from taxgov.common.downloads import pdf_download
from taxgov.federal.notices import actions, content, queries
from taxgov.federal.notices.access import own_notice
from taxgov.federal.notices.forms import PreferencesForm
from taxgov.federal.notices.wording import WORDING
from taxgov.federal.profile.access import (
    HAS_PROFILE,
    manages_account,
    signed_in_user,
    taxpayer_of,
    verified_identity,
)
from taxgov.federal.signin.access import VERIFIED_IDENTITY
from taxgov.ledger.models import NoticeKind
from taxgov.ledger.templatetags.ledger import money


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    taxpayer = taxpayer_of(request)
    rows = queries.notices_of(taxpayer)
    context = {
        "rows": rows,
        "unread": sum(not row.read for row in rows),
        "preferences": queries.preferences_of(taxpayer),
        "may_change": manages_account(request),
    }
    return render(request, "notices/index.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = own_notice(request, notice_id)
    actions.do_mark_read(notice)
    copy = content.copy_of(notice)
    context = {
        "copy": copy,
        "amount_headers": [_("Part"), _("Amount")],
        "amount_rows": [[label, money(amount)] for label, amount in copy.amounts],
        "amount_numeric": [1],
        "questions": content.questions(),
    }
    return render(request, "notices/detail.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def download(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = own_notice(request, notice_id)
    copy = content.copy_of(notice)
    pdf = content.notice_pdf(copy)
    actions.do_record_download(notice, user=signed_in_user(request), request=request)
    return pdf_download(pdf, copy.filename)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_POST
def mark_unread(request: HttpRequest, notice_id: int) -> HttpResponseBase:
    notice = own_notice(request, notice_id)
    actions.do_mark_unread(notice)
    messages.success(request, _("%(notice)s is marked as unread.") % {"notice": notice.kind})
    return redirect("notices:index")


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponseBase:
    """The paperless and email choices. A Designated User of a business sees its choices but
    cannot change them: no form, and a post is refused."""
    may_change = manages_account(request)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    taxpayer = taxpayer_of(request)
    today = timezone.localdate()
    saved = queries.preferences_of(taxpayer)
    online = queries.online_kinds(today)
    context: dict[str, object] = {
        "saved": saved,
        "online": [f"{code}: {NoticeKind(code).label}" for code in WORDING if code in online],
    }
    if not may_change:
        return render(request, "notices/preferences.html", context)
    email_address = verified_identity(request).email
    initial = {"paperless": bool(saved and saved.paperless_since), "email": bool(saved and saved.email_since)}
    form = PreferencesForm(request.POST or None, initial=initial, email_address=email_address)
    if request.method == "POST" and form.is_valid():
        actions.do_change_preferences(
            taxpayer,
            user=signed_in_user(request),
            paperless=form.cleaned_data["paperless"],
            email=form.cleaned_data["email"],
            email_address=email_address,
            today=today,
            request=request,
        )
        messages.success(request, _("Your notice preferences are saved."))
        return redirect("notices:preferences")
    context.update(form=form, email_address=email_address)
    return render(request, "notices/preferences.html", context)
