"""Identity verification pages: the start page, the self-service steps, the steps before a
video call, a help page per error code, and the outcome."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from taxgov.common.access.rules import SIGNED_IN, access_rule, signed_in_user_id
from taxgov.common.flows import Step, StepForm
from taxgov.common.flows.views import FlowStepView
from taxgov.common.ratelimit import rate_limiter
from taxgov.common.security.middleware import allow_media
from taxgov.identity.oidc.returning import return_to_agency
from taxgov.identity.verification import access, actions, queries
from taxgov.identity.verification.errors import ERRORS
from taxgov.identity.verification.flow import BY_MAIL, SELF_SERVICE, VIDEO_CALL, flow_for
from taxgov.identity.verification.forms import CONSENT_TEXT, VIDEO_CONSENT_TEXT
from taxgov.identity.verification.models import ConfirmBy, Method, Verification

# Attempts per account at the steps that read images, ask a vendor or send a text (NIST SP
# 800-63A: limit verification attempts; they also bound the work and the texts one account costs).
STEP_LIMITS = {
    "photos": "identity.idv.document",
    "selfie": "identity.idv.selfie",
    "details": "identity.idv.records",
    "phone": "identity.idv.phone",
    "letter-code": "identity.idv.letter_code",
}
# The URLs of each flow: where a case resumes, and a step's page.
RESUME_URLS = {
    SELF_SERVICE.name: "verification:resume",
    BY_MAIL.name: "verification:mail_resume",
    VIDEO_CALL.name: "verification:video_resume",
}
STEP_URLS = {
    SELF_SERVICE.name: "verification:step",
    BY_MAIL.name: "verification:mail_step",
    VIDEO_CALL.name: "verification:video_step",
}


def resume_url(case: Verification | None) -> str:
    return reverse(RESUME_URLS[flow_for(case).name if case else SELF_SERVICE.name])


def step_url(case: Verification | None, key: str) -> str:
    return reverse(STEP_URLS[flow_for(case).name if case else SELF_SERVICE.name], kwargs={"step": key})


@access_rule(SIGNED_IN)
def start(request: HttpRequest) -> HttpResponse:
    verified = queries.verified_identity(signed_in_user_id(request))
    case = access.case_in_progress(request)
    return render(
        request,
        "verification/start.html",
        {
            "verified": verified,
            "self_service_in_progress": case is not None and not case.by_video,
            "video_in_progress": case is not None and case.by_video,
            "resume_url": resume_url(case),
            "letters_out": queries.letters_out(case) if case is not None else [],
            "returning": return_to_agency(request),
        },
    )


@access_rule(SIGNED_IN)
@require_POST
def choose_video_call(request: HttpRequest) -> HttpResponse:
    """Talk to an agent instead: a case in progress keeps what it has (the photos already
    taken go to the agent); the person agrees to the video call's terms first."""
    if queries.verified_identity(signed_in_user_id(request)) is None:
        actions.do_choose_video_call(signed_in_user_id(request), access.case_in_progress(request), request=request)
    return redirect("verification:video_resume")


@access_rule(SIGNED_IN)
@require_POST
def choose_confirmation(request: HttpRequest, by: str) -> HttpResponse:
    """A code to a phone in the person's name, or a letter to their address instead."""
    if by not in ConfirmBy.values:
        raise Http404
    case = access.case_in_progress(request)
    if case is not None:
        actions.do_choose_confirmation(case, by, request=request)
    return redirect(resume_url(case))


@access_rule(SIGNED_IN)
class VerifyStepView(FlowStepView[Verification]):
    flow = SELF_SERVICE
    method = Method.SELF_SERVICE
    url_name = "verification:step"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Only these pages may use the camera (every other page's policy forbids it)."""
        return allow_media(super().dispatch(request, *args, **kwargs), "camera")

    def get_draft(self, *, create: bool) -> Verification | None:
        if queries.verified_identity(signed_in_user_id(self.request)):
            return None
        draft = access.case_in_progress(self.request)
        if draft is None and create:
            # saved with its first answers
            return Verification(user_id=signed_in_user_id(self.request), method=self.method)
        return draft if draft is not None and flow_for(draft) is self.flow else None

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
            draft = actions.do_start(signed_in_user_id(self.request), self.method, request=self.request)
        actions.do_save_answers(draft, step, answers, request=self.request)

    def submit(self, draft: Verification) -> HttpResponse:
        if not actions.do_complete(draft, request=self.request):
            return redirect("verification:problem", code="IDV-REC-002")
        return redirect("verification:done")

    def extra_context(self, draft: Verification, step: Step[Verification]) -> dict[str, Any]:
        code = getattr(self, "error_code", "")
        consent = VIDEO_CONSENT_TEXT if draft.by_video else CONSENT_TEXT
        return {"error": ERRORS.get(code), "turn": draft.turn, "consent_text": consent}


@access_rule(SIGNED_IN)
class ByMailStepView(VerifyStepView):
    """Self-service with a letter to the person's address in place of the phone code; a case
    comes here from the phone step (``choose_confirmation``), never from nothing."""

    flow = BY_MAIL
    url_name = "verification:mail_step"

    def get_draft(self, *, create: bool) -> Verification | None:
        return super().get_draft(create=False)

    def extra_context(self, draft: Verification, step: Step[Verification]) -> dict[str, Any]:
        context = super().extra_context(draft, step)
        if step.key in ("letter", "letter-code"):
            now = timezone.now()
            next_letter = queries.next_letter_at(draft.user_id, now)
            context |= {
                "letters_out": queries.letters_out(draft),
                "next_letter_at": next_letter if next_letter > now else None,
                "valid_days": queries.letter_valid_days(draft.state),
            }
        return context


@access_rule(SIGNED_IN)
class VideoCallStepView(VerifyStepView):
    """The steps before a video call: the documents and details the agent will check."""

    flow = VIDEO_CALL
    method = Method.VIDEO_AGENT
    url_name = "verification:video_step"

    def submit(self, draft: Verification) -> HttpResponse:
        actions.do_submit_for_video_call(draft, request=self.request)
        return redirect("videocall:lobby")


@access_rule(SIGNED_IN)
def problem(request: HttpRequest, code: str) -> HttpResponse:
    if code not in ERRORS:
        raise Http404
    case = access.case_in_progress(request)
    context = {
        "error": ERRORS[code],
        "code": code,
        "resume_url": resume_url(case),
        "document_url": step_url(case, "document"),
        # A phone that is not theirs, or codes that do not arrive: a letter to their address instead.
        "offer_mail": case is not None and flow_for(case) is SELF_SERVICE and case.records_matched_at is not None,
    }
    return render(request, "verification/problem.html", context)


@access_rule(SIGNED_IN)
def done(request: HttpRequest) -> HttpResponse:
    verified = queries.verified_identity(signed_in_user_id(request))
    if verified is None:
        return redirect("verification:start")
    hours = settings.TAXGOV_IDV_BIOMETRIC_RETENTION_HOURS
    return render(
        request,
        "verification/done.html",
        {"verified": verified, "retention_hours": hours, "returning": return_to_agency(request)},
    )
