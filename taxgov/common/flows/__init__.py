"""Multi-step forms as a declared list of steps (ADR 0012).

A ``Flow`` is an ordered list of ``Step``s. Each step names its form, its template, the
condition the draft must meet before the step may be shown (``ready``), the draft fields
that depend on its answers (``clears``: changing an answer empties them, so a later step
is asked again) and the rows it contributes to the review page. Answers live in a draft
model saved after every step, so Previous never loses them and a person can resume; the
step indicator, the navigation and the review page are all built from the same list.

The views that drive a flow are in ``taxgov.common.flows.views``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django import forms
from django.db import models
from django.utils.functional import Promise

DraftT = TypeVar("DraftT", bound=models.Model)
Label = str | Promise


class StepForm(forms.Form):
    """A step's form: validation only. It reads its initial values from the draft and says,
    in ``answers()``, what the draft should hold once it is valid; it never writes."""

    def __init__(self, *args: Any, draft: Any, **kwargs: Any) -> None:
        self.draft = draft
        kwargs.setdefault("initial", self.initial_from(draft))
        super().__init__(*args, **kwargs)

    def initial_from(self, draft: Any) -> dict[str, Any]:
        """By default, the draft attributes named like the form's fields."""
        return {name: getattr(draft, name) for name in self.base_fields if hasattr(draft, name)}

    def answers(self) -> dict[str, Any]:
        """By default, the cleaned values of the fields the draft has."""
        return {name: value for name, value in self.cleaned_data.items() if hasattr(self.draft, name)}


def _always(draft: Any) -> bool:
    return True


def _no_rows(draft: Any) -> list[tuple[Label, str]]:
    return []


@dataclass(frozen=True)
class Step(Generic[DraftT]):
    key: str
    label: Label
    template: str
    form: type[StepForm] | None = None
    ready: Callable[[DraftT], bool] = _always
    clears: tuple[str, ...] = ()
    summary: Callable[[DraftT], list[tuple[Label, str]]] = _no_rows
    heading: Label = ""


@dataclass(frozen=True)
class Flow(Generic[DraftT]):
    """The steps in order. The last step is the review page, whose Submit ends the flow."""

    name: str
    steps: Sequence[Step[DraftT]]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = [step.key for step in self.steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"flow {self.name}: step keys must be unique")
        object.__setattr__(self, "_index", {key: index for index, key in enumerate(keys)})

    def __getitem__(self, key: str) -> Step[DraftT]:
        return self.steps[self._index[key]]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def index(self, step: Step[DraftT]) -> int:
        return self._index[step.key]

    @property
    def labels(self) -> list[Label]:
        return [step.label for step in self.steps]

    @property
    def first(self) -> Step[DraftT]:
        return self.steps[0]

    @property
    def last(self) -> Step[DraftT]:
        return self.steps[-1]

    def previous(self, step: Step[DraftT]) -> Step[DraftT] | None:
        index = self.index(step)
        return self.steps[index - 1] if index > 0 else None

    def next(self, step: Step[DraftT]) -> Step[DraftT] | None:
        index = self.index(step)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def allows(self, draft: DraftT, step: Step[DraftT]) -> bool:
        """A step may be shown once it and every step before it are ready: no skipping ahead."""
        return all(earlier.ready(draft) for earlier in self.steps[: self.index(step) + 1])

    def furthest(self, draft: DraftT) -> Step[DraftT]:
        """The latest step the draft may be on: where a person resumes."""
        reached = self.first
        for step in self.steps[1:]:
            if not step.ready(draft):
                break
            reached = step
        return reached

    def review_rows(self, draft: DraftT) -> list[tuple[Label, str]]:
        return [row for step in self.steps for row in step.summary(draft)]


def apply_answers(draft: DraftT, step: Step[DraftT], answers: dict[str, Any]) -> list[str]:
    """Put ``answers`` on the draft (without saving) and, if any changed, empty the fields
    that depend on them. Returns the names of the fields that changed, to save."""
    changed = [name for name, value in answers.items() if getattr(draft, name) != value]
    for name in changed:
        setattr(draft, name, answers[name])
    if changed:
        for name in step.clears:
            model_field = draft._meta.get_field(name)
            assert isinstance(model_field, models.Field)  # noqa: S101 (``clears`` names concrete fields)
            empty = model_field.get_default()
            attname = model_field.attname  # a foreign key's id column
            if getattr(draft, attname) != empty:
                setattr(draft, attname, empty)
                changed.append(name)
    return changed
