"""Professional profiles, requests, signatures, revocations and releases: every write, each
with its audit event (references only: never a name or a TIN).

Sending a request does the same thing whether or not the client's details match the ledger:
the request is stored either way and the sender is told the same. Only a match links it to a
taxpayer, so only that taxpayer ever sees it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.federal.accounts.models import User
from taxgov.federal.authorizations import queries
from taxgov.federal.authorizations.models import (
    Authorization,
    AuthorizationKind,
    AuthorizationLine,
    AuthorizationStatus,
    IncomeVerification,
    Professional,
    ProfessionalKind,
    TaxMatter,
    VerificationStatus,
)
from taxgov.federal.authorizations.queries import ClientDetails
from taxgov.federal.authorizations.tags import AuthorizationTag
from taxgov.federal.records.transcripts import TranscriptKind, render_transcript
from taxgov.federal.signin.identity import SignedInIdentity
from taxgov.ledger.models import Taxpayer

NUMBER_ATTEMPTS = 5


class AuthorizationError(Exception):
    """The request cannot be sent or changed as asked; the message says why."""


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def _new_number(kind: str) -> str:
    """A CAF number (``0123-45678R``, as on Form 2848) or a participant number (``IV`` and 8 digits)."""
    if kind == ProfessionalKind.TAX_PROFESSIONAL:
        return f"{_digits(4)}-{_digits(5)}R"
    return f"IV{_digits(8)}"


def do_create_professional(
    user: User,
    identity: SignedInIdentity,
    *,
    kind: ProfessionalKind,
    details: dict[str, str],
    request: HttpRequest | None = None,
) -> Professional:
    """The profile, named as the provider verified the person, with a new number; a second
    submit returns the profile the first one made."""
    existing = Professional.objects.filter(user=user).first()
    if existing is not None:
        return existing
    for _attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                professional = Professional.objects.create(
                    user=user,
                    kind=kind,
                    name=f"{identity.given_name} {identity.family_name}".strip(),
                    number=_new_number(kind),
                    rules_accepted_at=timezone.now(),
                    **details,
                )
                record_event(
                    AuthorizationTag.PROFESSIONAL_CREATED,
                    actor=f"user:{user.pk}",
                    subject=f"professional:{professional.pk}",
                    request=request,
                    extra={"kind": str(kind), "designation": professional.designation},
                )
                return professional
        except IntegrityError:
            existing = Professional.objects.filter(user=user).first()
            if existing is not None:
                return existing
    raise AuthorizationError(_("We could not create your profile. Try again."))


def do_refuse_request(user: User, *, request: HttpRequest | None = None) -> None:
    """Record a request refused by the rate limit (nothing was looked up)."""
    record_event(AuthorizationTag.RATE_LIMITED, actor=f"user:{user.pk}", subject=f"user:{user.pk}", request=request)


def _check_authorization_request(
    professional: Professional, kind: str, matters: Iterable[str], years: range, today: dt.date
) -> None:
    if professional.kind != ProfessionalKind.TAX_PROFESSIONAL:
        raise AuthorizationError(_("Only a tax professional can ask for an authorization."))
    if kind == AuthorizationKind.POWER_OF_ATTORNEY and not professional.may_represent:
        raise AuthorizationError(_("Your designation does not allow you to ask for a power of attorney."))
    allowed = queries.request_years(today)
    if not matters or not years or years[0] < allowed[0] or years[-1] > allowed[-1]:
        raise AuthorizationError(
            _("Choose tax years from %(first)s through %(last)s.") % {"first": allowed[0], "last": allowed[-1]}
        )
    if any(years[0] < queries.first_year_of(matter, today) for matter in matters):
        raise AuthorizationError(_("The shared responsibility payment cannot be authorized for those years."))


@transaction.atomic
def do_send_authorization_request(
    professional: Professional,
    *,
    kind: AuthorizationKind,
    client: ClientDetails,
    matters: list[TaxMatter],
    years: range,
    today: dt.date,
    request: HttpRequest | None = None,
) -> Authorization:
    """Store the request with a line for each matter and year; link it to the taxpayer only if
    the client's name, TIN and address match the ledger."""
    _check_authorization_request(professional, kind, matters, years, today)
    taxpayer = queries.matching_taxpayer(client)
    authorization = Authorization.objects.create(
        professional=professional,
        kind=kind,
        taxpayer=taxpayer,
        client_name=f"{client.first_name.strip()} {client.last_name.strip()}",
        client_tin=client.tin,
        client_tin_last4=client.tin[-4:],
    )
    lines = [AuthorizationLine(authorization=authorization, matter=m, year=y) for m in matters for y in years]
    AuthorizationLine.objects.bulk_create(lines)
    record_event(
        AuthorizationTag.REQUESTED,
        actor=f"user:{professional.user_id}",
        subject=f"authorization:{authorization.pk}",
        request=request,
        extra={"kind": str(kind), "lines": len(lines), "matched": taxpayer is not None},
    )
    return authorization


def _locked(authorization: Authorization) -> Authorization:
    return Authorization.objects.select_for_update().get(pk=authorization.pk)


