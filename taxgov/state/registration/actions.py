"""Every write of the registration paths, each in one transaction with its audit event;
e-mails go out when the transaction commits."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.common.flows import Flow, Step, apply_answers
from taxgov.common.messaging.api import send_email
from taxgov.ledger import actions as ledger
from taxgov.ledger.models import AccountType, ContactKind, TaxpayerKind, TinType
from taxgov.state.accounts.models import AccessRole, AccessStatus, PhoneType, TaxpayerAccess, User
from taxgov.state.accounts.normalize import email_fingerprint
from taxgov.state.registration import queries
from taxgov.state.registration.models import (
    IdType,
    RegistrationKind,
    RegistrationRequest,
    RequestStatus,
)
from taxgov.state.registration.tags import RegistrationTag
from taxgov.state.registration.tokens import activation_token

PHONE_CONTACT = {PhoneType.CELL: ContactKind.MOBILE, PhoneType.HOME: ContactKind.HOME, PhoneType.WORK: ContactKind.WORK}


class DecisionError(Exception):
    """The request cannot be approved as it stands (already decided, or the ID was taken since)."""


class SubmitError(Exception):
    """The request cannot be submitted as it stands; ``step`` is where to fix it."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(message)
        self.step = step


def _subject(draft: RegistrationRequest) -> str:
    return f"registration:{draft.pk}"


def _mail(name: str, draft: RegistrationRequest, **context: Any) -> None:
    """E-mail the person who made the request, with the agency's contact details."""
    portal = settings.TAXGOV_STATE_PORTAL
    send_email(
        name,
        draft.email,
        {
            "name": draft.full_name,
            "username": draft.username,
            "confirmation_number": draft.confirmation_number,
            "phone": portal["phone"],
            "toll_free": portal["toll_free"],
            "hours": portal["hours"],
            **context,
        },
    )


@transaction.atomic
def do_start_registration(kind: RegistrationKind, *, request: HttpRequest) -> RegistrationRequest:
    draft = RegistrationRequest.objects.create(kind=kind)
    record_event(RegistrationTag.STARTED, subject=_subject(draft), request=request, extra={"kind": str(kind)})
    return draft


@transaction.atomic
def do_save_answers(draft: RegistrationRequest, step: Step[RegistrationRequest], answers: dict[str, Any]) -> None:
    changed = apply_answers(draft, step, answers)
    if changed:
        draft.save(update_fields=[*changed, "updated_at"])


def do_record_verification(draft: RegistrationRequest, *, passed: bool, request: HttpRequest) -> None:
    """A security event for every proof of filing tried: support staff see the failures."""
    tag = RegistrationTag.VERIFICATION_PASSED if passed else RegistrationTag.VERIFICATION_FAILED
    record_event(tag, subject=_subject(draft), request=request, extra={"evidence": draft.evidence})


def do_record_verification_limited(draft: RegistrationRequest, *, request: HttpRequest) -> None:
    record_event(RegistrationTag.VERIFICATION_LIMITED, subject=_subject(draft), request=request)


@transaction.atomic
def do_cancel_registration(draft: RegistrationRequest, *, request: HttpRequest) -> None:
    """Cancel deletes the draft and every answer in it."""
    record_event(RegistrationTag.CANCELLED, subject=_subject(draft), request=request)
    draft.delete()


def new_confirmation_number() -> str:
    """``0-704-061-440``: ten random digits, never a sequence someone could walk."""
    digits = "".join(secrets.choice("0123456789") for _ in range(10))
    return f"{digits[0]}-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"


def _role_for(draft: RegistrationRequest) -> AccessRole:
    """From what the ledger says the taxpayer is, never from what the person chose: a person
    owns their own account; a business or estate has one Master Administrator, and whoever
    comes after is a Tax Administrator of the one account they proved."""
    if draft.kind == RegistrationKind.INDIVIDUAL:
        return AccessRole.OWNER
    if draft.kind != RegistrationKind.LOGON:
        return AccessRole.MASTER_ADMINISTRATOR
    taxpayer = draft.verified_taxpayer
    assert taxpayer is not None  # noqa: S101 (the flow does not reach Submit without it)
    if taxpayer.kind == TaxpayerKind.INDIVIDUAL:
        return AccessRole.OWNER
    if queries.has_master_administrator(taxpayer):
        return AccessRole.TAX_ADMINISTRATOR
    return AccessRole.MASTER_ADMINISTRATOR


