"""The only ways authorization views get objects: a taxpayer reaches requests linked to them; a
professional reaches what they sent, and a client's account only for a matter and year an
active authorization covers. Anything else is a 404, the same as for a stranger."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from taxgov.common.access.rules import AccessRule
from taxgov.federal.authorizations import queries
from taxgov.federal.authorizations.models import (
    Authorization,
    AuthorizationLine,
    IncomeVerification,
    Professional,
    ProfessionalKind,
)
from taxgov.federal.profile.access import signed_in_user, taxpayer_of

_CACHE_ATTRIBUTE = "_federal_professional"  # the profile found for this request, once looked up


def _professional(request: HttpRequest) -> Professional | None:
    """The signed-in user's professional profile, looked up once per request: the access rule
    and the view both ask. A missing one is not kept, so a profile made later in the request counts."""
    cached: Professional | None = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None or not request.user.is_authenticated:
        return cached
    professional = Professional.objects.filter(user_id=request.user.pk).first()
    if professional is not None:
        setattr(request, _CACHE_ATTRIBUTE, professional)
    return professional


def _make_one(request: HttpRequest) -> HttpResponseBase:
    return redirect("authorizations:pro-create")


HAS_PROFESSIONAL_PROFILE = AccessRule(
    "federal-professional", allows=lambda request: _professional(request) is not None, deny=_make_one
)


def professional_of(request: HttpRequest, kind: ProfessionalKind | None = None) -> Professional:
    """The signed-in user's professional profile (of that kind, when one is named)."""
    signed_in_user(request)  # a federal user, or 404
    professional = _professional(request)
    if professional is None or (kind is not None and professional.kind != kind):
        raise Http404
    return professional


def request_to_me(request: HttpRequest, public_id: uuid.UUID) -> Authorization:
    """A request or authorization linked to the signed-in taxpayer."""
    found = Authorization.objects.filter(public_id=public_id, taxpayer=taxpayer_of(request))
    authorization = found.select_related("professional").first()
    if authorization is None:
        raise Http404
    return authorization


def verification_to_me(request: HttpRequest, public_id: uuid.UUID) -> IncomeVerification:
    found = IncomeVerification.objects.filter(public_id=public_id, taxpayer=taxpayer_of(request))
    verification = found.select_related("participant").first()
    if verification is None:
        raise Http404
    return verification


def sent_by_me(request: HttpRequest, public_id: uuid.UUID) -> Authorization:
    """A request the signed-in tax professional sent."""
    professional = professional_of(request, ProfessionalKind.TAX_PROFESSIONAL)
    found = Authorization.objects.filter(public_id=public_id, professional=professional)
    authorization = found.select_related("taxpayer").first()
    if authorization is None:
        raise Http404
    return authorization


def authorized_line(request: HttpRequest, public_id: uuid.UUID, matter: str, year: int) -> AuthorizationLine:
    """A matter and year an active authorization of the signed-in professional covers now."""
    authorization = sent_by_me(request, public_id)
    for line in queries.active_lines(authorization):
        if line.matter == matter and line.year == year:
            return line
    raise Http404


def my_verification(request: HttpRequest, public_id: uuid.UUID) -> IncomeVerification:
    participant = professional_of(request, ProfessionalKind.INCOME_VERIFICATION)
    verification = IncomeVerification.objects.filter(public_id=public_id, participant=participant).first()
    if verification is None:
        raise Http404
    return verification


def released_year(request: HttpRequest, public_id: uuid.UUID, year: int, today: dt.date) -> IncomeVerification:
    """An approved request, still within its release period, that names this year."""
    verification = my_verification(request, public_id)
    if not queries.transcript_available(verification, today) or year not in verification.tax_years:
        raise Http404
    return verification
