"""Starting, answering, reviewing and deleting a pre-qualification. All of it stays in the
draft: the pre-qualifier writes nothing to the ledger and sends nothing to the IRS."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from taxgov.common.audit.actions import record_event
from taxgov.common.flows import Step, apply_answers
from taxgov.federal.accounts.models import User
from taxgov.federal.offers.models import Prequalification
from taxgov.federal.offers.tags import OfferTag


def _subject(draft: Prequalification) -> str:
    return f"offer_prequalification:{draft.pk}"


def do_start_prequalification(user: User, *, request: HttpRequest) -> Prequalification:
    """The user's draft, made now if they have none (a double click starts one, not two)."""
    existing = Prequalification.objects.filter(user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            draft = Prequalification.objects.create(user=user)
            record_event(OfferTag.STARTED, actor=f"user:{user.pk}", subject=_subject(draft), request=request)
    except IntegrityError:
        return Prequalification.objects.get(user=user)
    return draft


@transaction.atomic
def do_save_answers(draft: Prequalification, step: Step[Prequalification], answers: dict[str, Any]) -> None:
    changed = apply_answers(draft, step, answers)
    if changed:
        draft.save(update_fields=[*changed, "updated_at"])


@transaction.atomic
def do_review(draft: Prequalification, *, request: HttpRequest) -> None:
    """Submit on the review page: the answers are the person's, and the result may be shown."""
    draft.reviewed_at = timezone.now()
    draft.save(update_fields=["reviewed_at", "updated_at"])
    record_event(OfferTag.REVIEWED, subject=_subject(draft), request=request)


@transaction.atomic
def do_delete_prequalification(draft: Prequalification, *, request: HttpRequest) -> None:
    """Start over: the draft and every answer in it are deleted."""
    record_event(OfferTag.DELETED, subject=_subject(draft), request=request)
    draft.delete()
