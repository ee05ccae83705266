"""Saving a draft, signing and submitting it, and processing submissions.

Each happens once. Submitting uses the draft's id as the idempotency key and locks the draft,
so a double click, a retry or a second tab makes one submission (and the database refuses a
second row with that key). Processing locks each submission and moves it only from the status
it expects; the database also refuses a second history row for the same status.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.federal.accounts.models import User
from taxgov.federal.forms import catalog, engine, queries
from taxgov.federal.forms.declarations import OnlineForm, RuleContext
from taxgov.federal.forms.models import Draft, StatusChange, Submission, SubmissionStatus, UniqueAnswer
from taxgov.federal.forms.tags import FormTag


class FormError(Exception):
    """The form cannot be submitted as asked; the message says why."""


def _subject(submission: Submission) -> str:
    return f"form_submission:{submission.pk}"


@transaction.atomic
def do_save_answers(
    draft: Draft, form: OnlineForm, part_key: str, item: dict[str, Any] | None, *, request: HttpRequest | None = None
) -> Draft:
    """Keep one page's answers (None: an optional page left blank). The first answers create
    the draft, so visitors who only look make no rows."""
    if draft._state.adding:
        draft = _start(draft, request)
    draft = Draft.objects.select_for_update().get(pk=draft.pk)  # two tabs: neither loses a page
    answers = engine.load(form, draft.answers)
    answers[part_key] = item
    draft.answers = engine.dump(form, answers)
    draft.save(update_fields=["answers", "updated_at"])
    return draft


def _start(draft: Draft, request: HttpRequest | None) -> Draft:
    try:
        with transaction.atomic():
            draft.save(force_insert=True)
    except IntegrityError:  # another tab started this form a moment ago: use its draft
        return Draft.objects.get(taxpayer_id=draft.taxpayer_id, form_code=draft.form_code)
    record_event(
        FormTag.DRAFT_STARTED, subject=f"form_draft:{draft.pk}", request=request, extra={"form": draft.form_code}
    )
    return draft


@transaction.atomic
def do_discard_draft(draft: Draft, *, request: HttpRequest | None = None) -> None:
    record_event(
        FormTag.DRAFT_DISCARDED, subject=f"form_draft:{draft.pk}", request=request, extra={"form": draft.form_code}
    )
    draft.delete()


def _confirmation_number() -> str:
    """``4821-0937-5510``: twelve random digits, never a sequence someone could walk."""
    digits = "".join(secrets.choice("0123456789") for _ in range(12))
    return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"


def _change(
    submission: Submission, status: SubmissionStatus, today: dt.date, reasons: list[dict[str, str]] | None = None
) -> None:
    submission.status = status
    submission.save(update_fields=["status"])
    StatusChange.objects.create(
        submission=submission, status=status, changed_at=timezone.now(), changed_on=today, reasons=reasons or []
    )


def do_submit_form(
    draft: Draft, form: OnlineForm, *, user: User, today: dt.date, request: HttpRequest | None = None
) -> Submission:
    """Sign and submit the draft (the view has checked it): the answers, the declaration the
    signer checked and when, a confirmation number, and the unique answers held."""
    key = draft.public_id.hex
    try:
        with transaction.atomic():
            locked = Draft.objects.select_for_update().filter(pk=draft.pk).first()
            existing = Submission.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return existing
            if locked is None:
                raise FormError(_("This form was discarded. Start it again."))
            answers = engine.load(form, locked.answers)
            submission = Submission(
                taxpayer_id=locked.taxpayer_id,
                form_code=form.code,
                answers=engine.dump(form, answers),
                filed_on=today,
                status=SubmissionStatus.SUBMITTED,
                idempotency_key=key,
                signed_by=user,
                signed_at=timezone.now(),
                statement=str(form.statement),
            )
            _save_with_confirmation_number(submission)
            _change(submission, SubmissionStatus.SUBMITTED, today)
            for unique in engine.uniques(form, answers):
                _hold(submission, unique)
            locked.delete()
            record_event(
                FormTag.SUBMITTED,
                actor=f"user:{user.pk}",
                subject=_subject(submission),
                request=request,
                extra={"form": form.code, "confirmation_number": submission.confirmation_number},
            )
    except IntegrityError:
        existing = Submission.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing
    return submission


def _save_with_confirmation_number(submission: Submission) -> None:
    for _attempt in range(5):
        submission.confirmation_number = _confirmation_number()
        if not Submission.objects.filter(confirmation_number=submission.confirmation_number).exists():
            submission.save(force_insert=True)  # a duplicate key raises: the caller returns that submission
            return
    raise RuntimeError("could not draw an unused confirmation number")


def _hold(submission: Submission, unique: engine.Unique) -> None:
    """Hold the answer if no other live submission does; otherwise processing decides."""
    answer = UniqueAnswer(
        submission=submission,
        form_code=submission.form_code,
        name=unique.name,
        part=unique.part.key,
        fingerprint=unique.fingerprint,
        held=False,
    )
    if not queries.held_elsewhere(answer):
        answer.held = True
        try:
            with transaction.atomic():
                answer.save(force_insert=True)
            return
        except IntegrityError:  # held a moment ago by another submission
            answer.held = False
    answer.save(force_insert=True)


@transaction.atomic
def do_receive_submission(submission_id: int, today: dt.date) -> bool:
    """The agency takes the submission in. True if it was received now."""
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    if submission.status != SubmissionStatus.SUBMITTED:
        return False
    _change(submission, SubmissionStatus.RECEIVED, today)
    record_event(FormTag.RECEIVED, subject=_subject(submission), extra={"form": submission.form_code})
    return True


@transaction.atomic
def do_decide_submission(submission_id: int, today: dt.date) -> SubmissionStatus | None:
    """Accept a received submission, or reject it with the codes of the rules it breaks
    (checked with the rules of the day it was signed) and of the unique answers another live
    submission holds. A rejected submission lets go of its unique answers."""
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    if submission.status != SubmissionStatus.RECEIVED:
        return None
    form = catalog.declaration(submission.form_code)
    answers = engine.load(form, submission.answers)
    failures = engine.failures(form, answers, RuleContext(submission.filed_on))
    reasons = [{"code": failure.code, "part": failure.part.key} for failure in failures] or _claim(submission)
    if reasons:
        submission.unique_answers.update(held=False)
        _change(submission, SubmissionStatus.REJECTED, today, reasons)
        codes = sorted({reason["code"] for reason in reasons})
        record_event(FormTag.REJECTED, subject=_subject(submission), extra={"form": form.code, "reasons": codes})
        return SubmissionStatus.REJECTED
    _change(submission, SubmissionStatus.ACCEPTED, today)
    record_event(FormTag.ACCEPTED, subject=_subject(submission), extra={"form": form.code})
    return SubmissionStatus.ACCEPTED


def _claim(submission: Submission) -> list[dict[str, str]]:
    """Hold each unique answer not held yet; the ones another submission holds are reasons."""
    reasons = []
    for answer in submission.unique_answers.filter(held=False).order_by("pk"):
        duplicate = {"code": f"{engine.DUPLICATE}:{answer.name}", "part": answer.part}
        if queries.held_elsewhere(answer):
            reasons.append(duplicate)
            continue
        try:
            with transaction.atomic():
                answer.held = True
                answer.save(update_fields=["held"])
        except IntegrityError:
            reasons.append(duplicate)
    return reasons


@dataclass
class Processing:
    received: int = 0
    accepted: int = 0
    rejected: int = 0


def do_process_submissions(today: dt.date | None = None) -> Processing:
    """The processing run (the periodic task, and ``manage.py process_forms``): take in what was
    submitted, then decide what was received. Each submission is its own transaction, so a run
    stopped half-way is finished by the next one."""
    today = today or timezone.localdate()
    result = Processing()
    for submission_id in queries.waiting(SubmissionStatus.SUBMITTED):
        result.received += do_receive_submission(submission_id, today)
    for submission_id in queries.waiting(SubmissionStatus.RECEIVED):
        decided = do_decide_submission(submission_id, today)
        result.accepted += decided == SubmissionStatus.ACCEPTED
        result.rejected += decided == SubmissionStatus.REJECTED
    return result
