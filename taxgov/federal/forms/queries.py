"""Which forms a taxpayer can submit today, their draft and submissions, and who holds an
answer that must be unique."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from taxgov.federal.forms import catalog, engine
from taxgov.federal.forms.declarations import OnlineForm
from taxgov.federal.forms.models import Draft, Submission, SubmissionStatus, UniqueAnswer
from taxgov.ledger.models import Taxpayer


def may_file(form: OnlineForm, taxpayer: Taxpayer, today: dt.date) -> bool:
    return taxpayer.kind in form.filers and form.offered(today)


def offered_forms(taxpayer: Taxpayer, today: dt.date) -> list[OnlineForm]:
    return [form for form in catalog.FORMS.values() if may_file(form, taxpayer, today)]


def draft_of(taxpayer: Taxpayer, code: str) -> Draft | None:
    return Draft.objects.filter(taxpayer=taxpayer, form_code=code).first()


def forms_with_drafts(taxpayer: Taxpayer) -> set[str]:
    return set(Draft.objects.filter(taxpayer=taxpayer).values_list("form_code", flat=True))


def submissions_of(taxpayer: Taxpayer) -> QuerySet[Submission]:
    return Submission.objects.filter(taxpayer=taxpayer).order_by("-signed_at")


def submission_by_key(taxpayer: Taxpayer, idempotency_key: str) -> Submission | None:
    return Submission.objects.filter(taxpayer=taxpayer, idempotency_key=idempotency_key).first()


def own_holder(taxpayer: Taxpayer, form: OnlineForm, unique: engine.Unique) -> Submission | None:
    """The taxpayer's own live submission with this answer (a second election for a child
    they elected for already). Other people's are found only by processing, so a page never
    tells anyone whether someone else gave that answer."""
    found = UniqueAnswer.objects.filter(
        form_code=form.code, name=unique.name, fingerprint=unique.fingerprint, submission__taxpayer=taxpayer
    ).exclude(submission__status=SubmissionStatus.REJECTED)
    held = found.select_related("submission").first()
    return held.submission if held else None


def held_elsewhere(answer: UniqueAnswer) -> bool:
    others = UniqueAnswer.objects.filter(
        form_code=answer.form_code, name=answer.name, fingerprint=answer.fingerprint, held=True
    )
    return others.exclude(submission_id=answer.submission_id).exists()


def waiting(status: SubmissionStatus) -> list[int]:
    return list(Submission.objects.filter(status=status).order_by("pk").values_list("pk", flat=True))
