"""The year picker and the transcript request: validation only (whether the taxpayer's records
can fill a transcript is the transcript's own check)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taxgov.federal.records.transcripts import (
    CustomerFileNumberError,
    TranscriptKind,
    available_years,
    check_customer_file_number,
)


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tax year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 (declared above)
        field.choices = [(year, str(year)) for year in years]


class TranscriptForm(forms.Form):
    kind = forms.TypedChoiceField(
        label=_("Transcript type"),
        coerce=TranscriptKind,
        widget=forms.RadioSelect,
    )
    tax_year = forms.TypedChoiceField(label=_("Tax year"), coerce=int)
    customer_file_number = forms.CharField(
        label=_("Customer file number (optional)"),
        required=False,
        max_length=10,
        help_text=_(
            "Up to 10 digits, if a lender or another organization gave you one to match the transcript to you. "
            "It is printed on the transcript. Never use a Social Security number."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, as_of: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.as_of = as_of
        years = sorted({year for kind in TranscriptKind for year in available_years(kind, as_of)}, reverse=True)
        kind, tax_year = self.fields["kind"], self.fields["tax_year"]
        assert isinstance(kind, forms.TypedChoiceField)  # noqa: S101 (declared above)
        assert isinstance(tax_year, forms.TypedChoiceField)  # noqa: S101
        kind.choices = [(each.value, each.label) for each in TranscriptKind]
        tax_year.choices = [(year, str(year)) for year in years]

    def clean_customer_file_number(self) -> str:
        try:
            return check_customer_file_number(self.cleaned_data["customer_file_number"], self.as_of)
        except CustomerFileNumberError as error:
            raise ValidationError(str(error)) from None
