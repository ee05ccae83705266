"""Log in, two-step verification, and recovering a username or password: validation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taxgov.state.accounts.forms import PhoneFields, check_new_password
from taxgov.state.accounts.models import User


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=60)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=128)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class SecurityCodeForm(forms.Form):
    code = forms.CharField(label=_("Security Code"), max_length=12)
    trust_device = forms.BooleanField(label=_("Trust this device"), required=False)

    def __init__(self, *args: Any, offer_trust: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )
        if offer_trust:
            self.fields["trust_device"].help_text = _(
                "You won't be asked for a code on this device for 30 days. Don't use this on a shared computer."
            )
        else:
            del self.fields["trust_device"]

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isascii() or not code.isdigit() or len(code) != 6:
            raise ValidationError(_("The security code is 6 digits."))
        return code


class AddEmailForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class AddPhoneForm(PhoneFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone_entry"].help_text = _("A mobile number that can receive text messages.")


class ForgotUsernameForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class ForgotPasswordForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=60)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class ResetPasswordForm(forms.Form):
    secret_answer = forms.CharField(label=_("Answer"), max_length=100)
    password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    password_confirmation = forms.CharField(label=_("Confirm new password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["secret_answer"].label = user.get_secret_question_display()
        self.fields["secret_answer"].widget.attrs["autocomplete"] = "off"
        for name in ("password", "password_confirmation"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"
        self.fields["password"].help_text = " ".join(password_validation.password_validators_help_texts())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_new_password(self, self.user)
        return cleaned
