"""Apply for or change a payment plan: validation only (eligibility is the action's)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taxgov.common.banking import BankAccountForm
from taxgov.federal.plans.queries import Terms

BANK_FIELDS = ("bank_account_kind", "routing_number", "account_number", "account_number_confirmation")


def _key_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)


def _amount_field(minimum: Decimal) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Monthly payment"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("In dollars and cents; at least $%(minimum)s") % {"minimum": f"{minimum:,.0f}"},
    )


def _day_field(terms: Terms) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Payment due day of each month"),
        coerce=int,
        choices=[("", _("- Select -"))]
        + [(str(day), str(day)) for day in range(terms.due_day_first, terms.due_day_last + 1)],
        help_text=_("From the %(first)d through the %(last)d")
        % {"first": terms.due_day_first, "last": terms.due_day_last},
    )


class ShortTermForm(forms.Form):
    idempotency_key = _key_field()


class MonthlyTermsForm(forms.Form):
    """The monthly amount (at least ``minimum``) and the due day the ``terms`` allow."""

    field_order: tuple[str, ...] = ("monthly_amount", "due_day")

    idempotency_key = _key_field()

    def __init__(self, *args: Any, minimum: Decimal, terms: Terms, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.minimum = minimum
        self.fields["monthly_amount"] = _amount_field(minimum)
        self.fields["due_day"] = _day_field(terms)
        self.order_fields(self.field_order)

    def clean_monthly_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["monthly_amount"]
        if amount < self.minimum:
            raise ValidationError(_("Pay at least $%(minimum)s a month.") % {"minimum": f"{self.minimum:,.0f}"})
        return amount


class ReviseForm(MonthlyTermsForm):
    """A long-term plan's new monthly amount and due day."""


class LongTermForm(BankAccountForm, MonthlyTermsForm):
    """The monthly amount and day, and the bank account when paying by direct debit."""

    field_order = ("direct_debit", "monthly_amount", "due_day", *BANK_FIELDS)

    direct_debit = forms.TypedChoiceField(
        label=_("How will you pay each month?"),
        coerce=lambda value: value == "yes",
        choices=[
            ("yes", _("Direct debit: we take each payment from your bank account on its due day")),
            ("no", _("I will make each payment myself, online or by mail")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, minimum: Decimal, terms: Terms, **kwargs: Any) -> None:
        super().__init__(*args, minimum=minimum, terms=terms, **kwargs)
        for name in BANK_FIELDS:
            self.fields[name].required = False
            self.fields[name].help_text = _("Only if you pay by direct debit")
        self.fields["routing_number"].help_text = _("Only if you pay by direct debit: 9 digits")

    def clean_routing_number(self) -> str:
        if not self.cleaned_data.get("routing_number", "").strip():
            return ""
        return super().clean_routing_number()

    def clean_account_number(self) -> str:
        if not self.cleaned_data.get("account_number", "").strip():
            return ""
        return super().clean_account_number()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("direct_debit"):
            for name in BANK_FIELDS:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for direct debit."))
        else:
            for name in BANK_FIELDS:
                cleaned[name] = ""
        return cleaned
