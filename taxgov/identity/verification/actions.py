"""Every write of identity verification, each in a transaction with its audit event.

Audit events name the step and the error code, never what the person entered or what a
document said.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.common.flows import Step, apply_answers
from taxgov.common.letters import PrintedLetter
from taxgov.common.messaging.api import send_email, send_letter, send_sms
from taxgov.common.messaging.post import PostalAddress
from taxgov.common.security.codes import letter_code_for_print, new_code, new_letter_code
from taxgov.identity.records.fingerprints import tin_fingerprint
from taxgov.identity.verification.flow import SELF_SERVICE, VIDEO_CALL
from taxgov.identity.verification.forms import phone_code_hash
from taxgov.identity.verification.models import (
    Evidence,
    EvidenceKind,
    FraudHold,
    MailedCode,
    Method,
    Outcome,
    Verification,
)
from taxgov.identity.verification.queries import letter_code_hash, letter_valid_days
from taxgov.identity.verification.tags import VerificationTag

DOCUMENT_EVIDENCE = (EvidenceKind.DOCUMENT_FRONT, EvidenceKind.DOCUMENT_BACK, EvidenceKind.PASSPORT_PAGE)


def _ref(verification: Verification) -> str:
    return f"verification:{verification.pk}"


def _actor(verification: Verification) -> str:
    return f"user:{verification.user_id}"


@transaction.atomic
def do_start(user_id: int, method: str = Method.SELF_SERVICE, *, request: HttpRequest) -> Verification:
    verification = Verification.objects.create(user_id=user_id, method=method)
    record_event(
        VerificationTag.STARTED,
        actor=f"user:{user_id}",
        subject=_ref(verification),
        request=request,
        extra={"method": method},
    )
    return verification


@transaction.atomic
def do_choose_video_call(user_id: int, case: Verification | None, *, request: HttpRequest) -> Verification:
    """Start a video-call case, or turn the case in progress into one. Its photos stay; the
    person agrees again (to the call's terms), and their details are asked again, since
    on this path the records check does not stop them."""
    if case is None:
        return do_start(user_id, Method.VIDEO_AGENT, request=request)
    if case.by_video:
        return case
    case.method = Method.VIDEO_AGENT
    fields = ["method", *apply_answers(case, VIDEO_CALL["consent"], {"consented_at": None})]
    fields += apply_answers(case, VIDEO_CALL["photos"], {"turn": ""})
    case.save(update_fields=fields)
    record_event(VerificationTag.VIDEO_CALL_CHOSEN, actor=_actor(case), subject=_ref(case), request=request)
    return case


@transaction.atomic
def do_submit_for_video_call(verification: Verification, *, request: HttpRequest) -> None:
    verification.documents_submitted_at = timezone.now()
    verification.save(update_fields=["documents_submitted_at"])
    record_event(
        VerificationTag.SUBMITTED_FOR_VIDEO_CALL,
        actor=_actor(verification),
        subject=_ref(verification),
        request=request,
    )


@transaction.atomic
def do_choose_confirmation(verification: Verification, by: str, *, request: HttpRequest) -> None:
    """Confirm the person with a phone in their name, or with a letter to their address
    instead (verify by mail). Letters already sent stay valid if they switch back."""
    if verification.by_video or verification.confirm_by == by:
        return
    verification.confirm_by = by
    verification.save(update_fields=["confirm_by"])
    record_event(
        VerificationTag.CONFIRMATION_CHOSEN,
        actor=_actor(verification),
        subject=_ref(verification),
        request=request,
        extra={"by": by},
    )


def _mail_code(verification: Verification, sent_at: dt.datetime, *, request: HttpRequest) -> None:
    """Print a letter with a new code to the address the records matched, and tell the
    account's email that it is on its way (someone else asking for it would show)."""
    code = new_letter_code()
    days = letter_valid_days(verification.state)
    mailed = MailedCode.objects.create(
        verification=verification,
        code_hash=letter_code_hash(verification, code),
        sent_at=sent_at,
        expires_at=sent_at + dt.timedelta(days=days),
    )
    brand = settings.TAXGOV_BRAND
    address = PostalAddress(
        name=f"{verification.first_name} {verification.last_name}",
        line1=verification.address_line1,
        line2=verification.address_line2,
        city=verification.city,
        state=verification.state,
        postal_code=verification.postal_code,
    )
    use_by = formats.date_format(timezone.localdate(mailed.expires_at), "DATE_FORMAT")
    letter = PrintedLetter(
        title=_("Your code to verify your identity"),
        heading=str(brand["agency_name"]),
        subheading=str(brand["tagline"]),
        recipient=address.lines(),
        facts=[
            (_("Date"), formats.date_format(timezone.localdate(sent_at), "DATE_FORMAT")),
            (_("Your code"), letter_code_for_print(code)),
            (_("Use it by"), use_by),
        ],
        paragraphs=[
            _(
                "You asked for this letter to finish verifying your identity with %(product)s. Sign in, "
                "and enter the code when we ask for it. The code works once, until the date above."
            )
            % {"product": brand["product_name"]},
            _(
                "If you did not ask for this letter, someone may be using your information. Do not share the "
                "code: call us at %(phone)s."
            )
            % {"phone": brand["support_phone"]},
            _("We will never call, email or text you to ask for this code."),
        ],
    )
    send_letter(address, letter, reference=f"identity-letter-{mailed.reference}")
    email, postal_code = verification.user.email, verification.postal_code
    send_email("identity_letter_sent", email, {"use_by": use_by, "postal_code": postal_code, "days": days})
    record_event(
        VerificationTag.LETTER_SENT,
        actor=_actor(verification),
        subject=_ref(verification),
        request=request,
        extra={"letter": str(mailed.reference), "valid_days": days},
    )


def _keep(verification: Verification, kind: str, image: bytes) -> None:
    Evidence.objects.create(verification=verification, kind=kind, content=base64.b64encode(image).decode())


@transaction.atomic
def do_save_answers(
    verification: Verification, step: Step[Verification], answers: dict[str, Any], *, request: HttpRequest
) -> None:
    """Save a step's answers; the documents and the selfie are kept as evidence, and the
    phone step sends its code."""
    answers = dict(answers)
    images: dict[str, bytes] = answers.pop("images", {})
    selfie: bytes | None = answers.pop("selfie", None)
    mailed: MailedCode | None = answers.pop("mailed_code", None)
    if images:
        verification.evidence.filter(kind__in=DOCUMENT_EVIDENCE).delete()
        for kind, image in images.items():
            _keep(verification, kind, image)
        answers["document_read_at"] = timezone.now()
        answers["turn"] = secrets.choice(settings.TAXGOV_IDV_CHALLENGES)
    if selfie is not None:
        verification.evidence.filter(kind=EvidenceKind.SELFIE).delete()
        _keep(verification, EvidenceKind.SELFIE, selfie)
    if "tin" in answers:
        answers["tin_fingerprint"] = tin_fingerprint(answers["tin"])
    changed = apply_answers(verification, step, answers)
    code = ""
    if step.key == "phone":
        code = new_code()
        verification.phone_code_hash = phone_code_hash(verification, code)
        verification.phone_code_sent_at = timezone.now()
        verification.phone_code_attempts = 0
        changed += ["phone_code_hash", "phone_code_sent_at", "phone_code_attempts"]
    verification.error_code = ""
    verification.save(update_fields=[*set(changed), "error_code"])
    if step.key == "letter":
        _mail_code(verification, answers["letter_sent_at"], request=request)
    if mailed is not None:
        mailed.used_at = timezone.now()
        mailed.save(update_fields=["used_at"])
    tag = STEP_TAGS.get(step.key)
    if tag:
        extra = {"face_distance": round(verification.face_distance or 0, 3)} if step.key == "selfie" else {}
        record_event(tag, actor=_actor(verification), subject=_ref(verification), request=request, extra=extra)
    if code:
        phone = verification.phone
        text = _("VerifyID: %(code)s is your code to verify your identity. It expires in 10 minutes.") % {"code": code}
        transaction.on_commit(lambda: send_sms(phone, text))


STEP_TAGS = {
    "consent": VerificationTag.CONSENTED,
    "photos": VerificationTag.DOCUMENT_READ,
    "selfie": VerificationTag.SELFIE_MATCHED,
    "details": VerificationTag.RECORDS_MATCHED,
    "phone": VerificationTag.PHONE_CODE_SENT,
    "code": VerificationTag.PHONE_CONFIRMED,
    "letter-code": VerificationTag.LETTER_CONFIRMED,
    "password": VerificationTag.PASSWORD_CONFIRMED,
}


@transaction.atomic
def do_record_failure(verification: Verification, step_key: str, code: str, *, request: HttpRequest) -> None:
    verification.error_code = code
    fields = ["error_code"]
    if step_key == "code":
        verification.phone_code_attempts += 1
        fields.append("phone_code_attempts")
    verification.save(update_fields=fields)
    record_event(
        VerificationTag.STEP_FAILED,
        actor=_actor(verification),
        subject=_ref(verification),
        request=request,
        extra={"step": step_key, "code": code},
    )


def do_complete(
    verification: Verification, *, request: HttpRequest, decided_by: str = "", language: str | None = None
) -> bool:
    """Decide the case: verified (by the person's own steps, or by the agent ``decided_by``).
    False if the TIN verified another account meanwhile (the database's constraint decides a
    race)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            verification.outcome, verification.decided_at, verification.decided_by = Outcome.VERIFIED, now, decided_by
            verification.save(update_fields=["outcome", "decided_at", "decided_by"])
            record_event(
                VerificationTag.VERIFIED,
                actor=decided_by or _actor(verification),
                subject=_ref(verification),
                request=request,
                extra={"method": verification.method, "confirmed_by": verification.confirm_by},
            )
    except IntegrityError:
        verification.refresh_from_db()
        do_record_failure(verification, "finish", "IDV-REC-002", request=request)
        return False
    email = verification.user.email
    language = language or getattr(request, "LANGUAGE_CODE", None)
    transaction.on_commit(lambda: send_email("identity_verified", email, {"verified_at": now}, language=language))
    return True


@transaction.atomic
def do_refuse(verification: Verification, code: str, *, decided_by: str, reason: str, language: str) -> None:
    """Decide the case: not verified, with the catalogued code and the decider's reason
    (which goes to the person, not to the audit log)."""
    verification.outcome, verification.error_code = Outcome.FAILED, code
    verification.decided_at, verification.decided_by = timezone.now(), decided_by
    verification.save(update_fields=["outcome", "error_code", "decided_at", "decided_by"])
    record_event(VerificationTag.NOT_VERIFIED, actor=decided_by, subject=_ref(verification), extra={"code": code})
    context = {"reason": reason, "code": code}
    send_email("identity_not_verified", verification.user.email, context, language=language)


@transaction.atomic
def do_ask_for_documents(verification: Verification, *, decided_by: str, reason: str, language: str) -> None:
    """Send the case back to the photos step: the person adds other documents and comes
    back to the line (ID.me's "Action required: update your documents")."""
    fields = apply_answers(verification, VIDEO_CALL["photos"], {"document_read_at": None})
    verification.documents_submitted_at = None
    verification.save(update_fields=[*fields, "documents_submitted_at"])
    record_event(VerificationTag.MORE_DOCUMENTS_ASKED, actor=decided_by, subject=_ref(verification))
    send_email("identity_documents_needed", verification.user.email, {"reason": reason}, language=language)


def do_delete_expired_biometrics(now: dt.datetime | None = None) -> int:
    """Delete the photos and selfies of every case decided more than the retention period
    ago, and of cases left unfinished that long (the person, if they come back, starts again
    from the photos step; a case waiting for its letter keeps its place, since the selfie
    has already matched), unless a fraud hold in force keeps them. Returns how many cases
    were cleared."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.TAXGOV_IDV_BIOMETRIC_RETENTION_HOURS)
    held = FraudHold.objects.filter(verification=OuterRef("pk"), released_at__isnull=True, expires_at__gt=now)
    due = (
        Verification.objects.filter(
            Q(decided_at__lte=cutoff, evidence__isnull=False)
            | Q(outcome=Outcome.IN_PROGRESS, evidence__created_at__lte=cutoff)
        )
        .exclude(Exists(held))
        .distinct()
    )
    cleared = 0
    for verification in due:
        with transaction.atomic():
            verification.evidence.all().delete()
            restarted = (
                []
                if verification.is_decided or verification.letter_sent_at is not None
                else apply_answers(verification, SELF_SERVICE["photos"], {"document_read_at": None})
            )
            verification.biometrics_deleted_at = now
            verification.save(update_fields=[*restarted, "biometrics_deleted_at"])
            record_event(VerificationTag.BIOMETRICS_DELETED, actor="system:retention", subject=_ref(verification))
        cleared += 1
    return cleared


@transaction.atomic
def do_place_fraud_hold(
    verification: Verification, *, reason: str, until: dt.datetime, placed_by: str, request: HttpRequest | None = None
) -> FraudHold:
    hold = FraudHold.objects.create(verification=verification, reason=reason, placed_by=placed_by, expires_at=until)
    record_event(
        VerificationTag.FRAUD_HOLD_PLACED,
        actor=placed_by,
        subject=_ref(verification),
        request=request,
        extra={"hold": hold.pk, "expires_at": until.isoformat()},
    )
    return hold


@transaction.atomic
def do_release_fraud_hold(hold: FraudHold, *, released_by: str, request: HttpRequest | None = None) -> None:
    """End a hold before it expires: the next retention run deletes the evidence if its time is up."""
    hold.released_at = timezone.now()
    hold.save(update_fields=["released_at"])
    record_event(
        VerificationTag.FRAUD_HOLD_RELEASED,
        actor=released_by,
        subject=_ref(hold.verification),
        request=request,
        extra={"hold": hold.pk},
    )