def _replace_earlier(newer: Authorization, now: dt.datetime, request: HttpRequest | None) -> None:
    """The taxpayer's other active authorizations of the same kind lose the matters and years
    the newer one covers; one left with none is replaced as a whole."""
    covered = {(line.matter, line.year) for line in newer.lines.all()}
    candidates = AuthorizationLine.objects.filter(
        authorization__taxpayer=newer.taxpayer,
        authorization__kind=newer.kind,
        authorization__status=AuthorizationStatus.ACTIVE,
        replaced_by__isnull=True,
        matter__in={matter for matter, _year in covered},
        year__in={year for _matter, year in covered},
    ).exclude(authorization=newer)
    taken = [line for line in candidates if (line.matter, line.year) in covered]
    for line in taken:
        line.replaced_by, line.replaced_at = newer, now
    AuthorizationLine.objects.bulk_update(taken, ["replaced_by", "replaced_at"])
    for older_id in sorted({line.authorization_id for line in taken}):
        older = Authorization.objects.select_for_update().get(pk=older_id)
        left = older.lines.filter(replaced_by__isnull=True).exists()
        if not left:
            older.status, older.ended_at = AuthorizationStatus.REPLACED, now
            older.save(update_fields=["status", "ended_at"])
        record_event(
            AuthorizationTag.REPLACED,
            actor=f"user:{newer.signed_by_id}",
            subject=f"authorization:{older.pk}",
            request=request,
            extra={
                "by": newer.pk,
                "lines": sum(1 for line in taken if line.authorization_id == older.pk),
                "whole": not left,
            },
        )


@transaction.atomic
def do_approve_authorization(
    authorization: Authorization,
    *,
    user: User,
    declaration: str,
    keep_earlier: bool,
    request: HttpRequest | None = None,
) -> Authorization:
    """The taxpayer's electronic signature: the declaration they checked, when, and by whom."""
    authorization = _locked(authorization)
    if authorization.status != AuthorizationStatus.PENDING or authorization.taxpayer_id is None:
        raise AuthorizationError(_("This request is no longer waiting for your signature."))
    Taxpayer.objects.select_for_update().filter(pk=authorization.taxpayer_id).first()  # one signature at a time each
    now = timezone.now()
    authorization.status, authorization.decided_at = AuthorizationStatus.ACTIVE, now
    authorization.signed_by, authorization.signature, authorization.keeps_earlier = user, declaration, keep_earlier
    authorization.save(update_fields=["status", "decided_at", "signed_by", "signature", "keeps_earlier"])
    record_event(
        AuthorizationTag.APPROVED,
        actor=f"user:{user.pk}",
        subject=f"authorization:{authorization.pk}",
        request=request,
        extra={"kind": authorization.kind, "signed_at": now.isoformat(), "kept_earlier": keep_earlier},
    )
    if not keep_earlier:
        _replace_earlier(authorization, now, request)
    return authorization


def _end(
    authorization: Authorization,
    *,
    allowed: tuple[str, ...],
    status: AuthorizationStatus,
    tag: AuthorizationTag,
    user: User,
    request: HttpRequest | None,
) -> Authorization:
    authorization = _locked(authorization)
    if authorization.status not in allowed:
        raise AuthorizationError(_("This authorization has already ended."))
    now = timezone.now()
    authorization.status = status
    fields = ["status"]
    if status == AuthorizationStatus.REJECTED:
        authorization.decided_at = now
        fields.append("decided_at")
    else:
        authorization.ended_at = now
        fields.append("ended_at")
    authorization.save(update_fields=fields)
    record_event(tag, actor=f"user:{user.pk}", subject=f"authorization:{authorization.pk}", request=request)
    return authorization


@transaction.atomic
def do_reject_authorization(
    authorization: Authorization, *, user: User, request: HttpRequest | None = None
) -> Authorization:
    pending = (AuthorizationStatus.PENDING,)
    return _end(
        authorization,
        allowed=pending,
        status=AuthorizationStatus.REJECTED,
        tag=AuthorizationTag.REJECTED,
        user=user,
        request=request,
    )


@transaction.atomic
def do_revoke_authorization(
    authorization: Authorization, *, user: User, request: HttpRequest | None = None
) -> Authorization:
    """The taxpayer ends an active authorization, every matter and year of it."""
    active = (AuthorizationStatus.ACTIVE,)
    return _end(
        authorization,
        allowed=active,
        status=AuthorizationStatus.REVOKED,
        tag=AuthorizationTag.REVOKED,
        user=user,
        request=request,
    )


@transaction.atomic
def do_withdraw_authorization(
    authorization: Authorization, *, user: User, request: HttpRequest | None = None
) -> Authorization:
    """The professional withdraws a request not yet signed, or an active authorization."""
    open_ = (AuthorizationStatus.PENDING, AuthorizationStatus.ACTIVE)
    return _end(
        authorization,
        allowed=open_,
        status=AuthorizationStatus.WITHDRAWN,
        tag=AuthorizationTag.WITHDRAWN,
        user=user,
        request=request,
    )


