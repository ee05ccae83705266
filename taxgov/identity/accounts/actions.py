"""Account changes that concern security: the notice (with "this wasn't me") sent after
every change to how someone signs in, disavowing a change, resetting a forgotten
password, and deleting the account."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email
from taxgov.common.mfa.actions import do_revoke_device
from taxgov.common.mfa.display import describe_browser
from taxgov.common.mfa.queries import live_devices
from taxgov.identity.accounts.models import User
from taxgov.identity.accounts.tags import AccountTag

DISAVOW_SALT = "taxgov.identity.disavow"
DISAVOW_DAYS = 10


def disavow_link(request: HttpRequest, user: User, what: str) -> str:
    token = signing.dumps({"user": user.pk, "what": what}, salt=DISAVOW_SALT, compress=True)
    return request.build_absolute_uri(reverse("account:disavow", kwargs={"token": token}))


def user_from_disavow_token(token: str) -> User | None:
    try:
        payload = signing.loads(token, salt=DISAVOW_SALT, max_age=DISAVOW_DAYS * 86400)
    except signing.BadSignature:
        return None
    user_id = payload.get("user") if isinstance(payload, dict) else None
    return User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None


def do_notify_security_change(user: User, what: str, *, request: HttpRequest) -> None:
    """E-mail the account's owner what changed, when and from which browser, with a link to
    say it was not them. ``what`` is a sentence for the e-mail, already translated."""
    send_email(
        "security_notice",
        user.email,
        {
            "what": what,
            "when": timezone.localtime(),
            "browser": describe_browser(request.headers.get("User-Agent", "")),
            "disavow_url": disavow_link(request, user, what),
        },
    )
    record_event(AccountTag.SECURITY_NOTICE_SENT, subject=f"user:{user.pk}", request=request)


def password_reset_link(request: HttpRequest, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("account:reset_password", kwargs={"uidb64": uid, "token": token}))


@transaction.atomic
def do_request_password_reset(email: str, *, request: HttpRequest) -> None:
    """Send a reset link if the address has an account; the page says the same either way."""
    user = User.objects.filter(email__iexact=User.objects.normalize_sign_in_name(email), is_active=True).first()
    if user is None or not user.finished_sign_up:
        return
    send_email(
        "password_reset",
        user.email,
        {"reset_url": password_reset_link(request, user), "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )
    record_event(AccountTag.RESET_REQUESTED, subject=f"user:{user.pk}", request=request)


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
    record_event(AccountTag.DISAVOWED, subject=f"user:{user.pk}", request=request)
    send_email(
        "password_reset",
        user.email,
        {"reset_url": password_reset_link(request, user), "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )


@transaction.atomic
def do_delete_account(user: User, *, request: HttpRequest) -> None:
    """Delete the account and everything tied to it (methods, codes, browsers); the audit
    log keeps only the reference ``user:<id>``."""
    email = user.email
    record_event(AccountTag.DELETED, subject=f"user:{user.pk}", request=request)
    user.delete()
    send_email("account_deleted", email, {})
