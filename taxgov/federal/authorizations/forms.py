"""Professional profiles, requests and signatures: validation only (the actions check again)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taxgov.common.identifiers import normalize_tin
from taxgov.federal.authorizations import queries
from taxgov.federal.authorizations.models import (
    LICENSED_BY_A_STATE,
    PRACTISING,
    SHARED_RESPONSIBILITY_MATTERS,
    Authorization,
    AuthorizationKind,
    Designation,
    IncomeVerification,
    Professional,
    TaxMatter,
)
from taxgov.federal.authorizations.queries import STATES_AND_DC, ClientDetails
from taxgov.federal.records.transcripts import CustomerFileNumberError, check_customer_file_number

STATE_CHOICES = [("", _("- Select -")), *STATES_AND_DC]


class AddressForm(forms.Form):
    address_line1 = forms.CharField(label=_("Street address"), max_length=100)
    address_line2 = forms.CharField(label=_("Apartment, suite, unit (optional)"), max_length=100, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    state = forms.ChoiceField(label=_("State or District of Columbia"), choices=STATE_CHOICES)
    postal_code = forms.RegexField(
        label=_("ZIP code"),
        regex=r"^\d{5}(-\d{4})?$",
        max_length=10,
        error_messages={"invalid": _("Enter a 5-digit ZIP code.")},
    )


class TaxProfessionalForm(AddressForm):
    field_order = ("designation", "license_jurisdiction", "license_number", "organization")

    designation = forms.ChoiceField(
        label=_("Your designation"),
        choices=Designation.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Only attorneys, CPAs, enrolled agents, enrolled actuaries and enrolled retirement plan agents may be "
            "appointed under a power of attorney. Anyone may be named in a tax information authorization."
        ),
    )
    license_jurisdiction = forms.ChoiceField(
        label=_("Licensing state (attorneys and CPAs)"), choices=STATE_CHOICES, required=False
    )
    license_number = forms.CharField(
        label=_("Bar, license or enrollment number (not needed for “None of these”)"), max_length=30, required=False
    )
    organization = forms.CharField(label=_("Firm name (optional)"), max_length=200, required=False)
    accept_rules = forms.BooleanField(
        label=_(
            "I accept the rules for tax professionals: I will send requests only for clients who asked me to, "
            "keep their tax information confidential, and follow the regulations governing practice before the "
            "agency (Treasury Department Circular 230)."
        )
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        designation = cleaned.get("designation")
        if designation in PRACTISING and not cleaned.get("license_number", "").strip():
            self.add_error("license_number", _("Enter your bar, license or enrollment number."))
        if designation in LICENSED_BY_A_STATE and not cleaned.get("license_jurisdiction"):
            self.add_error("license_jurisdiction", _("Choose the state that licensed you."))
        if designation == Designation.UNENROLLED:
            cleaned["license_number"], cleaned["license_jurisdiction"] = "", ""
        return cleaned


class ParticipantForm(AddressForm):
    field_order = ("organization",)

    organization = forms.CharField(label=_("Company name"), max_length=200)
    accept_rules = forms.BooleanField(
        label=_(
            "I accept the rules for income verification participants: I will ask only for transcripts a taxpayer "
            "agreed to release, use them only for the purpose they were released for, and keep them confidential."
        )
    )


class ClientForm(AddressForm):
    """The client's name, TIN and address exactly as the agency has them."""

    field_order: tuple[str, ...] = ("first_name", "last_name", "tin")

    first_name = forms.CharField(label=_("Client's first name"), max_length=100)
    last_name = forms.CharField(label=_("Client's last name"), max_length=100)
    tin = forms.CharField(
        label=_("Client's Social Security number or ITIN"), max_length=11, help_text=_("For example: 123-45-6789")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tin"].widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})

    def clean_tin(self) -> str:
        normalized = normalize_tin(self.cleaned_data["tin"])
        if normalized is None:
            raise ValidationError(_("Enter the 9 digits of the Social Security number or ITIN."), code="invalid")
        return normalized

    def client(self) -> ClientDetails:
        data = self.cleaned_data
        return ClientDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            tin=data["tin"],
            address_line1=data["address_line1"],
            address_line2=data["address_line2"],
            city=data["city"],
            state=data["state"],
            postal_code=data["postal_code"],
        )