def do_note_account_viewed(
    authorization: Authorization, matter: str, year: int, *, request: HttpRequest | None = None
) -> None:
    """A professional read a client's account: disclosures are audited."""
    record_event(
        AuthorizationTag.ACCOUNT_VIEWED,
        subject=f"authorization:{authorization.pk}",
        request=request,
        extra={"matter": matter, "year": year},
    )


def do_release_account_transcript(
    authorization: Authorization, year: int, *, today: dt.date, request: HttpRequest | None = None
) -> bytes:
    """The account transcript of an authorized year (masked), audited. ``TranscriptUnavailableError``
    when there is none to make."""
    if authorization.taxpayer is None:
        raise AuthorizationError(_("This authorization is not active."))
    document = render_transcript(authorization.taxpayer, TranscriptKind.ACCOUNT, year, as_of=today)
    record_event(
        AuthorizationTag.TRANSCRIPT_RELEASED,
        subject=f"authorization:{authorization.pk}",
        request=request,
        extra={"year": year, "kind": str(TranscriptKind.ACCOUNT)},
    )
    return document


@transaction.atomic
def do_request_income_verification(
    participant: Professional,
    *,
    client: ClientDetails,
    tax_years: list[int],
    customer_file_number: str,
    today: dt.date,
    request: HttpRequest | None = None,
) -> IncomeVerification:
    """Like an authorization request: stored either way, linked only on a match."""
    if participant.kind != ProfessionalKind.INCOME_VERIFICATION:
        raise AuthorizationError(_("Only an income verification participant can ask for this."))
    offered = queries.verification_years(today)
    if not tax_years or any(year not in offered for year in tax_years):
        span = {"first": offered[0], "last": offered[-1]}
        raise AuthorizationError(_("Choose tax years from %(first)s through %(last)s.") % span)
    taxpayer = queries.matching_taxpayer(client)
    verification = IncomeVerification.objects.create(
        participant=participant,
        taxpayer=taxpayer,
        client_name=f"{client.first_name.strip()} {client.last_name.strip()}",
        client_tin=client.tin,
        client_tin_last4=client.tin[-4:],
        tax_years=sorted(set(tax_years)),
        customer_file_number=customer_file_number,
    )
    record_event(
        AuthorizationTag.VERIFICATION_REQUESTED,
        actor=f"user:{participant.user_id}",
        subject=f"income_verification:{verification.pk}",
        request=request,
        extra={"years": verification.tax_years, "matched": taxpayer is not None},
    )
    return verification


def _locked_verification(verification: IncomeVerification) -> IncomeVerification:
    verification = IncomeVerification.objects.select_for_update().get(pk=verification.pk)
    if verification.status != VerificationStatus.PENDING or verification.taxpayer_id is None:
        raise AuthorizationError(_("This request is no longer waiting for your answer."))
    return verification


@transaction.atomic
def do_approve_income_verification(
    verification: IncomeVerification,
    *,
    user: User,
    declaration: str,
    today: dt.date,
    request: HttpRequest | None = None,
) -> IncomeVerification:
    """Signed: the participant may download the transcripts for the days the rules allow."""
    verification = _locked_verification(verification)
    now = timezone.now()
    verification.status, verification.decided_at = VerificationStatus.APPROVED, now
    verification.signed_by, verification.signature = user, declaration
    verification.available_until = today + dt.timedelta(days=queries.release_days(today))
    verification.save(update_fields=["status", "decided_at", "signed_by", "signature", "available_until"])
    record_event(
        AuthorizationTag.VERIFICATION_APPROVED,
        actor=f"user:{user.pk}",
        subject=f"income_verification:{verification.pk}",
        request=request,
        extra={"signed_at": now.isoformat(), "until": verification.available_until.isoformat()},
    )
    return verification


@transaction.atomic
def do_reject_income_verification(
    verification: IncomeVerification, *, user: User, request: HttpRequest | None = None
) -> IncomeVerification:
    verification = _locked_verification(verification)
    verification.status, verification.decided_at = VerificationStatus.REJECTED, timezone.now()
    verification.save(update_fields=["status", "decided_at"])
    record_event(
        AuthorizationTag.VERIFICATION_REJECTED,
        actor=f"user:{user.pk}",
        subject=f"income_verification:{verification.pk}",
        request=request,
    )
    return verification


def do_release_return_transcript(
    verification: IncomeVerification, year: int, *, today: dt.date, request: HttpRequest | None = None
) -> bytes:
    """One release of an approved year's return transcript (masked, with the participant's
    customer file number), audited each time."""
    if verification.taxpayer is None or year not in verification.tax_years:
        raise AuthorizationError(_("This transcript was not released to you."))
    document = render_transcript(
        verification.taxpayer,
        TranscriptKind.RETURN,
        year,
        as_of=today,
        customer_file_number=verification.customer_file_number,
    )
    record_event(
        AuthorizationTag.VERIFICATION_RELEASED,
        subject=f"income_verification:{verification.pk}",
        request=request,
        extra={"year": year},
    )
    return document
