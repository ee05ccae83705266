"""Sign-up: validation only."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    agree = forms.BooleanField(
        label=_("I agree to the Rules of Use and understand how my information is used."),
        error_messages={"required": _("Agree to the Rules of Use to create an account.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})


class ConfirmCodeForm(forms.Form):
    code = forms.CharField(label=_("Confirmation code"), max_length=12, help_text=_("6 digits, from the email."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise ValidationError(_("The confirmation code is 6 digits."))
        return code


def normalized_password(password: str) -> str:
    """NIST SP 800-63B: Unicode passwords are compared after NFKC normalization."""
    return unicodedata.normalize("NFKC", password)


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=128)
    password_confirmation = forms.CharField(
        label=_("Confirm password"), strip=False, widget=forms.PasswordInput, max_length=128
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("password", "password_confirmation"):
            self.fields[name].widget.attrs.update({"autocomplete": "new-password", "data-password": "true"})
        self.fields["password"].widget.attrs["data-strength-meter"] = "true"
        self.fields["password"].help_text = " ".join(password_validation.password_validators_help_texts())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = normalized_password(cleaned.get("password") or "")
        confirmation = normalized_password(cleaned.get("password_confirmation") or "")
        if not password:
            return cleaned
        if password != confirmation:
            self.add_error("password_confirmation", _("The passwords do not match."))
            return cleaned
        try:
            password_validation.validate_password(password, user=self.user)
        except ValidationError as error:
            self.add_error("password", error)
        cleaned["password"] = password
        return cleaned
