"""Sign Up: the registration options, the four wizards, the confirmation page, the Activate
link, and the staff review queue."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from taxgov.common.access.rules import PUBLIC, STAFF, access_rule
from taxgov.common.flows import Step, StepForm
from taxgov.common.flows.views import FlowStepView
from taxgov.common.ratelimit import client_ip, rate_limiter
from taxgov.ledger.identifiers import tin_fingerprint
from taxgov.state.accounts.models import AccessRole, User
from taxgov.state.portal.access import signed_in_logon
from taxgov.state.registration import access, actions, queries
from taxgov.state.registration.flow import FLOWS
from taxgov.state.registration.forms import LogonForm, NewTaxpayerForm, TaxAmountForm
from taxgov.state.registration.models import RegistrationKind, RegistrationRequest, TaxpayerType
from taxgov.state.registration.tokens import user_id_from_token


@access_rule(PUBLIC)
def options(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/options.html")


def _minutes(limiter_name: str, *identifiers: str) -> int:
    return max(1, round(rate_limiter(limiter_name).resets_in(*identifiers).total_seconds() / 60))


# Steps whose answers reveal something (an ID on file, a username taken): tries per address.
LIMITED_STEPS: dict[type[StepForm], str] = {
    NewTaxpayerForm: "state.registration.new_id",
    LogonForm: "state.registration.username",
}


@access_rule(PUBLIC)
class RegistrationStepView(FlowStepView[RegistrationRequest]):
    url_name = "registration:step"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        if kwargs["kind"] not in FLOWS:
            raise Http404
        self.kind = RegistrationKind(kwargs["kind"])
        self.flow = FLOWS[self.kind]

    def step_url(self, step: Step[RegistrationRequest]) -> str:
        return reverse(self.url_name, kwargs={"kind": self.kind.value, "step": step.key})

    def get_draft(self, *, create: bool) -> RegistrationRequest | None:
        draft = access.draft_in_session(self.request, self.kind)
        if draft is None and create:
            return RegistrationRequest(kind=self.kind)  # saved when its first answers are
        return draft

    def save_answers(
        self, draft: RegistrationRequest, step: Step[RegistrationRequest], answers: dict[str, Any]
    ) -> None:
        if draft._state.adding:  # the first answers: only now is there something to keep
            draft = actions.do_start_registration(self.kind, request=self.request)
            access.remember_draft(self.request, draft)
        actions.do_save_answers(draft, step, answers)

    def missing_draft(self, step: Step[RegistrationRequest]) -> HttpResponse:
        """Submit again after submitting (the back button, a double click): the request made."""
        if step is self.flow.last and access.has_submitted(self.request):
            return redirect("registration:confirmation")
        return super().missing_draft(step)

    def cancel_url(self) -> str:
        return reverse("registration:cancel", kwargs={"kind": self.kind.value})

    def extra_context(self, draft: RegistrationRequest, step: Step[RegistrationRequest]) -> dict[str, Any]:
        context: dict[str, Any] = {"kind": self.kind}
        if step.key == "logon" and draft.taxpayer_type == TaxpayerType.ORGANIZATION and draft.verified_taxpayer:
            context["becomes_tax_administrator"] = queries.has_master_administrator(draft.verified_taxpayer)
        return context

    def validate(self, form: StepForm) -> bool:
        if isinstance(form, TaxAmountForm):
            return self._validate_proof(form)
        limit = LIMITED_STEPS.get(type(form))
        if limit is not None and not rate_limiter(limit).hit(client_ip(self.request)):
            form.add_error(None, _("Too many attempts. Try again later or call us."))
            return False
        return form.is_valid()

    def _validate_proof(self, form: TaxAmountForm) -> bool:
        """Every well-formed proof is counted, per address and per ID, before it is checked;
        past the limit nothing is checked."""
        if not form.is_valid():
            return False
        ip, tin = client_ip(self.request), tin_fingerprint(self.draft.tin)
        by_ip, by_tin = rate_limiter("state.registration.verify.ip"), rate_limiter("state.registration.verify.tin")
        if not (by_ip.hit(ip) and by_tin.hit(tin)):
            actions.do_record_verification_limited(self.draft, request=self.request)
            minutes = max(_minutes("state.registration.verify.ip", ip), _minutes("state.registration.verify.tin", tin))
            form.add_error(
                None,
                _("Too many attempts. Try again in %(minutes)d minutes, or call us for help.") % {"minutes": minutes},
            )
            return False
        matched = form.matches_the_ledger()
        actions.do_record_verification(self.draft, passed=matched, request=self.request)
        return matched

    def submit(self, draft: RegistrationRequest) -> HttpResponse:
        try:
            submitted = actions.do_submit_registration(draft, self.flow, request=self.request)
        except actions.SubmitError as error:
            messages.error(
                self.request,
                _("This username is taken. Choose another.")
                if error.step == "logon"
                else _("Some answers are missing."),
            )
            return redirect(self.step_url(self.flow[error.step]))
        access.remember_submitted(self.request, submitted)
        return redirect("registration:confirmation")


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FLOWS:
        raise Http404
    if request.method == "POST":
        draft = access.draft_in_session(request, RegistrationKind(kind))
        if draft is not None:
            actions.do_cancel_registration(draft, request=request)
        messages.info(request, _("Your request was cancelled and your answers were deleted."))
        return redirect("registration:options")
    return render(request, "registration/cancel.html", {"kind": kind})


@access_rule(PUBLIC)
def confirmation(request: HttpRequest) -> HttpResponse:
    submitted = access.submitted_in_session(request)
    template = "registration/confirmation_print.html" if request.GET.get("print") else "registration/confirmation.html"
    return render(request, template, {"submitted": submitted, "from_email": settings.DEFAULT_FROM_EMAIL})


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest, token: str) -> HttpResponseBase:
    """GET only shows a button: mail scanners that follow links must not use up the link."""
    user_id = user_id_from_token(token)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return render(request, "registration/activate_invalid.html", status=404)
    if request.method == "POST":
        if actions.do_activate_logon(user, request=request):
            messages.success(request, _("Your logon is active. Log in with the username and password you chose."))
        else:
            messages.info(request, _("Your logon is already active. Log in with your username and password."))
        return redirect("home:index")
    return render(request, "registration/activate.html", {"already_active": user.activated_at is not None})


@access_rule(STAFF)
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/review_queue.html", {"waiting": queries.review_queue()})


@access_rule(STAFF)
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    waiting = access.request_for_review(public_id)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in ("approve", "deny"):
            raise Http404
        try:
            if decision == "approve":
                actions.do_approve_registration(waiting, request=request, decided_by=signed_in_logon(request))
                messages.success(request, _("Approved. The Activate link was e-mailed."))
            else:
                actions.do_deny_registration(waiting, request=request, decided_by=signed_in_logon(request))
                messages.success(request, _("Denied. The person was told by e-mail."))
        except actions.DecisionError as error:
            messages.error(request, str(error))
        return redirect("registration:review_queue")
    return render(
        request,
        "registration/review.html",
        {"waiting": waiting, "rows": FLOWS[waiting.kind].review_rows(waiting), "roles": AccessRole},
    )
