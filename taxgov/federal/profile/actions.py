"""Writes of the profile: made once, from the verified identity, with an audit event either way."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from taxgov.common.audit.actions import record_event
from taxgov.federal.accounts.models import User
from taxgov.federal.profile import queries
from taxgov.federal.profile.models import Profile
from taxgov.federal.profile.queries import NoMatch
from taxgov.federal.profile.tags import ProfileTag
from taxgov.federal.signin.identity import SignedInIdentity


def _not_matched(user: User, reason: NoMatch, request: HttpRequest | None) -> None:
    record_event(
        ProfileTag.NOT_MATCHED,
        actor=f"user:{user.pk}",
        subject=f"user:{user.pk}",
        request=request,
        extra={"reason": str(reason)},
    )


@transaction.atomic
def do_create_profile(user: User, identity: SignedInIdentity, *, request: HttpRequest | None = None) -> Profile | None:
    """Link ``user`` to the taxpayer the verified identity matches; None (and an event saying
    why, without the claims) when it matches nobody or that taxpayer already has a profile."""
    match = queries.match_taxpayer(identity)
    if match.taxpayer is None:
        _not_matched(user, match.reason or NoMatch.NOT_ON_FILE, request)
        return None
    try:
        with transaction.atomic():
            profile = Profile.objects.create(user=user, taxpayer=match.taxpayer)
    except IntegrityError:
        # Another request got there first: this user's own (a double submit), or another
        # sign-in account's for the same taxpayer.
        mine = Profile.objects.filter(user=user, taxpayer=match.taxpayer).first()
        if mine is not None:
            return mine
        _not_matched(user, NoMatch.ALREADY_LINKED, request)
        return None
    record_event(
        ProfileTag.CREATED,
        actor=f"user:{user.pk}",
        subject=f"taxpayer:{match.taxpayer.pk}",
        request=request,
        extra={"profile": profile.pk},
    )
    return profile


def do_refuse_profile_attempt(user: User, *, request: HttpRequest | None = None) -> None:
    """Record an attempt refused by the rate limit (nothing was matched)."""
    record_event(ProfileTag.RATE_LIMITED, actor=f"user:{user.pk}", subject=f"user:{user.pk}", request=request)
