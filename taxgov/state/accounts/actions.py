"""Writes to logons: passwords (never an earlier one), profile details, access grants."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email
from taxgov.common.mfa.actions import do_revoke_device
from taxgov.common.mfa.queries import live_devices
from taxgov.ledger.models import TaxAccount, Taxpayer
from taxgov.state.accounts.models import AccessRole, AccessStatus, PasswordHistory, TaxpayerAccess, User
from taxgov.state.accounts.normalize import email_fingerprint, normalize_secret_answer
from taxgov.state.accounts.tags import AccountTag

PASSWORDS_REMEMBERED = 5


class PasswordReusedError(Exception):
    """The new password is the current one or one of the last few."""


def was_used_before(user: User, password: str) -> bool:
    if user.has_usable_password() and user.check_password(password):
        return True
    earlier = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-pk")[:PASSWORDS_REMEMBERED]
    return any(check_password(password, entry.password) for entry in earlier)


@transaction.atomic
def do_change_password(user: User, password: str, *, request: HttpRequest, reset: bool = False) -> None:
    """Set a new password. After a reset (someone may have known the old one) every trusted
    device is forgotten, so the next log-in anywhere asks for a security code."""
    if was_used_before(user, password):
        raise PasswordReusedError
    if user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(password)
    user.save(update_fields=["password"])
    if reset:
        for device in live_devices(user.pk):
            do_revoke_device(device, request=request)
    record_event(
        AccountTag.PASSWORD_RESET if reset else AccountTag.PASSWORD_CHANGED, subject=f"user:{user.pk}", request=request
    )
    send_email(
        "password_changed",
        user.email,
        {"name": user.full_name, "username": user.username, "phone": settings.TAXGOV_STATE_PORTAL["phone"]},
    )


@transaction.atomic
def do_update_contact_details(
    user: User, *, full_name: str, phone_country: str, phone_number: str, email: str, request: HttpRequest
) -> None:
    """Change name, phone or e-mail; a changed address is told at the old one too."""
    old_email = user.email
    user.full_name, user.phone_country, user.phone_number = full_name, phone_country, phone_number
    user.email, user.email_fingerprint = email, email_fingerprint(email)
    user.save(update_fields=["full_name", "phone_country", "phone_number", "email", "email_fingerprint"])
    record_event(AccountTag.PROFILE_CHANGED, subject=f"user:{user.pk}", request=request, extra={"what": "contact"})
    if old_email and old_email.casefold() != email.casefold():
        send_email("email_changed", old_email, {"name": user.full_name, "username": user.username})


@transaction.atomic
def do_set_secret_question(user: User, *, question: str, answer: str, request: HttpRequest) -> None:
    user.secret_question = question
    user.secret_answer = make_password(normalize_secret_answer(answer))
    user.save(update_fields=["secret_question", "secret_answer"])
    record_event(AccountTag.PROFILE_CHANGED, subject=f"user:{user.pk}", request=request, extra={"what": "secret"})


class AccessChangeError(Exception):
    """The access change is not allowed (for example, revoking your own master access)."""


@transaction.atomic
def do_set_access_scope(grant: TaxpayerAccess, *, account: TaxAccount | None, by: User, request: HttpRequest) -> None:
    """A Master Administrator gives a Tax Administrator all accounts (``None``) or one."""
    if grant.role != AccessRole.TAX_ADMINISTRATOR:
        raise AccessChangeError(_("Only a Tax Administrator's accounts can be changed."))
    grant.account = account
    grant.save(update_fields=["account"])
    record_event(
        AccountTag.ACCESS_CHANGED,
        actor=f"user:{by.pk}",
        subject=f"access:{grant.pk}",
        request=request,
        extra={"account": account.pk if account else None},
    )


@transaction.atomic
def do_revoke_access(grant: TaxpayerAccess, *, by: User, request: HttpRequest) -> None:
    """Owners and Master Administrators remove Tax Administrators and tax professionals;
    an owner's or a Master Administrator's own access is changed only by agency staff."""
    if grant.role in (AccessRole.MASTER_ADMINISTRATOR, AccessRole.OWNER):
        raise AccessChangeError(_("An owner's or Master Administrator's access is changed by calling the agency."))
    grant.status, grant.decided_at = AccessStatus.REVOKED, timezone.now()
    grant.save(update_fields=["status", "decided_at"])
    record_event(
        AccountTag.ACCESS_CHANGED,
        actor=f"user:{by.pk}",
        subject=f"access:{grant.pk}",
        request=request,
        extra={"revoked": True},
    )
    if grant.role == AccessRole.REPRESENTATIVE:
        _tell_professional(grant, approved=False)


@transaction.atomic
def do_request_client_access(professional: User, taxpayer: Taxpayer, *, request: HttpRequest) -> TaxpayerAccess | None:
    """Ask the client for access; a request or grant already in place is left as it is."""
    live = TaxpayerAccess.objects.filter(user=professional, taxpayer=taxpayer).exclude(status=AccessStatus.REVOKED)
    if live.exists():
        return None
    grant = TaxpayerAccess.objects.create(
        user=professional, taxpayer=taxpayer, role=AccessRole.REPRESENTATIVE, status=AccessStatus.REQUESTED
    )
    record_event(
        AccountTag.ACCESS_REQUESTED, actor=f"user:{professional.pk}", subject=f"access:{grant.pk}", request=request
    )
    deciders = TaxpayerAccess.objects.filter(
        taxpayer=taxpayer,
        status=AccessStatus.ACTIVE,
        role__in=[AccessRole.OWNER, AccessRole.MASTER_ADMINISTRATOR],
    ).select_related("user")
    for decider in deciders:
        send_email(
            "client_access_requested",
            decider.user.email,
            {"name": decider.user.full_name, "professional": professional.full_name},
        )
    return grant


@transaction.atomic
def do_decide_client_access(grant: TaxpayerAccess, *, approve: bool, by: User, request: HttpRequest) -> None:
    if grant.role != AccessRole.REPRESENTATIVE or grant.status != AccessStatus.REQUESTED:
        raise AccessChangeError(_("This request was already answered."))
    grant.status = AccessStatus.ACTIVE if approve else AccessStatus.REVOKED
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_at"])
    record_event(
        AccountTag.ACCESS_DECIDED,
        actor=f"user:{by.pk}",
        subject=f"access:{grant.pk}",
        request=request,
        extra={"approved": approve},
    )
    _tell_professional(grant, approved=approve)


def _tell_professional(grant: TaxpayerAccess, *, approved: bool) -> None:
    professional = grant.user
    send_email(
        "client_access_decided",
        professional.email,
        {"name": professional.full_name, "approved": approved},
    )
