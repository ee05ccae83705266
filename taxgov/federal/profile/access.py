"""The only ways federal views reach a taxpayer: through the signed-in user's own profile, or
the business or estate they chose to act for (``taxgov.federal.business``).

``HAS_PROFILE`` sends someone without a profile to make one. ``taxpayer_of`` raises 404 for a
missing profile and a forbidden one alike, so no view can be pointed at another person's data.
``INDIVIDUAL_ACCOUNT`` keeps pages about a person (not an entity) for the person's own account;
``MAY_MAKE_PAYMENTS`` lets a Designated User of an entity look but not pay, and
``manages_account`` tells pages what else such a user may only look at.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from taxgov.common.access.rules import AccessRule
from taxgov.federal.accounts.models import User
from taxgov.federal.business import queries as business
from taxgov.federal.business import session as acting
from taxgov.federal.business.models import BusinessRole
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


def acting_role(request: HttpRequest) -> BusinessRole | None:
    """The role in which the signed-in person acts for the entity chosen in the session, checked
    on every request: a choice whose role was removed or has lapsed is dropped (None)."""
    if hasattr(request, acting.CACHE_ATTRIBUTE):
        cached: BusinessRole | None = getattr(request, acting.CACHE_ATTRIBUTE)
        return cached
    role = None
    entity_id = acting.chosen(request)
    if entity_id is not None:
        user_id = int(str(request.user.pk)) if request.user.is_authenticated else None
        found = business.role_of_user(user_id, entity_id) if user_id is not None else None
        if found is not None and business.may_act(found, timezone.localdate()):
            role = found
        else:
            acting.forget(request)
    setattr(request, acting.CACHE_ATTRIBUTE, role)
    return role


def taxpayer_of(request: HttpRequest) -> Taxpayer:
    """The entity the signed-in user acts for, or the taxpayer of their own profile."""
    role = acting_role(request)
    return role.entity if role is not None else profile_of(request).taxpayer


def _as_individual(request: HttpRequest) -> bool:
    return acting_role(request) is None


def _for_individuals(request: HttpRequest) -> HttpResponseBase:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('business:individual_only')}?{query}")


INDIVIDUAL_ACCOUNT = AccessRule("federal-individual-account", allows=_as_individual, deny=_for_individuals)


def manages_account(request: HttpRequest) -> bool:
    """Whether the person may change the account the page serves: their own, or an entity's as
    a Designated Official. A Designated User only looks."""
    role = acting_role(request)
    return role is None or role.is_official


def _look_only(request: HttpRequest) -> HttpResponseBase:
    return render(request, "business/look_only.html", {"role": acting_role(request)}, status=403)


MAY_MAKE_PAYMENTS = AccessRule("federal-may-make-payments", allows=manages_account, deny=_look_only)
