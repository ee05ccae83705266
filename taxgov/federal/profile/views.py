"""Create your profile (first visit), the no-match page, and the Profile page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taxgov.common.access.rules import access_rule
from taxgov.common.identifiers import masked_tin
from taxgov.common.ratelimit import client_ip, rate_limiter
from taxgov.federal.profile import access, actions, queries
from taxgov.federal.profile.access import HAS_PROFILE
from taxgov.federal.signin.access import VERIFIED_IDENTITY
from taxgov.federal.signin.identity import SignedInIdentity
from taxgov.ledger import queries as ledger


def _verified_details(identity: SignedInIdentity) -> list[list[str]]:
    birthdate = formats.date_format(identity.birthdate, "DATE_FORMAT") if identity.birthdate else ""
    return [
        [_("Name"), f"{identity.given_name} {identity.family_name}".strip()],
        [_("Date of birth"), birthdate],
        [_("Social Security number"), masked_tin(identity.ssn)],
    ]


@access_rule(VERIFIED_IDENTITY)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Show what the provider verified; on POST, look for the taxpayer it belongs to."""
    user = access.signed_in_user(request)
    if queries.has_profile(user.pk):
        return redirect("balances:home")
    identity = access.verified_identity(request)
    context = {"headers": [_("Detail"), _("As verified")], "details": _verified_details(identity)}
    if request.method == "POST":
        ip = client_ip(request)
        by_user, by_ip = rate_limiter("federal.profile.match.user"), rate_limiter("federal.profile.match.ip")
        if not (by_user.hit(str(user.pk)) and by_ip.hit(ip)):
            actions.do_refuse_profile_attempt(user, request=request)
            wait = max(by_user.resets_in(str(user.pk)), by_ip.resets_in(ip), dt.timedelta(minutes=1))
            context["limited_minutes"] = -(-int(wait.total_seconds()) // 60)
            return render(request, "profile/create.html", context, status=429)
        if actions.do_create_profile(user, identity, request=request) is None:
            return redirect("profile:not_found")
        messages.success(request, _("Your profile is ready."))
        return redirect("balances:home")
    return render(request, "profile/create.html", context)


@access_rule(VERIFIED_IDENTITY)
@require_GET
def not_found(request: HttpRequest) -> HttpResponse:
    if queries.has_profile(access.signed_in_user(request).pk):
        return redirect("balances:home")
    return render(request, "profile/not_found.html", {"contact": settings.TAXGOV_FEDERAL_CONTACT})


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def detail(request: HttpRequest) -> HttpResponse:
    """The profile: who the account is in our records, and the sign-in account behind it."""
    profile = access.profile_of(request)
    identity = access.verified_identity(request)
    taxpayer = profile.taxpayer
    signed_in = (
        timezone.localtime(dt.datetime.fromtimestamp(identity.auth_time, tz=dt.UTC)) if identity.auth_time else None
    )
    context = {
        "headers": [_("Detail"), _("On file")],
        "profile_rows": [
            [_("Name"), taxpayer.display_name],
            [taxpayer.get_tin_type_display(), masked_tin(taxpayer.tin)],
            [_("Profile created"), formats.date_format(timezone.localtime(profile.created_at), "DATE_FORMAT")],
        ],
        "account_rows": [
            [_("Email address"), identity.email or _("Not shared with us")],
            [_("Identity"), _("Verified by your identity provider")],
            [
                _("Signed in"),
                formats.date_format(timezone.localtime(signed_in), "DATETIME_FORMAT") if signed_in else "",
            ],
        ],
        "address": ledger.current_address(taxpayer),
        "contact": settings.TAXGOV_FEDERAL_CONTACT,
    }
    return render(request, "profile/detail.html", context)
