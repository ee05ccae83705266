"""The only ways federal views reach a taxpayer: through the signed-in user's own profile.

``HAS_PROFILE`` sends someone without a profile to make one. ``taxpayer_of`` raises 404 for a
missing profile and a forbidden one alike, so no view can be pointed at another person's data.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from taxgov.common.access.rules import AccessRule
from taxgov.federal.accounts.models import User
from taxgov.federal.profile import queries
from taxgov.federal.profile.models import Profile
from taxgov.federal.signin import identity
from taxgov.federal.signin.identity import SignedInIdentity
from taxgov.ledger.models import Taxpayer


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request whose view requires a sign-in (checked by its access rule)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def verified_identity(request: HttpRequest) -> SignedInIdentity:
    """The identity the provider verified for this session (behind ``VERIFIED_IDENTITY``)."""
    found = identity.current(request)
    if found is None or not found.verified:
        raise Http404
    return found


def _has_profile(request: HttpRequest) -> bool:
    return request.user.is_authenticated and queries.has_profile(int(str(request.user.pk)))


def _make_one(request: HttpRequest) -> HttpResponseBase:
    return redirect("profile:create")


HAS_PROFILE = AccessRule("federal-profile", allows=_has_profile, deny=_make_one)


def profile_of(request: HttpRequest) -> Profile:
    profile = queries.profile_of_user(signed_in_user(request).pk)
    if profile is None:
        raise Http404
    return profile


def taxpayer_of(request: HttpRequest) -> Taxpayer:
    """The taxpayer of the signed-in user's profile."""
    return profile_of(request).taxpayer
