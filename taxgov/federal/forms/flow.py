"""A declared form as a ``taxgov.common.flows`` flow: one step per page, then the review and
signature. A page may be shown once every page before it has been answered."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import Flow, Step
from taxgov.federal.forms import engine
from taxgov.federal.forms.declarations import OnlineForm
from taxgov.federal.forms.models import Draft
from taxgov.federal.forms.validation import SignatureForm, part_form

STEP_TEMPLATE = "forms/step.html"
REVIEW = "review"


def _answered(form: OnlineForm, keys: list[str]) -> Callable[[Draft], bool]:
    def ready(draft: Draft) -> bool:
        answers = engine.load(form, draft.answers)
        return all(key in answers for key in keys)

    return ready


def flow_for(form: OnlineForm) -> Flow[Draft]:
    parts = form.parts
    steps: list[Step[Draft]] = [
        Step(
            part.key,
            part.label,
            STEP_TEMPLATE,
            part_form(form, part),
            ready=_answered(form, [p.key for p in parts[:index]]),
        )
        for index, part in enumerate(parts)
    ]
    steps.append(
        Step(REVIEW, _("Review and sign"), STEP_TEMPLATE, SignatureForm, ready=_answered(form, [p.key for p in parts]))
    )
    return Flow(f"form-{form.code}", steps)
