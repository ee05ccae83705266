"""The field kinds a declaration may use: the Django form field each is drawn with, how its
answer is stored (JSON inside the encrypted answers) and how it is shown back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from stdnum.us import ssn

from taxgov.common.identifiers import masked_tin
from taxgov.federal.forms.declarations import Field, Kind

YES_NO = (("yes", _("Yes")), ("no", _("No")))


class SsnField(forms.CharField):
    """An SSN (not an ITIN or ATIN), kept as 9 digits. The page shows a stored number masked;
    sending the mask back unchanged keeps the stored number."""

    stored = ""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        if self.stored and text == masked_tin(self.stored):
            return self.stored
        return text

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and not ssn.is_valid(value):
            raise ValidationError(
                _("Enter a 9-digit Social Security number, for example 123-45-6789. An ITIN or ATIN cannot be used."),
                code="invalid",
            )

    def clean(self, value: Any) -> str:
        cleaned: str = super().clean(value)
        return ssn.compact(cleaned) if cleaned else ""


def form_field(declared: Field, *, required: bool) -> forms.Field:
    common: dict[str, Any] = {"label": declared.label, "help_text": declared.help_text, "required": required}
    if declared.kind == Kind.SSN:
        made: forms.Field = SsnField(max_length=11, **common)
        made.widget.attrs.update({"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"})
    elif declared.kind == Kind.DATE:
        made = forms.DateField(
            input_formats=["%m/%d/%Y", "%Y-%m-%d"], widget=forms.DateInput(format="%m/%d/%Y"), **common
        )
    elif declared.kind == Kind.CHOICE:
        made = forms.ChoiceField(choices=declared.choices, widget=forms.RadioSelect, **common)
    elif declared.kind == Kind.YES_NO:
        made = forms.TypedChoiceField(
            choices=YES_NO, coerce=lambda answer: answer == "yes", empty_value=None, widget=forms.RadioSelect, **common
        )
    elif declared.kind == Kind.CHECKBOX:
        made = forms.BooleanField(**common)
    else:
        made = forms.CharField(max_length=declared.max_length, **common)
    return made


def is_blank(declared: Field, value: Any) -> bool:
    """Not answered: an empty box, no choice, an unchecked checkbox ("No" is an answer)."""
    return value is None or value == "" or (declared.kind == Kind.CHECKBOX and value is False)


def to_json(declared: Field, value: Any) -> Any:
    return value.isoformat() if declared.kind == Kind.DATE and value else value


def from_json(declared: Field, raw: Any) -> Any:
    return dt.date.fromisoformat(raw) if declared.kind == Kind.DATE and raw else raw


def to_initial(declared: Field, value: Any) -> Any:
    """The value a page starts with: an SSN masked, a yes/no as its choice."""
    if value is None or value == "":
        return None
    if declared.kind == Kind.SSN:
        return masked_tin(value)
    if declared.kind == Kind.YES_NO:
        return "yes" if value else "no"
    return value


def display(declared: Field, value: Any) -> str:
    """The answer as the review and the submission's page show it."""
    if declared.kind == Kind.SSN:
        return masked_tin(value) if value else ""
    if declared.kind == Kind.DATE:
        return formats.date_format(value, "DATE_FORMAT") if value else ""
    if declared.kind == Kind.CHOICE:
        return str(dict(declared.choices).get(value, ""))
    if declared.kind in (Kind.YES_NO, Kind.CHECKBOX):
        return "" if value is None else str(dict(YES_NO)["yes" if value else "no"])
    return str(value or "")
