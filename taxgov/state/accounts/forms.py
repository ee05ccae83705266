"""Form parts several state pages share: a phone number, and a new password with its
confirmation checked against the agency's rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taxgov.common.phones import to_e164

PHONE_COUNTRIES = [
    ("US", _("USA")),
    ("CA", _("Canada")),
    ("MX", _("Mexico")),
    ("PR", _("Puerto Rico")),
    ("GB", _("United Kingdom")),
    ("IE", _("Ireland")),
    ("DO", _("Dominican Republic")),
    ("BR", _("Brazil")),
    ("PT", _("Portugal")),
    ("IN", _("India")),
    ("CN", _("China")),
]


class PhoneFields(forms.Form):
    """Phone country and number; a valid pair gives ``cleaned_data["phone_number"]`` in E.164."""

    phone_country = forms.ChoiceField(label=_("Phone country"), choices=PHONE_COUNTRIES, initial="US")
    phone_entry = forms.CharField(label=_("Phone number"), max_length=25, help_text=_("For example: (617) 555-0123"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone_entry"].widget.input_type = "tel"
        self.fields["phone_entry"].widget.attrs["autocomplete"] = "tel-national"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        entry, country = cleaned.get("phone_entry"), cleaned.get("phone_country")
        if entry and country:
            number = to_e164(entry, country)
            if number is None:
                self.add_error("phone_entry", _("Enter a phone number that can be dialed in the country chosen."))
            else:
                cleaned["phone_number"] = number
        return cleaned


def check_new_password(form: forms.Form, user: Any, *, field: str = "password") -> None:
    """The new password and its confirmation match and meet ``AUTH_PASSWORD_VALIDATORS``
    (judged against ``user``'s name and e-mail); errors go on the form's fields."""
    password = form.cleaned_data.get(field)
    confirmation = form.cleaned_data.get(f"{field}_confirmation")
    if not password or confirmation is None:
        return  # a field is missing; its own error says so
    if password != confirmation:
        form.add_error(f"{field}_confirmation", _("The passwords do not match."))
        return
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        form.add_error(field, error)
