"""Registering and revalidating as a Designated Official, and naming someone who may act for the
entity: validation only (whether the answers match the records is the action's)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taxgov.common.identifiers import normalize_tin
from taxgov.federal.business.models import RoleKind, Title
from taxgov.federal.business.queries import Answers

RETURN_FORMS = (
    ("1120", _("Form 1120, U.S. Corporation Income Tax Return")),
    ("1120-S", _("Form 1120-S, U.S. Income Tax Return for an S Corporation")),
    ("1065", _("Form 1065, U.S. Return of Partnership Income")),
    ("1041", _("Form 1041, U.S. Income Tax Return for Estates and Trusts")),
)


class AnswersForm(forms.Form):
    """What a Designated Official knows about the entity, their title, and their signature."""

    return_form = forms.ChoiceField(
        label=_("Which income tax return did the business or estate file most recently?"),
        choices=RETURN_FORMS,
        widget=forms.RadioSelect,
    )
    postal_code = forms.RegexField(
        label=_("ZIP code of its address on file with us"),
        regex=r"^[0-9]{5}(-?[0-9]{4})?$",
        max_length=10,
        help_text=_("The address on your latest return or notice. For example: 02155"),
        error_messages={"invalid": _("Enter a 5-digit ZIP code, or a ZIP+4 code.")},
    )
    title = forms.ChoiceField(label=_("Your title"), choices=[("", _("- Select -")), *Title.choices])
    attestation = forms.BooleanField(
        label=_(
            "I am an officer, a managing member, the sole proprietor or the executor of this business or "
            "estate, and I can legally bind it. Checking this box is my signature."
        )
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postal_code"].widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(return_form=data["return_form"], postal_code=data["postal_code"][:5], title=data["title"])


class RegisterForm(AnswersForm):
    field_order = ("ein",)

    ein = forms.CharField(
        label=_("Employer identification number (EIN)"),
        max_length=10,
        help_text=_("On the letter that assigned it (CP 575) or on a return. For example: 12-3456789"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ein"].widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})

    def clean_ein(self) -> str:
        normalized = normalize_tin(self.cleaned_data["ein"])
        if normalized is None:
            raise ValidationError(_("Enter the 9 digits of the EIN."), code="invalid")
        return normalized


class GrantForm(forms.Form):
    role = forms.ChoiceField(
        label=_("What may this person do?"),
        choices=[
            (RoleKind.DESIGNATED_USER, _("Designated User: see the account, but not make payments or changes")),
            (RoleKind.DESIGNATED_OFFICIAL, _("Designated Official: everything, including who may act for it")),
        ],
        widget=forms.RadioSelect,
    )
    ssn = forms.CharField(
        label=_("Their Social Security number"), max_length=11, help_text=_("For example: 123-45-6789")
    )
    last_name = forms.CharField(label=_("Their last name"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ssn"].widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})

    def clean_ssn(self) -> str:
        normalized = normalize_tin(self.cleaned_data["ssn"])
        if normalized is None:
            raise ValidationError(_("Enter the 9 digits of the Social Security number."), code="invalid")
        return normalized
