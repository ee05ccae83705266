"""Account changes that concern security: the notice (with "this wasn't me") sent after
every change to how someone signs in, disavowing a change, resetting a forgotten
password, and deleting the account."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email
from taxgov.common.mfa.actions import do_revoke_device
from taxgov.common.mfa.queries import live_devices
from taxgov.identity.accounts import tasks
from taxgov.identity.accounts.links import password_reset_link
from taxgov.identity.accounts.models import AccountReset, User
from taxgov.identity.accounts.notices import do_notify_security_change
from taxgov.identity.accounts.tags import AccountTag


def do_request_password_reset(email: str, *, request: HttpRequest) -> None:
    """Queue the look-up and the e-mail, so the page answers in the same time whether or not
    the address has an account (and says the same either way)."""
    base_url = request.build_absolute_uri("/")
    transaction.on_commit(lambda: tasks.send_password_reset.delay(email=email, base_url=base_url))


@transaction.atomic
def do_reset_password(user: User, password: str, *, request: HttpRequest, what: str) -> None:
    """A new password; remembered browsers are forgotten, so the next sign-in anywhere asks
    for the second step. Verified identity is kept (ADR 0015)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    for device in live_devices(user.pk):
        do_revoke_device(device, request=request)
    record_event(AccountTag.RESET, subject=f"user:{user.pk}", request=request)
    do_notify_security_change(user, what, request=request)


@transaction.atomic
def do_disavow(user: User, *, request: HttpRequest) -> None:
    """ "This wasn't me": the password stops working at once (which ends every session),
    remembered browsers are forgotten, and a reset link goes to the owner."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    for device in live_devices(user.pk):
        do_revoke_device(device, request=request)
    AccountReset.objects.filter(user=user, cancelled_at=None, completed_at=None).update(cancelled_at=timezone.now())
    record_event(AccountTag.DISAVOWED, subject=f"user:{user.pk}", request=request)
    send_email(
        "password_reset",
        user.email,
        {
            "reset_url": password_reset_link(request.build_absolute_uri("/"), user),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


@transaction.atomic
def do_delete_account(user: User, *, request: HttpRequest) -> None:
    """Delete the account and everything tied to it (methods, codes, browsers); the audit
    log keeps only the reference ``user:<id>``."""
    email = user.email
    record_event(AccountTag.DELETED, subject=f"user:{user.pk}", request=request)
    user.delete()
    send_email("account_deleted", email, {})
