"""The federal sign-in's writes: the account keyed on the provider's subject, and the audit
trail of sign-ins that worked and did not."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from taxgov.common.audit.actions import record_event
from taxgov.federal.accounts.models import User
from taxgov.federal.signin.tags import FederalSigninTag


@transaction.atomic
def do_sign_in(subject: str, *, acr: str, request: HttpRequest) -> User:
    """The account of this subject, made on the first visit. Never looked up by e-mail:
    an address can change hands; the provider's subject cannot."""
    user, created = User.objects.get_or_create(subject=subject)
    record_event(
        FederalSigninTag.SIGNED_IN,
        actor=f"user:{user.pk}",
        subject=f"user:{user.pk}",
        request=request,
        extra={"acr": acr, "first_visit": created},
    )
    return user


def do_note_failed_sign_in(reason: str, *, request: HttpRequest) -> None:
    record_event(FederalSigninTag.SIGN_IN_FAILED, request=request, extra={"reason": reason[:200]})


def do_note_sign_out(*, request: HttpRequest) -> None:
    record_event(FederalSigninTag.SIGNED_OUT, request=request)