def needs_review(draft: RegistrationRequest) -> bool:
    """``TAXGOV_STATE_REGISTRATION_REVIEW``: ``never``, ``always``, or ``unverified`` (the
    default: requests that proved a past filing are approved at once; new taxpayers wait
    for staff)."""
    policy = settings.TAXGOV_STATE_REGISTRATION_REVIEW
    if policy == "never":
        return False
    if policy == "always":
        return True
    return draft.verified_account_id is None


def do_submit_registration(
    draft: RegistrationRequest, flow: Flow[RegistrationRequest], *, request: HttpRequest
) -> RegistrationRequest:
    """Submit once: a second Submit (a double click, the back button) returns the same request."""
    with transaction.atomic():
        draft = RegistrationRequest.objects.select_for_update().get(pk=draft.pk)
        if draft.status != RequestStatus.STARTED:
            return draft
        if not flow.allows(draft, flow.last):
            raise SubmitError(flow.furthest(draft).key, "The request is not complete.")
        if queries.username_taken(draft.username, exclude=draft):
            raise SubmitError("logon", "This username is taken. Choose another.")
        draft.role = _role_for(draft)
        draft.status = RequestStatus.SUBMITTED
        draft.submitted_at = timezone.now()
        for _attempt in range(5):
            draft.confirmation_number = new_confirmation_number()
            try:
                with transaction.atomic():
                    draft.save(update_fields=["role", "status", "submitted_at", "confirmation_number", "updated_at"])
                break
            except IntegrityError:  # the number was taken: draw another
                continue
        else:
            raise RuntimeError("could not draw an unused confirmation number")
        record_event(
            RegistrationTag.SUBMITTED,
            subject=_subject(draft),
            request=request,
            extra={"kind": draft.kind, "role": draft.role},
        )
        _mail("registration_received", draft)
        if not needs_review(draft):
            do_approve_registration(draft, request=request)
    return draft


def _new_taxpayer(draft: RegistrationRequest) -> tuple[Any, list[Any]]:
    """Register a Business / an Individual / an Estate: the taxpayer and its accounts."""
    start = draft.new_accounts_from or timezone.localdate()
    kind = {
        RegistrationKind.BUSINESS: TaxpayerKind.BUSINESS,
        RegistrationKind.INDIVIDUAL: TaxpayerKind.INDIVIDUAL,
        RegistrationKind.ESTATE: TaxpayerKind.ESTATE,
    }[RegistrationKind(draft.kind)]
    tin_type = {IdType.SSN: TinType.SSN, IdType.ITIN: TinType.ITIN}.get(IdType(draft.id_type), TinType.EIN)
    taxpayer = ledger.do_register_taxpayer(
        kind=kind,
        tin_type=tin_type,
        tin=draft.tin,
        first_name=draft.first_name,
        middle_name=draft.middle_name,
        last_name=draft.last_name,
        name=draft.legal_name,
        date_of_birth=dt.date.fromisoformat(draft.date_of_birth) if draft.date_of_birth else None,
        address=ledger.NewAddress(
            draft.address_line1,
            draft.city,
            draft.state,
            draft.postal_code,
            valid_from=start,
            line2=draft.address_line2,
        ),
        registered_on=timezone.localdate(),
        contacts=((ContactKind.EMAIL, draft.email), (PHONE_CONTACT[PhoneType(draft.phone_type)], draft.phone_number)),
        actor=_subject(draft),
    )
    accounts = [
        ledger.do_open_account(taxpayer, AccountType(value), opened_on=start) for value in draft.new_account_types
    ]
    return taxpayer, accounts


