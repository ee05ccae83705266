"""The security notice e-mailed after every change to how someone signs in, and the
"this wasn't me" link it carries (single use: it is bound to the current password)."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email
from taxgov.common.mfa.display import describe_browser
from taxgov.identity.accounts.models import User
from taxgov.identity.accounts.tags import AccountTag

DISAVOW_SALT = "taxgov.identity.disavow"
DISAVOW_DAYS = 10


def _password_stamp(user: User) -> str:
    """Changes whenever the password does: a used (or outdated) link stops working."""
    return salted_hmac(DISAVOW_SALT, user.password).hexdigest()[:16]


def disavow_link(request: HttpRequest, user: User, what: str) -> str:
    token = signing.dumps({"user": user.pk, "stamp": _password_stamp(user)}, salt=DISAVOW_SALT, compress=True)
    return request.build_absolute_uri(reverse("account:disavow", kwargs={"token": token}))


def user_from_disavow_token(token: str) -> User | None:
    try:
        payload = signing.loads(token, salt=DISAVOW_SALT, max_age=DISAVOW_DAYS * 86400)
    except signing.BadSignature:
        return None
    user_id = payload.get("user") if isinstance(payload, dict) else None
    user = User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is None or not constant_time_compare(str(payload.get("stamp", "")), _password_stamp(user)):
        return None
    return user


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
