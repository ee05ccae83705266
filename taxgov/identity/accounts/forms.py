from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class EmailOnlyForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand my account and the ways I sign in with it will be deleted, and cannot be brought back."),
        error_messages={"required": _("Check the box to delete your account.")},
    )
