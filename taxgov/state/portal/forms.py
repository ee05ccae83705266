"""Manage My Profile: validation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taxgov.state.accounts.forms import PhoneFields, check_new_password
from taxgov.state.accounts.models import SecretQuestion, User


class ContactDetailsForm(PhoneFields):
    full_name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    field_order = ["full_name", "phone_country", "phone_entry", "email"]


class ChangePasswordForm(forms.Form):
    current_password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput)
    password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    password_confirmation = forms.CharField(label=_("Confirm new password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["current_password"].widget.attrs["autocomplete"] = "current-password"
        for name in ("password", "password_confirmation"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"
        self.fields["password"].help_text = " ".join(password_validation.password_validators_help_texts())

    def clean_current_password(self) -> str:
        current: str = self.cleaned_data["current_password"]
        if not self.user.check_password(current):
            raise ValidationError(_("Your current password is not right."))
        return current

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_new_password(self, self.user)
        return cleaned


class SecretQuestionForm(forms.Form):
    secret_question = forms.ChoiceField(label=_("Question"), choices=SecretQuestion.choices)
    secret_answer = forms.CharField(label=_("Answer"), max_length=100)
