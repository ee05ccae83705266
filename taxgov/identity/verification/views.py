"""Identity verification pages: the start page, the self-service steps, a help page per
error code, and the outcome."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from taxgov.common.access.rules import SIGNED_IN, access_rule, signed_in_user_id
from taxgov.common.flows import Step, StepForm
from taxgov.common.flows.views import FlowStepView
from taxgov.common.ratelimit import rate_limiter
from taxgov.identity.verification import access, actions, queries
from taxgov.identity.verification.errors import ERRORS
from taxgov.identity.verification.flow import SELF_SERVICE
from taxgov.identity.verification.forms import CONSENT_TEXT
from taxgov.identity.verification.models import Verification

# Attempts per account at the steps that read images, ask a vendor or send a text (NIST SP
# 800-63A: limit verification attempts; they also bound the work and the texts one account costs).
STEP_LIMITS = {
    "photos": "identity.idv.document",
    "selfie": "identity.idv.selfie",
    "details": "identity.idv.records",
    "phone": "identity.idv.phone",
}


@access_rule(SIGNED_IN)
def start(request: HttpRequest) -> HttpResponse:
    verified = queries.verified_identity(signed_in_user_id(request))
    return render(
        request,
        "verification/start.html",
        {"verified": verified, "in_progress": access.case_in_progress(request) is not None},
    )


@access_rule(SIGNED_IN)
class VerifyStepView(FlowStepView[Verification]):
    flow = SELF_SERVICE
    url_name = "verification:step"
    base_template = "verification/step_base.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Only these pages may use the camera (every other page's policy forbids it)."""
        response = super().dispatch(request, *args, **kwargs)
        response.headers["Permissions-Policy"] = settings.TAXGOV_PERMISSIONS_POLICY.replace(
            "camera=()", "camera=(self)"
        )
        return response

    def get_draft(self, *, create: bool) -> Verification | None:
        if queries.verified_identity(signed_in_user_id(self.request)):
            return None
        draft = access.case_in_progress(self.request)
        if draft is None and create:
            return Verification(user_id=signed_in_user_id(self.request))  # saved with its first answers
        return draft

    def missing_draft(self, step: Step[Verification]) -> HttpResponse:
        return redirect("verification:start")

    def cancel_url(self) -> str:
        return reverse("verification:start")

    def validate(self, form: StepForm) -> bool:
        """Every attempt at a limited step counts (each reads images, asks a vendor or sends a
        text); a failure is audited with its code and shown with its help link."""
        name = STEP_LIMITS.get(self.step.key, "")
        if name and not rate_limiter(name).hit(str(signed_in_user_id(self.request))):
            self.error_code = "IDV-LIM-001"
            form.add_error(None, str(ERRORS["IDV-LIM-001"].what_happened))
            return False
        if form.is_valid():
            return True
        codes = [error.code for errors in form.errors.as_data().values() for error in errors if error.code in ERRORS]
        if codes and self.draft.pk:
            self.error_code = codes[0]
            actions.do_record_failure(self.draft, self.step.key, codes[0], request=self.request)
        return False

    def save_answers(self, draft: Verification, step: Step[Verification], answers: dict[str, Any]) -> None:
        if draft._state.adding:
            draft = actions.do_start(signed_in_user_id(self.request), request=self.request)
        actions.do_save_answers(draft, step, answers, request=self.request)

    def submit(self, draft: Verification) -> HttpResponse:
        if not actions.do_complete(draft, request=self.request):
            return redirect("verification:problem", code="IDV-REC-002")
        return redirect("verification:done")

    def extra_context(self, draft: Verification, step: Step[Verification]) -> dict[str, Any]:
        code = getattr(self, "error_code", "")
        return {"error": ERRORS.get(code), "turn": draft.turn, "consent_text": CONSENT_TEXT}


@access_rule(SIGNED_IN)
def problem(request: HttpRequest, code: str) -> HttpResponse:
    if code not in ERRORS:
        raise Http404
    return render(request, "verification/problem.html", {"error": ERRORS[code], "code": code})


@access_rule(SIGNED_IN)
def done(request: HttpRequest) -> HttpResponse:
    verified = queries.verified_identity(signed_in_user_id(request))
    if verified is None:
        return redirect("verification:start")
    hours = settings.TAXGOV_IDV_BIOMETRIC_RETENTION_HOURS
    return render(request, "verification/done.html", {"verified": verified, "retention_hours": hours})
