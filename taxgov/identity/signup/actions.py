"""Sign-up: an e-mail address, confirmed by a code or a link, then a password, then a
second step. Asking to sign up with an address that already has an account looks the same
to the person asking; the owner is told by e-mail instead."""

from __future__ import annotations

import hmac
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email
from taxgov.common.security.codes import code_hash, new_code
from taxgov.identity.accounts.models import EmailAddress, User
from taxgov.identity.signup.tags import SignupTag

CONFIRMATION_HOURS = 24
CONFIRMATION_ATTEMPTS = 5
LINK_SALT = "taxgov.identity.signup.confirm"


def _code_hash(user: User, code: str) -> str:
    return code_hash("signup-code", user.pk, code)


def confirmation_link(request: HttpRequest, user: User) -> str:
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=LINK_SALT, compress=True)
    return request.build_absolute_uri(reverse("signup:confirm_link", kwargs={"token": token}))


@transaction.atomic
def do_start_sign_up(email: str, *, request: HttpRequest) -> None:
    """Send a confirmation code and link to a new (or not yet confirmed) address; tell the
    owner of an existing account that someone tried to sign up with it."""
    address = User.objects.normalize_sign_in_name(email)
    user = User.objects.filter(email__iexact=address).first()
    taken_elsewhere = EmailAddress.objects.filter(email__iexact=address, confirmed_at__isnull=False).first()
    if taken_elsewhere is not None:
        user = taken_elsewhere.user
    # Once an address is confirmed, sign-up never touches its account again (a forgotten or
    # locked password is reset by e-mail, and the second step is still needed).
    if user is not None and user.email_confirmed_at is not None:
        record_event(SignupTag.EXISTING_EMAIL, subject=f"user:{user.pk}", request=request)
        send_email(
            "signup_existing",
            user.email,
            {"sign_in_url": request.build_absolute_uri(reverse("signin:sign_in"))},
        )
        return
    if user is None:
        user = User.objects.create_user(address, None)
        record_event(SignupTag.STARTED, subject=f"user:{user.pk}", request=request)
    code = new_code()
    user.confirmation_code_hash = _code_hash(user, code)
    user.confirmation_sent_at = timezone.now()
    user.confirmation_attempts = 0
    user.save(update_fields=["confirmation_code_hash", "confirmation_sent_at", "confirmation_attempts"])
    send_email(
        "signup_confirm",
        user.email,
        {"code": code, "link": confirmation_link(request, user), "hours": CONFIRMATION_HOURS},
    )


def _confirmable(email: str) -> User | None:
    """The unconfirmed account a code or link may confirm: once confirmed, never again."""
    user = User.objects.filter(email__iexact=User.objects.normalize_sign_in_name(email)).first()
    if user is None or user.email_confirmed_at is not None or user.confirmation_sent_at is None:
        return None
    if timezone.now() - user.confirmation_sent_at > timedelta(hours=CONFIRMATION_HOURS):
        return None
    return user


@transaction.atomic
def do_confirm_by_code(email: str, code: str, *, request: HttpRequest) -> User | None:
    """The account whose address the code confirms, or None (wrong, expired, used up, or no
    such sign-up: all the same answer)."""
    user = _confirmable(email)
    if user is None:
        return None
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.confirmation_attempts >= CONFIRMATION_ATTEMPTS:
        return None
    user.confirmation_attempts += 1
    user.save(update_fields=["confirmation_attempts"])
    if not hmac.compare_digest(user.confirmation_code_hash, _code_hash(user, code)):
        record_event(SignupTag.CONFIRMATION_FAILED, subject=f"user:{user.pk}", request=request)
        return None
    return _confirmed(user, request)


@transaction.atomic
def do_confirm_by_link(token: str, *, request: HttpRequest) -> User | None:
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=CONFIRMATION_HOURS * 3600)
    except signing.BadSignature:
        return None
    user = _confirmable(str(payload.get("email", "")))
    if user is None or user.pk != payload.get("user"):
        return None
    return _confirmed(User.objects.select_for_update().get(pk=user.pk), request)


def _confirmed(user: User, request: HttpRequest) -> User:
    user.email_confirmed_at = timezone.now()
    user.confirmation_code_hash = ""
    user.save(update_fields=["email_confirmed_at", "confirmation_code_hash"])
    record_event(SignupTag.CONFIRMED, subject=f"user:{user.pk}", request=request)
    return user


@transaction.atomic
def do_set_first_password(user: User, password: str, *, request: HttpRequest) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    record_event(SignupTag.PASSWORD_SET, subject=f"user:{user.pk}", request=request)
