"""Make a payment: validation only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taxgov.common.banking import BankAccountForm
from taxgov.ledger.agencies import account_name
from taxgov.ledger.models import TaxPeriod
from taxgov.state.payments.actions import MAX_DAYS_AHEAD


class PaymentForm(BankAccountForm):
    field_order = ("period", "amount", "pay_on")

    period = forms.TypedChoiceField(label=_("What are you paying?"), coerce=int)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    pay_on = forms.DateField(
        label=_("Payment date"),
        widget=forms.DateInput(format="%m/%d/%Y"),
        help_text=_("Today or a later day, within 12 months. For example: 12/15/2026"),
    )
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

    def clean_pay_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["pay_on"]
        today = timezone.localdate()
        if not today <= day <= today + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise ValidationError(_("Choose today or a day within the next 12 months."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "period" in cleaned:
            cleaned["period"] = self.periods[cleaned["period"]]
        return cleaned
