"""The view that drives any ``Flow``: one URL per step, GET shows it, POST saves and moves on.

A deployable subclasses ``FlowStepView`` with where its draft lives (``get_draft``), how
answers are saved (``save_answers``, an action) and what Submit does (``submit``). The view
refuses a step the draft is not ready for and sends the person to the furthest step it is.
Previous and Cancel are links, so Enter in any field means Next.
"""

from __future__ import annotations

from typing import Any, Generic

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from taxgov.common.flows import DraftT, Flow, Step, StepForm


class FlowStepView(View, Generic[DraftT]):
    flow: Flow[DraftT]
    url_name: str  # takes the step key as ``step``

    # --- What a deployable supplies ----------------------------------------------------------

    def get_draft(self, *, create: bool) -> DraftT | None:
        raise NotImplementedError

    def save_answers(self, draft: DraftT, step: Step[DraftT], answers: dict[str, Any]) -> None:
        raise NotImplementedError

    def submit(self, draft: DraftT) -> HttpResponse:
        raise NotImplementedError

    def cancel_url(self) -> str:
        raise NotImplementedError

    def form_kwargs(self, draft: DraftT, step: Step[DraftT]) -> dict[str, Any]:
        return {}

    def extra_context(self, draft: DraftT, step: Step[DraftT]) -> dict[str, Any]:
        return {}

    def missing_draft(self, step: Step[DraftT]) -> HttpResponse:
        """There is no draft for this browser: start again (a flow that was just submitted
        may send the person to what they submitted instead)."""
        return HttpResponseRedirect(self.step_url(self.flow.first))

    def validate(self, form: StepForm) -> bool:
        """Whether the posted form may be saved; a step that counts failed attempts overrides it."""
        return form.is_valid()

    # --- The machinery -------------------------------------------------------------------------

    def step_url(self, step: Step[DraftT]) -> str:
        return reverse(self.url_name, kwargs={"step": step.key})

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = kwargs.get("step")
        if key is None:
            draft = self.get_draft(create=False)
            return HttpResponseRedirect(self.step_url(self.flow.furthest(draft) if draft else self.flow.first))
        if key not in self.flow:
            raise Http404
        step = self.flow[key]
        draft = self.get_draft(create=step is self.flow.first)
        if draft is None:
            return self.missing_draft(step)
        if not self.flow.allows(draft, step):
            return HttpResponseRedirect(self.step_url(self.flow.furthest(draft)))
        self.draft, self.step = draft, step
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data: Any = None, files: Any = None) -> StepForm | None:
        if self.step.form is None:
            return None
        return self.step.form(data, files, draft=self.draft, **self.form_kwargs(self.draft, self.step))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.show(self.make_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.step is self.flow.last:
            return self.submit(self.draft)
        form = self.make_form(request.POST, request.FILES)
        if form is not None:
            if not self.validate(form):
                return self.show(form)
            self.save_answers(self.draft, self.step, form.answers())
        following = self.flow.next(self.step)
        return HttpResponseRedirect(self.step_url(following or self.step))

    def show(self, form: StepForm | None) -> HttpResponse:
        previous = self.flow.previous(self.step)
        context = {
            "flow": self.flow,
            "step": self.step,
            "step_labels": self.flow.labels,
            "step_index": self.flow.index(self.step),
            "form": form,
            "draft": self.draft,
            "previous_url": self.step_url(previous) if previous else "",
            "cancel_url": self.cancel_url(),
            "is_review": self.step is self.flow.last,
            "review_rows": self.flow.review_rows(self.draft) if self.step is self.flow.last else [],
            **self.extra_context(self.draft, self.step),
        }
        return render(self.request, self.step.template, context)
