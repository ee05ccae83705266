"""The year picker and the transcript request (by tax year for a person, by tax period for a
business or estate): validation only (whether the taxpayer's records can fill a transcript is
the transcript's own check)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from taxgov.federal.records.transcripts import (
    ENTITY_KINDS,
    CustomerFileNumberError,
    TranscriptKind,
    available_years,
    check_customer_file_number,
    module_name,
)
from taxgov.ledger.models import TaxPeriod


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tax year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 (declared above)
        field.choices = [(year, str(year)) for year in years]


class TaxPeriodField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: TaxPeriod) -> str:
        return module_name(obj)


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

    def __init__(self, *args: Any, as_of: dt.date, periods: QuerySet[TaxPeriod] | None = None, **kwargs: Any) -> None:
        """``periods``: a business's or estate's tax periods, asked for in place of a tax year."""
        super().__init__(*args, **kwargs)
        self.as_of = as_of
        years = sorted({year for kind in TranscriptKind for year in available_years(kind, as_of)}, reverse=True)
        kind, tax_year = self.fields["kind"], self.fields["tax_year"]
        assert isinstance(kind, forms.TypedChoiceField)  # noqa: S101 (declared above)
        assert isinstance(tax_year, forms.TypedChoiceField)  # noqa: S101
        kind.choices = [(each.value, each.label) for each in (TranscriptKind if periods is None else ENTITY_KINDS)]
        tax_year.choices = [(year, str(year)) for year in years]
        if periods is not None:
            del self.fields["tax_year"]
            self.fields["period"] = TaxPeriodField(periods, label=_("Tax period"), empty_label=None)
            self.order_fields(["kind", "period"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (period := cleaned.get("period")) is not None:
            cleaned["tax_year"] = period.end.year
        return cleaned

    def clean_customer_file_number(self) -> str:
        try:
            return check_customer_file_number(self.cleaned_data["customer_file_number"], self.as_of)
        except CustomerFileNumberError as error:
            raise ValidationError(str(error)) from None