class AuthorizationRequestForm(ClientForm):
    field_order = ("kind", *ClientForm.field_order)

    kind = forms.ChoiceField(
        label=_("What are you asking for?"), choices=AuthorizationKind.choices, widget=forms.RadioSelect
    )
    matters = forms.MultipleChoiceField(
        label=_("Tax matters"), choices=TaxMatter.choices, widget=forms.CheckboxSelectMultiple
    )
    first_year = forms.TypedChoiceField(label=_("From tax year"), coerce=int)
    last_year = forms.TypedChoiceField(label=_("Through tax year"), coerce=int)

    def __init__(self, *args: Any, professional: Professional, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.professional, self.today = professional, today
        srp_from = queries.first_year_of(SHARED_RESPONSIBILITY_MATTERS[0], today)
        self.fields["matters"].help_text = _(
            "Calendar years only. The shared responsibility payment matters cover %(year)s or later."
        ) % {"year": srp_from}
        years = [(year, str(year)) for year in queries.request_years(today)]
        for name in ("first_year", "last_year"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 (declared above)
            field.choices = [("", _("- Select -")), *years]

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        if kind == AuthorizationKind.POWER_OF_ATTORNEY and not self.professional.may_represent:
            raise ValidationError(
                _(
                    "Only attorneys, CPAs, enrolled agents, enrolled actuaries and enrolled retirement plan agents "
                    "can ask for a power of attorney. You can ask for a tax information authorization."
                )
            )
        return kind

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None and first > last:
            self.add_error("last_year", _("The last tax year cannot come before the first."))
        matters = cleaned.get("matters") or []
        if first is not None and any(first < queries.first_year_of(m, self.today) for m in matters):
            earliest = queries.first_year_of(SHARED_RESPONSIBILITY_MATTERS[0], self.today)
            self.add_error(
                "matters",
                _("The shared responsibility payment can be authorized for %(year)s or later.") % {"year": earliest},
            )
        return cleaned


class VerificationRequestForm(ClientForm):
    tax_years = forms.TypedMultipleChoiceField(
        label=_("Return transcripts for tax years"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    customer_file_number = forms.CharField(
        label=_("Customer file number (optional)"),
        max_length=10,
        required=False,
        help_text=_("Up to 10 digits, such as your loan number; it is printed on the transcript. Never a TIN."),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["tax_years"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101 (declared above)
        field.choices = [(year, str(year)) for year in reversed(queries.verification_years(today))]

    def clean_customer_file_number(self) -> str:
        try:
            return check_customer_file_number(self.cleaned_data["customer_file_number"], self.today)
        except CustomerFileNumberError as error:
            raise ValidationError(str(error)) from error


DECLARATIONS = {
    AuthorizationKind.POWER_OF_ATTORNEY: _(
        "I sign this power of attorney electronically. Under penalties of perjury, I declare that I am the "
        "taxpayer named in it and that I appoint %(professional)s (CAF number %(number)s) to represent me before "
        "the agency and to receive my confidential tax information for the tax matters and years listed above."
    ),
    AuthorizationKind.TAX_INFORMATION: _(
        "I sign this tax information authorization electronically. Under penalties of perjury, I declare that I "
        "am the taxpayer named in it and that I allow %(professional)s (CAF number %(number)s) to inspect and "
        "receive my confidential tax information for the tax matters and years listed above. This does not let "
        "them represent me."
    ),
}


def declaration(authorization: Authorization) -> str:
    """The statement the taxpayer signs, naming the professional; stored with the signature."""
    professional = authorization.professional
    return str(DECLARATIONS[AuthorizationKind(authorization.kind)]) % {
        "professional": professional.name,
        "number": professional.number,
    }


def verification_declaration(verification: IncomeVerification, today: dt.date) -> str:
    participant = verification.participant
    statement = _(
        "I sign this request electronically. Under penalties of perjury, I declare that I am the taxpayer named "
        "in it and that I allow the agency to release my tax return transcripts for %(years)s to %(participant)s "
        "(participant number %(number)s) for %(days)s days."
    )
    return str(statement) % {
        "years": queries.spans(verification.tax_years),
        "participant": participant.organization,
        "number": participant.number,
        "days": queries.release_days(today),
    }


class SignatureForm(forms.Form):
    """The taxpayer's electronic signature: a checkbox whose label is the declaration."""

    sign = forms.BooleanField(error_messages={"required": _("Check the box to sign, or reject the request.")})
    keep_earlier = forms.BooleanField(
        label=_("Keep my earlier authorizations of this kind for the same tax matters and years"),
        required=False,
        help_text=_("Otherwise they end for those matters and years when you sign this one."),
    )

    def __init__(self, *args: Any, declaration: str, with_keep: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sign"].label = declaration
        if not with_keep:
            del self.fields["keep_earlier"]