@transaction.atomic
def do_approve_registration(
    draft: RegistrationRequest, *, request: HttpRequest, decided_by: User | None = None
) -> User:
    """Create the logon (and for the Register paths the taxpayer), grant its access, and
    e-mail the Activate link. The request is locked and checked again first: two reviewers,
    or an ID or username registered since it was submitted, must not make a second logon."""
    draft = RegistrationRequest.objects.select_for_update().get(pk=draft.pk)
    if draft.status != RequestStatus.SUBMITTED:
        raise DecisionError(_("This request was already decided."))
    if draft.kind != RegistrationKind.LOGON and queries.tin_on_file(draft.tin):
        raise DecisionError(_("This ID was registered after the request was made: deny it."))
    if User.objects.filter(username__iexact=draft.username).exists():
        raise DecisionError(_("This username was taken after the request was made: deny it."))
    draft.role = _role_for(draft)
    if draft.kind == RegistrationKind.LOGON:
        taxpayer, account = draft.verified_taxpayer, draft.verified_account
        assert taxpayer is not None  # noqa: S101 (a Create My Logon request is verified before Submit)
    else:
        taxpayer, _accounts = _new_taxpayer(draft)
        account = None
    user = User(
        username=draft.username,
        password=draft.password_hash,
        email=draft.email,
        email_fingerprint=email_fingerprint(draft.email),
        full_name=draft.full_name,
        phone_country=draft.phone_country,
        phone_type=draft.phone_type,
        phone_number=draft.phone_number,
        pin=draft.pin,
        secret_question=draft.secret_question,
        secret_answer=draft.secret_answer_hash,
        is_tax_professional=draft.is_tax_professional,
        is_active=False,
    )
    user.save()
    try:
        with transaction.atomic():
            _grant(user, taxpayer, account, draft.role)
    except IntegrityError:  # another request for the business became its Master Administrator first
        draft.role = AccessRole.TAX_ADMINISTRATOR
        _grant(user, taxpayer, account, draft.role)
    draft.status = RequestStatus.APPROVED
    draft.user = user
    draft.decided_at = timezone.now()
    draft.decided_by = decided_by
    draft.password_hash = draft.secret_answer_hash = ""  # the logon holds them now
    draft.save(
        update_fields=[
            "status",
            "role",
            "user",
            "decided_at",
            "decided_by",
            "password_hash",
            "secret_answer_hash",
            "updated_at",
        ]
    )
    record_event(
        RegistrationTag.APPROVED,
        subject=_subject(draft),
        actor=f"user:{decided_by.pk}" if decided_by else "system:auto-approval",
        request=request,
        extra={"user": user.pk, "role": draft.role},
    )
    link = request.build_absolute_uri(reverse("registration:activate", kwargs={"token": activation_token(user.pk)}))
    _mail("registration_approved", draft, activate_url=link, days=settings.TAXGOV_STATE_ACTIVATION_MAX_AGE // 86400)
    return user


def _grant(user: User, taxpayer: Any, account: Any, role: str) -> None:
    TaxpayerAccess.objects.create(
        user=user,
        taxpayer=taxpayer,
        account=account if role == AccessRole.TAX_ADMINISTRATOR else None,
        role=role,
        status=AccessStatus.ACTIVE,
        decided_at=timezone.now(),
    )


@transaction.atomic
def do_deny_registration(draft: RegistrationRequest, *, request: HttpRequest, decided_by: User) -> None:
    draft = RegistrationRequest.objects.select_for_update().get(pk=draft.pk)
    if draft.status != RequestStatus.SUBMITTED:
        raise DecisionError(_("This request was already decided."))
    draft.status = RequestStatus.DENIED
    draft.decided_at = timezone.now()
    draft.decided_by = decided_by
    draft.password_hash = draft.secret_answer_hash = ""
    draft.save(
        update_fields=["status", "decided_at", "decided_by", "password_hash", "secret_answer_hash", "updated_at"]
    )
    record_event(RegistrationTag.DENIED, subject=_subject(draft), actor=f"user:{decided_by.pk}", request=request)
    _mail("registration_denied", draft)


@transaction.atomic
def do_activate_logon(user: User, *, request: HttpRequest) -> bool:
    """Activate once; False if the logon was already active (the link is single use)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.activated_at is not None:
        return False
    user.activated_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["activated_at", "is_active"])
    record_event(RegistrationTag.LOGON_ACTIVATED, subject=f"user:{user.pk}", request=request)
    return True


DRAFTS_KEPT_FOR = dt.timedelta(days=7)
DECIDED_KEPT_FOR = dt.timedelta(days=90)


def do_delete_stale_drafts(now: dt.datetime | None = None) -> int:
    """Drafts nobody has touched for a week are deleted with the personal data in them; a
    decided request keeps its record but, after 90 days, not the ID, birth date or PIN (the
    ledger and the logon hold what is still needed)."""
    now = now or timezone.now()
    stale = RegistrationRequest.objects.filter(status=RequestStatus.STARTED, updated_at__lt=now - DRAFTS_KEPT_FOR)
    count, _deleted = stale.delete()
    old = RegistrationRequest.objects.filter(decided_at__lt=now - DECIDED_KEPT_FOR, personal_data_removed_at=None)
    for decided in old:
        decided.tin = decided.date_of_birth = decided.pin = ""
        decided.personal_data_removed_at = now
        decided.save(update_fields=["tin", "date_of_birth", "pin", "personal_data_removed_at"])
    if count:
        record_event(RegistrationTag.STALE_DRAFTS_DELETED, extra={"count": count})
    return count
