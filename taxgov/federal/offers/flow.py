"""The pre-qualifier as a declared list of steps (``taxgov.common.flows``): the status
screening, basic information, assets, income, expenses and the review. Each step is open once
the steps before it are answered (and the screening knocked nothing out); every change empties
``reviewed_at``, so the result always follows a review of the answers it uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import Flow, Label, Step, StepForm
from taxgov.federal.offers import forms
from taxgov.federal.offers.models import ASSET_FIELDS, BASICS, EXPENSES, INCOME, Prequalification
from taxgov.ledger.templatetags.ledger import money

Draft = Prequalification
REVIEWED = ("reviewed_at",)
TEMPLATE = "offers/steps/{}.html"


def _shown(field: django_forms.Field, value: Any) -> str:
    if isinstance(field, django_forms.DecimalField):
        return money(value)
    if isinstance(value, bool):
        value = "yes" if value else "no"
    choices = dict(getattr(field, "choices", ()))
    return str(choices.get(str(value), value))


def _rows(form: type[StepForm]) -> Callable[[Draft], list[tuple[Label, str]]]:
    """A step's review rows: each question of its form with the answer given; an optional
    question left unanswered is left out."""

    def rows(draft: Draft) -> list[tuple[Label, str]]:
        shown: list[tuple[Label, str]] = []
        for name, field in form.base_fields.items():
            value = getattr(draft, name)
            if value in (None, "") and not field.required:
                continue
            shown.append((field.label or name, "" if value in (None, "") else _shown(field, value)))
        return shown

    return rows


STATUS: Step[Draft] = Step(
    "status",
    _("Status"),
    TEMPLATE.format("status"),
    forms.ScreeningForm,
    clears=REVIEWED,
    summary=_rows(forms.ScreeningForm),
    heading=_("Can an offer be considered?"),
)
PREQUALIFIER: Flow[Draft] = Flow(
    "offer-prequalifier",
    [
        STATUS,
        Step(
            "basics",
            _("Basic information"),
            TEMPLATE.format("basics"),
            forms.BasicsForm,
            ready=lambda draft: draft.screened,
            clears=REVIEWED,
            summary=_rows(forms.BasicsForm),
            heading=_("You and your household"),
        ),
        Step(
            "assets",
            _("Assets"),
            TEMPLATE.format("assets"),
            forms.AssetsForm,
            ready=lambda draft: draft.answered(BASICS),
            clears=REVIEWED,
            summary=_rows(forms.AssetsForm),
            heading=_("What you own"),
        ),
        Step(
            "income",
            _("Income"),
            TEMPLATE.format("income"),
            forms.IncomeForm,
            ready=lambda draft: draft.answered(ASSET_FIELDS),
            clears=REVIEWED,
            summary=_rows(forms.IncomeForm),
            heading=_("Your household's income"),
        ),
        Step(
            "expenses",
            _("Expenses"),
            TEMPLATE.format("expenses"),
            forms.ExpensesForm,
            ready=lambda draft: draft.answered(INCOME),
            clears=REVIEWED,
            summary=_rows(forms.ExpensesForm),
            heading=_("Your household's monthly expenses"),
        ),
        Step(
            "review",
            _("Review"),
            TEMPLATE.format("review"),
            ready=lambda draft: draft.answered(EXPENSES),
            heading=_("Check your answers"),
        ),
    ],
)
