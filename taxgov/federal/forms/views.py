"""Forms: the list of forms to submit and of those submitted, the pages of a declared form
(one per page of the declaration, then review and sign), deleting a draft, and a submission
with its status history."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from taxgov.common.access.rules import access_rule
from taxgov.common.flows import Step, StepForm
from taxgov.common.flows.views import FlowStepView
from taxgov.federal.forms import access, actions, catalog, engine, queries
from taxgov.federal.forms.declarations import RuleContext
from taxgov.federal.forms.flow import flow_for
from taxgov.federal.forms.models import Draft
from taxgov.federal.forms.validation import BLANK
from taxgov.federal.profile.access import HAS_PROFILE, signed_in_user, taxpayer_of
from taxgov.federal.signin.access import VERIFIED_IDENTITY


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    taxpayer = taxpayer_of(request)
    submitted = [
        (submission, catalog.declaration(submission.form_code).title)
        for submission in queries.submissions_of(taxpayer)[:200]
    ]
    context = {
        "offered": queries.offered_forms(taxpayer, timezone.localdate()),
        "drafts": queries.forms_with_drafts(taxpayer),
        "submitted": submitted,
    }
    return render(request, "forms/index.html", context)


@method_decorator(sensitive_post_parameters(), name="dispatch")  # SSNs never reach an error report
@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
class FormStepView(FlowStepView[Draft]):
    """Any declared form: its flow is built from the declaration named in the address."""

    url_name = "forms:step"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.online_form = access.form_to_file(request, kwargs["code"])
        self.flow = flow_for(self.online_form)
        self.taxpayer = taxpayer_of(request)
        self.today = timezone.localdate()

    def step_url(self, step: Step[Draft]) -> str:
        return reverse(self.url_name, kwargs={"code": self.online_form.code, "step": step.key})

    def get_draft(self, *, create: bool) -> Draft | None:
        draft = queries.draft_of(self.taxpayer, self.online_form.code)
        if draft is None and create:  # saved with its first answers
            return Draft(
                taxpayer=self.taxpayer, form_code=self.online_form.code, started_by=signed_in_user(self.request)
            )
        return draft

    def form_kwargs(self, draft: Draft, step: Step[Draft]) -> dict[str, Any]:
        if step is self.flow.last:
            return {"statement": self.online_form.statement}
        return {"taxpayer": self.taxpayer, "today": self.today}

    def save_answers(self, draft: Draft, step: Step[Draft], answers: dict[str, Any]) -> None:
        self.draft = actions.do_save_answers(draft, self.online_form, step.key, answers["item"], request=self.request)

    def cancel_url(self) -> str:
        return reverse("forms:cancel", kwargs={"code": self.online_form.code})

    def missing_draft(self, step: Step[Draft]) -> HttpResponse:
        """Submit again after submitting (a double click, the back button, a second tab): the
        submission made."""
        if step is self.flow.last and self.request.method == "POST":
            made = queries.submission_by_key(self.taxpayer, self.request.POST.get("idempotency_key", ""))
            if made is not None:
                return redirect("forms:detail", public_id=made.public_id)
        return super().missing_draft(step)

    def extra_context(self, draft: Draft, step: Step[Draft]) -> dict[str, Any]:
        form = self.online_form
        context: dict[str, Any] = {"online_form": form, "values": form.values(RuleContext(self.today))}
        if step is self.flow.last:
            groups = engine.review(form, engine.load(form, draft.answers))
            context["review_groups"] = [(group, self.step_url(self.flow[group.part.key])) for group in groups]
            context["is_review"] = False  # the review is drawn by page, above the signature
        else:
            part = form.part(step.key)
            given = engine.load(form, draft.answers).get(part.key) is not None
            context.update({"part": part, "blank_allowed": part.optional and given, "blank_field": BLANK})
        return context

    def submit(self, draft: Draft) -> HttpResponse:
        """Check the signature and every rule again (a day may have passed), then submit."""
        signature = self.make_form(self.request.POST)
        assert isinstance(signature, StepForm)  # noqa: S101 (the review step has the signature form)
        if not signature.is_valid():
            return self.show(signature)
        form = self.online_form
        broken = engine.failures(form, engine.load(form, draft.answers), RuleContext(self.today))
        if broken:
            messages.error(self.request, f"{broken[0].part.label}: {broken[0].message}")
            return redirect(self.step_url(self.flow[broken[0].part.key]))
        try:
            submission = actions.do_submit_form(
                draft, form, user=signed_in_user(self.request), today=self.today, request=self.request
            )
        except actions.FormError as error:
            messages.error(self.request, str(error))
            return redirect("forms:index")
        return redirect("forms:detail", public_id=submission.public_id)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, code: str) -> HttpResponseBase:
    """Ask, then delete the draft and its answers."""
    form = access.form_to_file(request, code)
    draft = queries.draft_of(taxpayer_of(request), form.code)
    if draft is None:
        return redirect("forms:index")
    if request.method == "POST":
        actions.do_discard_draft(draft, request=request)
        messages.info(request, _("Your draft was deleted."))
        return redirect("forms:index")
    return render(request, "forms/cancel.html", {"online_form": form})


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    submission = access.own_submission(request, public_id)
    form = catalog.declaration(submission.form_code)
    context = RuleContext(submission.filed_on)
    history = [
        (
            change.get_status_display(),
            formats.date_format(timezone.localtime(change.changed_at), "DATETIME_FORMAT"),
            " ".join(
                f"{form.part(reason['part']).label}: {engine.reason(form, reason['code'], context)}"
                for reason in change.reasons
            ),
        )
        for change in submission.history.all()
    ]
    answers = engine.load(form, submission.answers)
    return render(
        request,
        "forms/detail.html",
        {
            "submission": submission,
            "online_form": form,
            "history": history,
            "history_headers": [_("Status"), _("Date and time"), _("Reason")],
            "groups": [(group, "") for group in engine.review(form, answers)],
        },
    )
