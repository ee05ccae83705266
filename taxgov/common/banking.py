"""A bank account to debit: its type, the routing number (ABA checksum, python-stdnum) and the
account number typed twice. Both portals' payment forms use these fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.us import rtn


class BankAccountKind(models.TextChoices):
    CHECKING = "checking", _("Checking")
    SAVINGS = "savings", _("Savings")


@dataclass(frozen=True)
class BankAccount:
    kind: str
    routing_number: str
    account_number: str

    @property
    def last4(self) -> str:
        return self.account_number[-4:]

    @property
    def label(self) -> str:
        """The kind as the taxpayer reads it ("Checking"), translated."""
        return str(BankAccountKind(self.kind).label)


class BankAccountForm(forms.Form):
    bank_account_kind = forms.ChoiceField(
        label=_("Bank account type"), choices=BankAccountKind.choices, widget=forms.RadioSelect
    )
    routing_number = forms.CharField(label=_("Routing number"), max_length=9, min_length=9, help_text=_("9 digits"))
    account_number = forms.CharField(label=_("Account number"), max_length=17, min_length=4)
    account_number_confirmation = forms.CharField(label=_("Confirm account number"), max_length=17)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("account_number")
            and cleaned.get("account_number_confirmation", "").strip() != cleaned["account_number"]
        ):
            self.add_error("account_number_confirmation", _("The account numbers do not match."))
        return cleaned

    def bank_account(self) -> BankAccount:
        """The account the valid form describes."""
        data = self.cleaned_data
        return BankAccount(data["bank_account_kind"], data["routing_number"], data["account_number"])
