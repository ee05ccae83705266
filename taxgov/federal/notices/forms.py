"""Notice preferences: validation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    paperless = forms.BooleanField(
        label=_("Stop paper copies of the notices I can read online"),
        help_text=_("We still mail the notices the law says we must send on paper, such as notices of intent to levy."),
        required=False,
    )
    email = forms.BooleanField(
        label=_("Email me when a new notice is ready"),
        help_text=_("The email only says that a notice is ready. Sign in to read it."),
        required=False,
    )

    def __init__(self, *args: Any, email_address: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email_address = email_address

    def clean_email(self) -> bool:
        wanted: bool = self.cleaned_data["email"]
        if wanted and not self.email_address:
            raise ValidationError(
                _(
                    "Your sign-in account has no email address. Add one where you sign in, "
                    "sign in again, then choose this."
                )
            )
        return wanted
