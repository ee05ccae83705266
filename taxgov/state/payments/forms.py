"""Make a payment: validation only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.us import rtn

from taxgov.ledger.agencies import account_name
from taxgov.ledger.models import TaxPeriod
from taxgov.state.payments.actions import MAX_DAYS_AHEAD
from taxgov.state.payments.models import BankAccountKind


class PaymentForm(forms.Form):
    period = forms.TypedChoiceField(label=_("What are you paying?"), coerce=int)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    pay_on = forms.DateField(
        label=_("Payment date"),
        widget=forms.DateInput(format="%m/%d/%Y"),
        help_text=_("Today or a later day, within 12 months. For example: 12/15/2026"),
    )
    bank_account_kind = forms.ChoiceField(
        label=_("Bank account type"), choices=BankAccountKind.choices, widget=forms.RadioSelect
    )
    routing_number = forms.CharField(label=_("Routing number"), max_length=9, min_length=9, help_text=_("9 digits"))
    account_number = forms.CharField(label=_("Account number"), max_length=17, min_length=4)
    account_number_confirmation = forms.CharField(label=_("Confirm account number"), max_length=17)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, periods: list[tuple[TaxPeriod, Decimal]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = {period.pk: period for period, _owed in periods}
        field = self.fields["period"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = [
            (period.pk, _("%(account)s %(label)s (balance $%(owed)s)")
             % {"account": account_name(period.account.account_type), "label": period.label, "owed": f"{owed:,.2f}"})
            for period, owed in periods
        ]  # fmt: skip
        for name in ("routing_number", "account_number", "account_number_confirmation"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_routing_number(self) -> str:
        value: str = self.cleaned_data["routing_number"].strip()
        if not rtn.is_valid(value):
            raise ValidationError(_("Enter the 9-digit routing number printed at the bottom left of a check."))
        return value

    def clean_account_number(self) -> str:
        value: str = self.cleaned_data["account_number"].strip()
        if not value.isdigit():
            raise ValidationError(_("The account number is digits only."))
        return value

    def clean_pay_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["pay_on"]
        today = timezone.localdate()
        if not today <= day <= today + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise ValidationError(_("Choose today or a day within the next 12 months."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("account_number")
            and cleaned.get("account_number_confirmation", "").strip() != cleaned["account_number"]
        ):
            self.add_error("account_number_confirmation", _("The account numbers do not match."))
        if "period" in cleaned:
            cleaned["period"] = self.periods[cleaned["period"]]
        return cleaned
