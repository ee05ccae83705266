"""Sign in and second steps: validation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taxgov.common.mfa.models import FactorKind
from taxgov.common.phones import to_e164

COUNTRIES = [("US", _("United States")), ("PR", _("Puerto Rico")), ("CA", _("Canada")), ("MX", _("Mexico"))]


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=128)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password", "data-password": "true"})


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Security code"), max_length=12)
    remember = forms.BooleanField(label=_("Remember this browser"), required=False)

    def __init__(self, *args: Any, offer_remember: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})
        if offer_remember:
            self.fields["remember"].help_text = _(
                "For 30 days we won't ask for a code on this browser, except when an agency needs your verified "
                "identity. Don't use this on a shared computer."
            )
        else:
            del self.fields["remember"]

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise ValidationError(_("The security code is 6 digits."))
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(label=_("Recovery code"), max_length=20, help_text=_("For example: 7KXM-2P9Q-WT4D"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class PhoneForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, initial="US")
    number = forms.CharField(label=_("Phone number"), max_length=25, help_text=_("For example: (617) 555-0123"))
    delivery = forms.ChoiceField(
        label=_("How should we send codes?"),
        choices=[(FactorKind.SMS, _("Text message")), (FactorKind.VOICE, _("Phone call"))],
        widget=forms.RadioSelect,
        initial=FactorKind.SMS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.input_type = "tel"
        self.fields["number"].widget.attrs["autocomplete"] = "tel-national"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("number") and cleaned.get("country"):
            number = to_e164(cleaned["number"], cleaned["country"])
            if number is None:
                self.add_error("number", _("Enter a phone number that can be dialed in the country chosen."))
            else:
                cleaned["e164"] = number
        return cleaned


class ReauthenticateForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=128)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
