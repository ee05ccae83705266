from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from taxgov.common.identifiers import normalize_tin
from taxgov.ledger.agencies import account_name
from taxgov.ledger.models import TaxAccount


class ClientRequestForm(forms.Form):
    tin = forms.CharField(label=_("Client's SSN, ITIN or FEIN"), max_length=11)
    name = forms.CharField(
        label=_("Client's last name or business name"),
        max_length=200,
        help_text=_("As on the client's returns."),
    )

    def clean_tin(self) -> str:
        digits = normalize_tin(self.cleaned_data["tin"])
        if digits is None:
            raise forms.ValidationError(_("Enter the 9-digit ID, such as 123-45-6789."))
        return digits


class ScopeForm(forms.Form):
    account = forms.TypedChoiceField(label=_("Accounts"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, accounts: list[TaxAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accounts = {account.pk: account for account in accounts}
        field = self.fields["account"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = [("", _("All accounts")), *((a.pk, account_name(a.account_type)) for a in accounts)]

    def chosen(self) -> TaxAccount | None:
        pk = self.cleaned_data.get("account")
        return self.accounts.get(pk) if pk is not None else None
