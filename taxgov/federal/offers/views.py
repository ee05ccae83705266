"""The Offer in Compromise pre-qualifier: its start page, the steps, the page a knock-out
answer ends on, the result, and Start over."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taxgov.common.access.rules import access_rule
from taxgov.common.flows import Step
from taxgov.common.flows.views import FlowStepView
from taxgov.federal.offers import actions, queries
from taxgov.federal.offers.access import draft_of, own_draft
from taxgov.federal.offers.calculator import Result
from taxgov.federal.offers.flow import PREQUALIFIER
from taxgov.federal.offers.models import Prequalification
from taxgov.federal.profile.access import HAS_PROFILE, INDIVIDUAL_ACCOUNT, signed_in_user, taxpayer_of
from taxgov.federal.signin.access import VERIFIED_IDENTITY
from taxgov.ledger.templatetags.ledger import money

# Why each knock-out answer ends the pre-qualifier, and what to do instead.
KNOCK_OUTS = {
    "in_bankruptcy": (
        gettext_lazy("You are in an open bankruptcy proceeding."),
        gettext_lazy(
            "An offer cannot be considered during a bankruptcy. Deal with the tax debt in your bankruptcy case, "
            "or come back once the case is closed."
        ),
    ),
    "returns_filed": (
        gettext_lazy("Not all of your required tax returns are filed."),
        gettext_lazy("File every return you are required to file, then come back."),
    ),
    "estimated_payments": (
        gettext_lazy("This year's required estimated tax payments are not all made."),
        gettext_lazy("Make the estimated payments due so far this year, then come back."),
    ),
    "deposits": (
        gettext_lazy("Your federal tax deposits as an employer are not up to date."),
        gettext_lazy("Make the deposits for this quarter and the 2 quarters before it, then come back."),
    ),
    "billed": (
        gettext_lazy("You have not been billed for the tax debt yet."),
        gettext_lazy("An offer can only settle a tax debt you were billed for. Come back once you get the bill."),
    ),
}


ASSET_NAMES = {
    "cash": gettext_lazy("Cash and bank accounts"),
    "investments": gettext_lazy("Investments"),
    "retirement": gettext_lazy("Retirement accounts"),
    "real_estate": gettext_lazy("Real estate"),
    "vehicles": gettext_lazy("Vehicles"),
    "other": gettext_lazy("Other valuable items"),
}
EXPENSE_NAMES = {
    "national": gettext_lazy("Food, clothing and other items"),
    "health_care": gettext_lazy("Out-of-pocket health care"),
    "housing": gettext_lazy("Housing and utilities"),
    "vehicle_payments": gettext_lazy("Vehicle loan or lease payments"),
    "vehicle_operating": gettext_lazy("Vehicle running costs"),
    "public_transportation": gettext_lazy("Public transportation"),
    "health_insurance": gettext_lazy("Health insurance"),
    "court_ordered": gettext_lazy("Court-ordered payments"),
    "child_care": gettext_lazy("Child or dependent care"),
    "current_taxes": gettext_lazy("Current taxes"),
}


def _table(caption: str, headers: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    """A table for ``data_table``: the first column names the row, the others are numbers."""
    return {"caption": caption, "headers": headers, "rows": rows, "numeric": range(1, len(headers))}


def result_tables(result: Result) -> dict[str, dict[str, Any]]:
    """The result's numbers as the page's three tables, money formatted for people."""
    assets = [
        [
            ASSET_NAMES[line.kind],
            *(money(amount) for amount in (line.value, line.quick_sale, line.loan, line.excluded, line.equity)),
        ]
        for line in result.equity
    ]
    assets.append([_("Net realizable equity"), "", "", "", "", money(result.net_realizable_equity)])
    expenses = [
        [
            EXPENSE_NAMES[line.kind],
            money(line.actual) if line.actual is not None else _("Not asked"),
            money(line.standard) if line.standard is not None else _("No standard"),
            money(line.allowed),
        ]
        for line in result.expenses
    ]
    expenses += [
        [_("Total allowable expenses"), "", "", money(result.allowable_expenses)],
        [_("Monthly income"), "", "", money(result.income)],
        [_("Monthly disposable income"), "", "", money(result.disposable_income)],
    ]
    lump, periodic = result.lump_sum, result.periodic
    options = [
        [
            _("Lump sum"),
            money(result.disposable_income * result.lump_sum_months),
            money(lump.rcp),
            money(lump.offer),
            money(lump.with_application),
        ],
        [
            _("Periodic payments"),
            money(result.disposable_income * result.periodic_months),
            money(periodic.rcp),
            money(periodic.offer),
            money(periodic.with_application),
        ],
    ]
    return {
        "assets_table": _table(
            _("Your assets and the equity the IRS counts"),
            [_("Asset"), _("Value"), _("Quick-sale value"), _("Owed on it"), _("Excluded"), _("Equity")],
            assets,
        ),
        "expenses_table": _table(
            _("Your monthly expenses and what the IRS allows"),
            [_("Expense"), _("You pay"), _("IRS standard"), _("Allowed")],
            expenses,
        ),
        "options_table": _table(
            _("Suggested offers by payment option"),
            [
                _("Option"),
                _("Future income"),
                _("Reasonable collection potential"),
                _("Suggested offer"),
                _("Sent with the application"),
            ],
            options,
        ),
    }


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    draft = draft_of(request)
    return render(request, "offers/index.html", {"draft": draft})


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    draft = actions.do_start_prequalification(signed_in_user(request), request=request)
    return redirect("offers:resume", public_id=draft.public_id)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
class PrequalifierStepView(FlowStepView[Prequalification]):
    flow = PREQUALIFIER
    url_name = "offers:step"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.public_id: uuid.UUID = kwargs["public_id"]

    def step_url(self, step: Step[Prequalification]) -> str:
        return reverse(self.url_name, kwargs={"public_id": self.public_id, "step": step.key})

    def get_draft(self, *, create: bool) -> Prequalification:
        return own_draft(self.request, self.public_id)  # started from the index page, never here

    def form_kwargs(self, draft: Prequalification, step: Step[Prequalification]) -> dict[str, Any]:
        today = timezone.localdate()
        if step.key == "basics":
            return {
                "counties": queries.county_standards(today),
                "payoff": queries.payoff_today(taxpayer_of(self.request), today),
            }
        if step.key == "income":
            return {"agi": queries.latest_agi(taxpayer_of(self.request))}
        return {}

    def save_answers(self, draft: Prequalification, step: Step[Prequalification], answers: dict[str, Any]) -> None:
        actions.do_save_answers(draft, step, answers)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """A knock-out answer, once saved, ends the flow on the page that says why."""
        response = super().post(request, *args, **kwargs)
        if isinstance(response, HttpResponseRedirect) and self.draft.knock_outs:
            return redirect("offers:ineligible", public_id=self.public_id)
        return response

    def submit(self, draft: Prequalification) -> HttpResponse:
        actions.do_review(draft, request=self.request)
        return redirect("offers:result", public_id=draft.public_id)

    def cancel_url(self) -> str:
        return reverse("offers:index")

    def extra_context(self, draft: Prequalification, step: Step[Prequalification]) -> dict[str, Any]:
        return {"start_over_url": reverse("offers:start_over", kwargs={"public_id": draft.public_id})}


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_GET
def ineligible(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    draft = own_draft(request, public_id)
    if not draft.knock_outs:
        return redirect("offers:resume", public_id=public_id)
    reasons = [KNOCK_OUTS[name] for name in draft.knock_outs]
    return render(request, "offers/ineligible.html", {"draft": draft, "reasons": reasons})


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_GET
def result(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    draft = own_draft(request, public_id)
    if draft.reviewed_at is None or not PREQUALIFIER.allows(draft, PREQUALIFIER.last):
        return redirect("offers:resume", public_id=public_id)
    found = queries.result_for(draft, timezone.localdate())
    return render(request, "offers/result.html", {"draft": draft, "result": found, **result_tables(found)})


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_http_methods(["GET", "POST"])
def start_over(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    draft = own_draft(request, public_id)
    if request.method == "GET":
        return render(request, "offers/start_over.html", {"draft": draft})
    actions.do_delete_prequalification(draft, request=request)
    messages.success(request, _("Your answers were deleted. You can start again whenever you like."))
    return redirect("offers:index")
