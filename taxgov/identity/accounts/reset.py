"""The delayed account reset for someone who lost every second step (NIST SP 800-63B
§6.1.2.3): asked for after the password, ready after ``TAXGOV_ACCOUNT_RESET_WAIT_HOURS``,
cancelled by the owner from any of the e-mails; completing it removes every method, code
and remembered browser, and the person sets up new ones."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email
from taxgov.common.mfa.models import RecoveryCode, SecondFactor, TrustedDevice, WebAuthnCredential
from taxgov.identity.accounts.models import AccountReset, User
from taxgov.identity.accounts.notices import do_notify_security_change
from taxgov.identity.accounts.tags import AccountTag

SALT = "taxgov.identity.account_reset"
LINK_DAYS = 2


def _link(base_url: str, name: str, reset: AccountReset) -> str:
    token = signing.dumps({"reset": reset.pk}, salt=f"{SALT}.{name}", compress=True)
    return base_url.rstrip("/") + reverse(f"account:reset_{name}", kwargs={"token": token})


def reset_from_token(token: str, name: str) -> AccountReset | None:
    max_age = (settings.TAXGOV_ACCOUNT_RESET_WAIT_HOURS + 24 * LINK_DAYS) * 3600
    try:
        payload = signing.loads(token, salt=f"{SALT}.{name}", max_age=max_age)
    except signing.BadSignature:
        return None
    reset_id = payload.get("reset") if isinstance(payload, dict) else None
    if not isinstance(reset_id, int):
        return None
    return AccountReset.objects.filter(pk=reset_id, cancelled_at=None, completed_at=None).select_related("user").first()


@transaction.atomic
def do_request_account_reset(user: User, *, request: HttpRequest) -> AccountReset:
    open_reset = AccountReset.objects.filter(user=user, cancelled_at=None, completed_at=None).first()
    if open_reset is not None:
        return open_reset
    hours = settings.TAXGOV_ACCOUNT_RESET_WAIT_HOURS
    reset = AccountReset.objects.create(user=user, ready_at=timezone.now() + timedelta(hours=hours))
    record_event(AccountTag.ACCOUNT_RESET_REQUESTED, subject=f"user:{user.pk}", request=request)
    base = request.build_absolute_uri("/")
    send_email("account_reset_requested", user.email, {"hours": hours, "cancel_url": _link(base, "cancel", reset)})
    return reset


def do_send_ready_resets(base_url: str) -> int:
    """The periodic task: tell the owners whose waiting period is over, with the link."""
    due = AccountReset.objects.filter(
        cancelled_at=None, completed_at=None, ready_notice_sent_at=None, ready_at__lte=timezone.now()
    ).select_related("user")
    count = 0
    for reset in due:
        with transaction.atomic():
            send_email(
                "account_reset_ready",
                reset.user.email,
                {"reset_url": _link(base_url, "complete", reset), "cancel_url": _link(base_url, "cancel", reset)},
            )
            reset.ready_notice_sent_at = timezone.now()
            reset.save(update_fields=["ready_notice_sent_at"])
        count += 1
    return count


@transaction.atomic
def do_cancel_account_reset(reset: AccountReset, *, request: HttpRequest) -> None:
    reset.cancelled_at = timezone.now()
    reset.save(update_fields=["cancelled_at"])
    record_event(AccountTag.ACCOUNT_RESET_CANCELLED, subject=f"user:{reset.user_id}", request=request)


@transaction.atomic
def do_complete_account_reset(reset: AccountReset, *, request: HttpRequest) -> None:
    """Only once the waiting period is over: every second step goes."""
    if reset.ready_at > timezone.now():
        raise ValueError("the waiting period is not over")
    user_id = reset.user_id
    SecondFactor.objects.filter(user_id=user_id).delete()
    WebAuthnCredential.objects.filter(user_id=user_id).delete()
    RecoveryCode.objects.filter(user_id=user_id).delete()
    TrustedDevice.objects.filter(user_id=user_id, revoked_at=None).update(revoked_at=timezone.now())
    reset.completed_at = timezone.now()
    reset.save(update_fields=["completed_at"])
    record_event(AccountTag.ACCOUNT_RESET_COMPLETED, subject=f"user:{user_id}", request=request)
    do_notify_security_change(
        reset.user, _("Every second step of your account was removed, after the waiting period."), request=request
    )
