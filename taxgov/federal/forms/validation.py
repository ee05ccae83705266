"""The Django forms the engine draws a declared form with: one per page, built from the
declaration, and the signature on the review page. Validation only: nothing is written here.

(Named ``validation`` so that, inside this app, ``forms`` is always Django's.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import StepForm
from taxgov.federal.forms import engine, fields, queries
from taxgov.federal.forms.declarations import OnlineForm, Part, RuleContext
from taxgov.federal.forms.models import Draft
from taxgov.ledger.models import Taxpayer

BLANK = "leave-blank"  # the button that empties an optional page


class PartForm(StepForm):
    """One page of a declared form. An optional page (a second child) may be left wholly
    blank; once anything is on it, it is checked like the first."""

    online_form: ClassVar[OnlineForm]
    part: ClassVar[Part]

    def __init__(self, *args: Any, draft: Draft, taxpayer: Taxpayer, today: dt.date, **kwargs: Any) -> None:
        self.taxpayer, self.today = taxpayer, today
        self.answers_so_far = engine.load(self.online_form, draft.answers)
        self.stored = self.answers_so_far.get(self.part.key) or {}
        super().__init__(*args, draft=draft, **kwargs)
        for name, made in self.fields.items():
            if isinstance(made, fields.SsnField):
                made.stored = self.stored.get(name) or ""
        self.item: dict[str, Any] | None = None

    def initial_from(self, draft: Any) -> dict[str, Any]:
        return {each.name: fields.to_initial(each, self.stored.get(each.name)) for each in self.part.section.fields}

    def full_clean(self) -> None:
        """The button that leaves an optional page blank empties it, whatever its fields hold
        (a radio button, once chosen, cannot be unchosen in a browser)."""
        if self.is_bound and self.part.optional and BLANK in self.data:
            self.cleaned_data, self._errors = {}, ErrorDict()
            return
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        declared = self.part.section.fields
        item = {each.name: cleaned.get(each.name) for each in declared}
        if self.part.optional and not self.errors and all(fields.is_blank(each, item[each.name]) for each in declared):
            return cleaned  # left blank: this page is not part of the form
        if self.part.optional:
            for each in declared:
                if each.required and each.name not in self.errors and fields.is_blank(each, item[each.name]):
                    self.add_error(each.name, self.fields[each.name].error_messages["required"])
        if self.errors:
            return cleaned
        for failure in engine.broken_rules(self.online_form, self.part, item, RuleContext(self.today)):
            self.add_error(failure.field, failure.message)
        if not self.errors:
            self._check_unique(item)
        if not self.errors:
            self.item = item
        return cleaned

    def _check_unique(self, item: dict[str, Any]) -> None:
        """Not the same as on another page of this form, nor as on one of the taxpayer's own
        live submissions; someone else's is found when the submission is processed."""
        answers = {**self.answers_so_far, self.part.key: item}
        every = engine.uniques(self.online_form, answers)
        for unique in (each for each in every if each.part == self.part):
            same = (unique.name, unique.fingerprint)
            twin = next(
                (other for other in every if other.part != self.part and (other.name, other.fingerprint) == same), None
            )
            if twin is not None:
                self.add_error(
                    unique.field.name,
                    _("You gave the same answer on the page %(page)s of this form.") % {"page": twin.part.label},
                )
                continue
            held = queries.own_holder(self.taxpayer, self.online_form, unique)
            if held is not None:
                self.add_error(
                    unique.field.name,
                    _("%(message)s Its confirmation number is %(number)s.")
                    % {"message": unique.field.unique, "number": held.confirmation_number},
                )

    def answers(self) -> dict[str, Any]:
        return {"item": self.item}


def part_form(online_form: OnlineForm, part: Part) -> type[PartForm]:
    """The form class of one page: the declared fields, required only on a required page."""
    declared: dict[str, Any] = {
        each.name: fields.form_field(each, required=each.required and not part.optional) for each in part.section.fields
    }
    declared.update({"online_form": online_form, "part": part})
    return type(f"PartForm_{online_form.code}_{part.key}", (PartForm,), declared)


class SignatureForm(StepForm):
    """The electronic signature on the review page: the signer checks the form's declaration."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    sign = forms.BooleanField(
        help_text=_("Checking this box signs the form electronically. We keep the date and time you sign."),
        error_messages={"required": _("Check the box to sign the form.")},
    )

    def __init__(self, *args: Any, draft: Draft, statement: Any, **kwargs: Any) -> None:
        super().__init__(*args, draft=draft, **kwargs)
        self.fields["sign"].label = statement

    def initial_from(self, draft: Any) -> dict[str, Any]:
        return {"idempotency_key": draft.public_id.hex}
