"""Make a payment: validation only (the limits that depend on other payments are the action's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taxgov.common.banking import BankAccountForm
from taxgov.federal.payments.queries import Purpose, limits


class PaymentForm(BankAccountForm):
    field_order = ("purpose", "amount", "pay_on")

    purpose = forms.ChoiceField(label=_("Apply the payment to"), widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label=_("Payment amount"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("In dollars and cents"),
    )
    pay_on = forms.DateField(
        label=_("Payment date"),
        widget=forms.DateInput(format="%m/%d/%Y"),
        help_text=_("Today, or a later day within 365 days. For example: 12/15/2026"),
    )
    email_confirmation = forms.BooleanField(label=_("Email me the confirmation"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)

    def __init__(self, *args: Any, purposes: list[Purpose], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purposes = {purpose.value: purpose for purpose in purposes}
        field = self.fields["purpose"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (declared above)
        field.choices = [(purpose.value, purpose.label) for purpose in purposes]

    def clean_pay_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["pay_on"]
        today = timezone.localdate()
        ahead = limits(today).max_days_ahead
        if not today <= day <= today + dt.timedelta(days=ahead):
            raise ValidationError(_("Choose today or a day within the next %(days)d days.") % {"days": ahead})
        return day

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        below = limits(timezone.localdate()).amount_below
        if amount >= below:
            raise ValidationError(_("Each payment must be less than $%(limit)s.") % {"limit": f"{below:,.0f}"})
        return amount

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "purpose" in cleaned:
            cleaned["purpose"] = self.purposes[cleaned["purpose"]]
        return cleaned
