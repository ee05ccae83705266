"""Payment plans: the current plan (or whether you can have one), applying for a short-term or
a long-term plan (the form, a review, the decision at once), a plan's page, and changing it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taxgov.common.access.rules import access_rule
from taxgov.federal.plans import actions, queries
from taxgov.federal.plans.access import own_plan
from taxgov.federal.plans.forms import LongTermForm, ReviseForm, ShortTermForm
from taxgov.federal.plans.models import PlanKind, PlanStatus
from taxgov.federal.profile.access import HAS_PROFILE, INDIVIDUAL_ACCOUNT, signed_in_user, taxpayer_of
from taxgov.federal.signin.access import VERIFIED_IDENTITY
from taxgov.ledger import queries as ledger
from taxgov.ledger.models import TaxPeriod
from taxgov.ledger.templatetags.ledger import money


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The plan in effect; else a plan only the ledger records; else whether you can apply."""
    taxpayer = taxpayer_of(request)
    today = timezone.localdate()
    plans = list(queries.plans_of(taxpayer))
    # The database allows one plan in effect per taxpayer.
    plan = next((p for p in plans if p.status == PlanStatus.ESTABLISHED), None)
    context: dict[str, object] = {
        "past_headers": [_("Approved on"), _("Plan"), _("Status"), _("Ended on")],
        "past_rows": [
            [
                formats.date_format(p.established_on),
                p.get_kind_display(),
                p.get_status_display(),
                formats.date_format(ended) if (ended := p.defaulted_on or p.completed_on) else "",
            ]
            for p in plans
            if p != plan
        ],
    }
    if plan is not None:
        context.update(_plan_context(queries.plan_view(plan, today)))
        return render(request, "plans/index.html", context)
    everything = ledger.taxpayer_payoff(taxpayer, today)
    if (on_ledger := queries.ledger_plan_view(taxpayer, today, everything)) is not None:
        context.update(
            ledger_plan=on_ledger,
            years=_years(on_ledger.ledger.periods),
            contact=settings.TAXGOV_FEDERAL_CONTACT,
        )
    else:  # no plan here, and none running on the ledger
        context.update(_position_context(queries.position(taxpayer, today, everything, in_plan=False)))
    return render(request, "plans/index.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_http_methods(["GET", "POST"])
def apply_short_term(request: HttpRequest) -> HttpResponseBase:
    """The terms of a short-term plan and what it would cost; submitting applies."""
    taxpayer = taxpayer_of(request)
    today = timezone.localdate()
    found = queries.position(taxpayer, today)
    form = ShortTermForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})
    context = {**_position_context(found), "refusals": found.refusals_for(PlanKind.SHORT_TERM), "form": form}
    if not context["refusals"]:
        context["projection"] = queries.short_term_cost(found.periods, found.pay_by, today, establishing=True)
    if request.method != "POST" or not form.is_valid():
        return render(request, "plans/apply_short_term.html", context)
    application = actions.Application(PlanKind.SHORT_TERM)
    return _apply(request, application, form.cleaned_data["idempotency_key"], "plans/apply_short_term.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_http_methods(["GET", "POST"])
def apply_long_term(request: HttpRequest) -> HttpResponseBase:
    """The form; "Continue" shows the review with the fee and the projected cost (the answers
    ride along as hidden fields), and "Submit" there applies."""
    taxpayer = taxpayer_of(request)
    today = timezone.localdate()
    found = queries.position(taxpayer, today)
    initial = {"idempotency_key": uuid.uuid4().hex, "monthly_amount": found.minimum}
    form = LongTermForm(request.POST or None, minimum=found.minimum, terms=found.terms, initial=initial)
    context = {**_position_context(found), "refusals": found.refusals_for(PlanKind.LONG_TERM), "form": form}
    # A submit goes to the action even when refused now: the same form again is the same plan.
    refused = context["refusals"] and "submit" not in request.POST
    if refused or request.method != "POST" or not form.is_valid() or "edit" in request.POST:
        return render(request, "plans/apply_long_term.html", context)
    data = form.cleaned_data
    bank = form.bank_account() if data["direct_debit"] else None
    application = actions.Application(PlanKind.LONG_TERM, data["monthly_amount"], data["due_day"], bank)
    if "submit" not in request.POST:
        first_due = found.first_due_on(data["due_day"])
        context.update(
            data=data,
            bank=bank,
            first_due=first_due,
            fee=queries.setup_fee(PlanKind.LONG_TERM, data["direct_debit"], found.is_low_income, today),
            projection=queries.project(
                found.periods,
                queries.monthly_dates(first_due, found.collection_ends),
                data["monthly_amount"],
                today,
                establishing=True,
            ),
        )
        return render(request, "plans/review.html", context)
    return _apply(request, application, data["idempotency_key"], "plans/apply_long_term.html", context)


def _apply(
    request: HttpRequest, application: actions.Application, key: str, template: str, context: dict[str, object]
) -> HttpResponseBase:
    try:
        plan = actions.do_apply_for_plan(
            user=signed_in_user(request),
            taxpayer=taxpayer_of(request),
            application=application,
            idempotency_key=key,
            request=request,
        )
    except actions.PlanError as error:
        context["refusals"] = [queries.Refusal("", message) for message in error.messages]
        return render(request, template, context)
    messages.success(request, _("Your payment plan is approved."))
    return redirect("plans:detail", public_id=plan.public_id)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_GET
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    plan = own_plan(request, public_id)
    return render(request, "plans/detail.html", _plan_context(queries.plan_view(plan, timezone.localdate())))


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, INDIVIDUAL_ACCOUNT)
@require_http_methods(["GET", "POST"])
def revise(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    """Change the monthly amount or the due day, for the revision fee; a direct debit plan is
    changed by phone, as the IRS requires."""
    plan = own_plan(request, public_id)
    today = timezone.localdate()
    refusals = queries.revision_refusals(plan)
    context: dict[str, object] = {"plan": plan, "refusals": refusals, "contact": settings.TAXGOV_FEDERAL_CONTACT}
    if refusals:
        return render(request, "plans/revise.html", context)
    history = ledger.periods_with_history(plan.taxpayer)
    minimum = queries.revision_minimum(plan, queries.plan_periods(plan, history), today)
    low_income = queries.low_income(plan.taxpayer, history, today)
    initial = {"idempotency_key": uuid.uuid4().hex, "monthly_amount": plan.monthly_amount, "due_day": plan.due_day}
    form = ReviseForm(request.POST or None, minimum=minimum, terms=queries.terms(today), initial=initial)
    context.update(
        form=form,
        minimum=minimum,
        fee=queries.revision_fee(low_income is not None and low_income.qualifies, today),
    )
    if request.method != "POST" or not form.is_valid():
        return render(request, "plans/revise.html", context)
    data = form.cleaned_data
    try:
        actions.do_revise_plan(
            plan,
            user=signed_in_user(request),
            monthly_amount=data["monthly_amount"],
            due_day=data["due_day"],
            idempotency_key=data["idempotency_key"],
            request=request,
        )
    except actions.PlanError as error:
        for message in error.messages:
            form.add_error(None, message)
        return render(request, "plans/revise.html", context)
    messages.success(request, _("Your payment plan is changed."))
    return redirect("plans:detail", public_id=plan.public_id)


def _years(periods: Iterable[TaxPeriod]) -> str:
    return ", ".join(period.label for period in periods)


def _position_context(found: queries.Position) -> dict[str, object]:
    fees = queries.fee_schedule(found.is_low_income, found.as_of)
    return {
        "position": found,
        "years": _years(found.periods),
        "rates": queries.penalty_rates(found.as_of),
        "fee_headers": [_("How you pay"), _("Online"), _("By phone, mail or in person")],
        "fee_numeric": [1, 2],
        "fee_rows": [
            [_("Direct debit"), _fee(fees.online_direct_debit), money(fees.by_phone_direct_debit)],
            [_("Other ways"), _fee(fees.online_other), money(fees.by_phone_other)],
        ],
    }


def _fee(fee: queries.Fee) -> str:
    if not fee.amount:
        return str(_("None"))
    if fee.reimbursable:
        return _("%(amount)s (paid back when you complete the plan)") % {"amount": money(fee.amount)}
    return money(fee.amount)


def _plan_context(view: queries.PlanView) -> dict[str, object]:
    return {
        "view": view,
        "years": _years(view.plan.periods.all()),
        "rates": queries.penalty_rates(view.plan.established_on),
        "terms": queries.terms(view.plan.established_on),
        "installment_headers": [_("Due on"), _("Amount"), _("Direct debit"), _("Notice")],
        "installment_numeric": [1],
        "installment_rows": [
            [
                formats.date_format(installment.due_on),
                money(installment.amount),
                _("Confirmation %(number)s") % {"number": installment.payment.confirmation_number}
                if installment.payment
                else "",
                _("CP523 sent %(day)s") % {"day": formats.date_format(installment.notice.issued_on)}
                if installment.notice
                else "",
            ]
            for installment in view.installments
        ],
    }
