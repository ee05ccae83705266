"""The registration steps' forms: validation only. Each says in ``answers()`` what the
draft should hold; the view saves it through ``actions.do_save_answers``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import StepForm
from taxgov.common.identifiers import normalize_tin
from taxgov.common.phones import for_display
from taxgov.common.usps import US_STATES
from taxgov.ledger.agencies import account_name, account_types
from taxgov.ledger.engine import add_months
from taxgov.ledger.models import AccountType
from taxgov.state.accounts.forms import PhoneFields, check_new_password
from taxgov.state.accounts.models import PhoneType, SecretQuestion, User
from taxgov.state.accounts.normalize import normalize_secret_answer
from taxgov.state.registration import queries
from taxgov.state.registration.models import (
    AmountKind,
    Evidence,
    IdType,
    OrganizationType,
    RegistrationKind,
    RegistrationRequest,
    TaxpayerType,
)

INDIVIDUAL_ACCOUNT_TYPES = (AccountType.INDIVIDUAL_INCOME,)
NEW_INDIVIDUAL_ACCOUNT_TYPES = (AccountType.SALES, AccountType.INDIVIDUAL_INCOME)
ESTATE_ACCOUNT_TYPES = (AccountType.FIDUCIARY,)
NO_MATCH = _(
    "The information you entered does not match our records. Check the ID, the account type and the amount or "
    "Letter ID, and try again."
)


def offered(types: tuple[AccountType, ...] | None = None) -> list[tuple[str, str]]:
    """The state's account types (or those of ``types`` it offers), as form choices."""
    kept = account_types("state")
    return [(str(t.value), account_name(t)) for t in kept if types is None or t in types]


def organization_account_types() -> list[tuple[str, str]]:
    return [choice for choice in offered() if choice[0] != AccountType.INDIVIDUAL_INCOME]


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 (a programming error, not input)
    return field


def _masked(draft: RegistrationRequest) -> str:
    return draft.masked_tin


class TinFieldsMixin(forms.Form):
    """ID and Confirm ID: they must match. Once entered they are shown masked, and leaving
    them blank keeps the ID already given."""

    tin_entry = forms.CharField(label=_("ID"), max_length=11, required=False)
    tin_confirmation = forms.CharField(label=_("Confirm ID"), max_length=11, required=False)
    draft: RegistrationRequest

    def setup_tin_fields(self) -> None:
        for name in ("tin_entry", "tin_confirmation"):
            widget = self.fields[name].widget
            widget.input_type = "password"  # masked as typed, like the portal's own
            widget.attrs.update({"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"})
        if self.draft.tin:
            keep = _("Leave blank to keep %(masked)s.") % {"masked": _masked(self.draft)}
            self.fields["tin_entry"].help_text = keep
        else:
            self.fields["tin_entry"].required = True
            self.fields["tin_confirmation"].required = True
            self.fields["tin_entry"].help_text = _("9 digits, with or without dashes.")

    def clean_tin_pair(self) -> str:
        entry = self.cleaned_data.get("tin_entry", "")
        confirmation = self.cleaned_data.get("tin_confirmation", "")
        if not entry and not confirmation and self.draft.tin:
            return str(self.draft.tin)
        digits = normalize_tin(entry or "")
        if digits is None:
            self.add_error("tin_entry", _("Enter the 9-digit ID, such as 123-45-6789."))
            return ""
        if normalize_tin(confirmation or "") != digits:
            self.add_error("tin_confirmation", _("The ID and Confirm ID do not match."))
            return ""
        return digits


# --- Create My Logon ---------------------------------------------------------------------------


class TaxpayerTypeForm(StepForm):
    taxpayer_type = forms.ChoiceField(
        label=_("Select one of the options below to continue."),
        choices=[
            (
                TaxpayerType.ORGANIZATION,
                _(
                    "I represent a business or organization that has previously filed taxes in the state. "
                    "I will validate my business by supplying"
                ),
            ),
            (
                TaxpayerType.INDIVIDUAL,
                _(
                    "I am an individual who has previously filed taxes in the state. "
                    "I will validate my income by supplying"
                ),
            ),
        ],
        widget=forms.RadioSelect,
    )


class TaxpayerIdForm(TinFieldsMixin, StepForm):
    id_type = forms.ChoiceField(label=_("ID Type"))
    account_type = forms.ChoiceField(label=_("Select an account type"))
    field_order = ["id_type", "tin_entry", "tin_confirmation", "account_type"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        individual = self.draft.taxpayer_type == TaxpayerType.INDIVIDUAL
        choice_field(self, "id_type").choices = (
            [(IdType.SSN, IdType.SSN.label), (IdType.ITIN, IdType.ITIN.label)]
            if individual
            else [(IdType.FEIN, IdType.FEIN.label), (IdType.SSN, _("SSN (sole proprietor)"))]
        )
        types = offered(INDIVIDUAL_ACCOUNT_TYPES) if individual else organization_account_types()
        choice_field(self, "account_type").choices = [("", _("- Select -")), *types]
        self.setup_tin_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["tin"] = self.clean_tin_pair()
        return cleaned

    def answers(self) -> dict[str, Any]:
        return {
            "id_type": self.cleaned_data["id_type"],
            "tin": self.cleaned_data["tin"],
            "account_type": self.cleaned_data["account_type"],
        }


class EvidenceForm(StepForm):
    evidence = forms.ChoiceField(
        label=_("Which of the following are you going to provide?"), choices=Evidence.choices, widget=forms.RadioSelect
    )
    amount_kind = forms.ChoiceField(
        label=_("Which would you like to provide?"),
        choices=AmountKind.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Only if you are providing an amount."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account = account_name(self.draft.account_type)
        choice_field(self, "evidence").choices = [
            (
                Evidence.AMOUNT,
                _(
                    "A tax return amount OR a tax refund amount from 1 of the past 3 %(account)s filed returns. "
                    "The amount must be greater than $0."
                )
                % {"account": account},
            ),
            (Evidence.LETTER, _("The letter ID from the letter you received informing you about signing up.")),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("evidence") == Evidence.AMOUNT and not cleaned.get("amount_kind"):
            self.add_error("amount_kind", _("Choose Tax Return Amount or Refund Amount."))
        if cleaned.get("evidence") == Evidence.LETTER:
            cleaned["amount_kind"] = ""
        return cleaned


class TaxAmountForm(StepForm):
    """The amount or the Letter ID. The view counts the attempt, then asks
    ``matches_the_ledger``."""

    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("The amount must be greater than $0.")},
    )
    letter_id = forms.CharField(
        label=_("Letter ID"),
        required=False,
        max_length=11,
        validators=[
            RegexValidator(r"^[Ll][0-9]{10}$", _("A Letter ID is the letter L and 10 digits, such as L0123456789."))
        ],
        help_text=_("The letter L and 10 digits, printed at the top right of the letter."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.draft.evidence == Evidence.LETTER:
            del self.fields["amount"]
            self.fields["letter_id"].required = True
        else:
            del self.fields["letter_id"]
            self.fields["amount"].required = True
            self.fields["amount"].widget.attrs.update({"inputmode": "decimal"})
            self.fields["amount"].help_text = queries.line_for(self.draft.account_type, self.draft.amount_kind)
        self.match: queries.PriorFiling | None = None

    def clean_amount(self) -> Decimal | None:
        amount: Decimal | None = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise ValidationError(_("The amount must be greater than $0."), code="zero")
        return amount

    def clean_letter_id(self) -> str:
        return (self.cleaned_data.get("letter_id") or "").strip().upper()

    def matches_the_ledger(self) -> bool:
        """Once the form is valid and the attempt counted: is this proof of a past filing? A
        mismatch adds one message that never says which part was wrong."""
        self.match = queries.match_prior_filing(
            tin=self.draft.tin,
            account_type=self.draft.account_type,
            evidence=self.draft.evidence,
            amount_kind=self.draft.amount_kind,
            amount=self.cleaned_data.get("amount"),
            letter_id=self.cleaned_data.get("letter_id", ""),
        )
        if self.match is None:
            self.add_error(None, ValidationError(NO_MATCH, code="no_match"))
        return self.match is not None

    def answers(self) -> dict[str, Any]:
        assert self.match is not None  # noqa: S101 (answers() is only called on a valid form)
        return {
            "amount": self.cleaned_data.get("amount"),
            "letter_id": self.cleaned_data.get("letter_id", ""),
            "verified_taxpayer": self.match.taxpayer,
            "verified_account": self.match.account,
        }


# --- Register a Business / an Individual / an Estate ------------------------------------------


class NewTaxpayerForm(TinFieldsMixin, StepForm):
    """Who is registering: fields differ by path; the ID must not be on file already."""

    organization_type = forms.ChoiceField(label=_("Type of organization"), choices=OrganizationType.choices)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Middle name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    id_type = forms.ChoiceField(
        label=_("ID Type"), choices=[(IdType.SSN, IdType.SSN.label), (IdType.ITIN, IdType.ITIN.label)]
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), help_text=_("For example: 04/28/1986"), widget=forms.DateInput(format="%m/%d/%Y")
    )
    decedent_name = forms.CharField(label=_("Name of the person who died"), max_length=200)
    date_of_death = forms.DateField(
        label=_("Date of death"), help_text=_("For example: 04/28/2025"), widget=forms.DateInput(format="%m/%d/%Y")
    )
    field_order = [
        "organization_type",
        "legal_name",
        "first_name",
        "middle_name",
        "last_name",
        "id_type",
        "tin_entry",
        "tin_confirmation",
        "date_of_birth",
        "decedent_name",
        "date_of_death",
    ]
    FIELDS_BY_KIND = {
        RegistrationKind.BUSINESS: ("organization_type", "legal_name"),
        RegistrationKind.INDIVIDUAL: ("first_name", "middle_name", "last_name", "id_type", "date_of_birth"),
        RegistrationKind.ESTATE: ("legal_name", "decedent_name", "date_of_death"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kept = {*self.FIELDS_BY_KIND[RegistrationKind(self.draft.kind)], "tin_entry", "tin_confirmation"}
        for name in list(self.fields):
            if name not in kept:
                del self.fields[name]
        if self.draft.kind == RegistrationKind.ESTATE:
            self.fields["legal_name"].label = _("Name of the estate")
            self.fields["legal_name"].help_text = _("As on the estate's FEIN letter, such as Estate of Robert Hill.")
        if self.draft.kind != RegistrationKind.INDIVIDUAL:
            self.fields["tin_entry"].label = _("FEIN")
            self.fields["tin_confirmation"].label = _("Confirm FEIN")
        self.setup_tin_fields()

    def initial_from(self, draft: Any) -> dict[str, Any]:
        initial = super().initial_from(draft)
        initial["date_of_birth"] = dt.date.fromisoformat(draft.date_of_birth) if draft.date_of_birth else None
        return initial

    def clean_date_of_birth(self) -> dt.date:
        born: dt.date = self.cleaned_data["date_of_birth"]
        if not dt.date(1900, 1, 1) <= born <= timezone.localdate():
            raise ValidationError(_("Enter a date of birth in the past."))
        return born

    def clean_date_of_death(self) -> dt.date:
        died: dt.date = self.cleaned_data["date_of_death"]
        if died > timezone.localdate():
            raise ValidationError(_("The date of death cannot be in the future."))
        return died

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        tin = self.clean_tin_pair()
        if tin and queries.tin_on_file(tin):
            self.add_error(
                "tin_entry",
                _("This ID is already registered. If you have filed before, use Create My Logon instead."),
            )
        cleaned["tin"] = tin
        return cleaned

    def answers(self) -> dict[str, Any]:
        found = {name: self.cleaned_data[name] for name in self.fields if hasattr(self.draft, name)}
        found["tin"] = self.cleaned_data["tin"]
        found["id_type"] = self.cleaned_data.get("id_type", IdType.FEIN)
        if "date_of_birth" in found:
            found["date_of_birth"] = found["date_of_birth"].isoformat()
        return found


class AddressForm(StepForm):
    address_line1 = forms.CharField(label=_("Street address"), max_length=100)
    address_line2 = forms.CharField(label=_("Street address line 2"), max_length=100, required=False)
    city = forms.CharField(label=_("City"), max_length=60)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("- Select -")), *US_STATES])
    postal_code = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        validators=[RegexValidator(r"^[0-9]{5}(-[0-9]{4})?$", _("Enter a 5-digit ZIP code, such as 02110."))],
    )


class NewAccountsForm(StepForm):
    new_account_types = forms.MultipleChoiceField(
        label=_("Which taxes will you file and pay?"), widget=forms.CheckboxSelectMultiple
    )
    new_accounts_from = forms.DateField(
        label=_("Starting date"),
        widget=forms.DateInput(format="%m/%d/%Y"),
        help_text=_("The first day you will owe these taxes. For example: 01/01/2027"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            RegistrationKind.BUSINESS: organization_account_types(),
            RegistrationKind.INDIVIDUAL: offered(NEW_INDIVIDUAL_ACCOUNT_TYPES),
            RegistrationKind.ESTATE: offered(ESTATE_ACCOUNT_TYPES),
        }[RegistrationKind(self.draft.kind)]
        choice_field(self, "new_account_types").choices = choices

    def clean_new_accounts_from(self) -> dt.date:
        start: dt.date = self.cleaned_data["new_accounts_from"]
        today = timezone.localdate()
        if not add_months(today, -36) <= start <= add_months(today, 12):
            raise ValidationError(_("Enter a date within the last 3 years or the next 12 months."))
        return start


# --- Every path --------------------------------------------------------------------------------


class ProfileForm(PhoneFields, StepForm):
    full_name = forms.CharField(label=_("Name"), max_length=120, help_text=_("The person who will use this logon."))
    phone_type = forms.ChoiceField(label=_("Phone type"), choices=[("", _("- Select -")), *PhoneType.choices])
    pin = forms.CharField(
        label=_("Create a 4-digit PIN"),
        min_length=4,
        max_length=4,
        validators=[RegexValidator(r"^[0-9]{4}$", _("The PIN is 4 digits."))],
        help_text=_("You will be asked for it when you call us."),
    )
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    email_confirmation = forms.EmailField(label=_("Confirm e-mail"), max_length=254)
    field_order = [
        "full_name",
        "phone_country",
        "phone_type",
        "phone_entry",
        "pin",
        "email",
        "email_confirmation",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pin"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def initial_from(self, draft: Any) -> dict[str, Any]:
        initial = super().initial_from(draft)
        initial["email_confirmation"] = draft.email
        initial["phone_country"] = draft.phone_country or "US"
        if draft.phone_number:
            initial["phone_entry"] = for_display(draft.phone_number, home_country=draft.phone_country)
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, confirmation = cleaned.get("email", ""), cleaned.get("email_confirmation", "")
        if email and confirmation and email.lower() != confirmation.lower():
            self.add_error("email_confirmation", _("The e-mail addresses do not match."))
        return cleaned

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"].strip(),
            "phone_country": data["phone_country"],
            "phone_type": data["phone_type"],
            "phone_number": data["phone_number"],
            "pin": data["pin"],
            "email": data["email"].strip(),
        }


USERNAME_RULES = _("Names must be between 3-60 characters and contain no spaces.")


class LogonForm(StepForm):
    username = forms.CharField(
        label=_("Username"),
        min_length=3,
        max_length=60,
        validators=[RegexValidator(r"^[!-~]+$", USERNAME_RULES)],
        error_messages={"min_length": USERNAME_RULES, "max_length": USERNAME_RULES},
    )
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, required=False)
    password_confirmation = forms.CharField(
        label=_("Confirm Password"), strip=False, widget=forms.PasswordInput, required=False
    )
    secret_question = forms.ChoiceField(label=_("Question"), choices=[("", _("- Select -")), *SecretQuestion.choices])
    secret_answer = forms.CharField(label=_("Answer"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        for name in ("password", "password_confirmation"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"
        self.fields["secret_answer"].widget.attrs["autocomplete"] = "off"
        if self.draft.password_hash:
            self.fields["password"].help_text = _("Leave blank to keep the password you chose.")
        else:
            self.fields["password"].required = True
            self.fields["password_confirmation"].required = True
        if self.draft.secret_answer_hash:
            self.fields["secret_answer"].help_text = _("Leave blank to keep the answer you gave.")
        else:
            self.fields["secret_answer"].required = True

    def initial_from(self, draft: Any) -> dict[str, Any]:
        return {"username": draft.username, "secret_question": draft.secret_question}

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if queries.username_taken(username, exclude=self.draft):
            raise ValidationError(_("This username is taken. Choose another."), code="taken")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password_confirmation") and not cleaned.get("password"):
            self.add_error("password", _("Enter the password, then confirm it."))
        elif cleaned.get("password"):
            future = User(username=cleaned.get("username", ""), email=self.draft.email, full_name=self.draft.full_name)
            check_new_password(self, future)
        return cleaned

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        found: dict[str, Any] = {"username": data["username"], "secret_question": data["secret_question"]}
        if data.get("password"):
            found["password_hash"] = make_password(data["password"])
        if data.get("secret_answer"):
            found["secret_answer_hash"] = make_password(normalize_secret_answer(data["secret_answer"]))
        return found


class ProfileAccessForm(StepForm):
    is_tax_professional = forms.BooleanField(
        label=_(
            "If this online profile will have access to multiple client taxpayers in order to file, pay or otherwise "
            "manage client accounts, check this box for access to the Manage My Clients link and the ability to "
            "manage multiple client accounts from a single view."
        ),
        required=False,
    )

    def answers(self) -> dict[str, Any]:
        return {"is_tax_professional": self.cleaned_data["is_tax_professional"], "profile_access_seen": True}


class TermsForm(StepForm):
    agree = forms.BooleanField(
        label=_("I agree"), error_messages={"required": _("Select I agree to accept the Terms of Use.")}
    )

    def initial_from(self, draft: Any) -> dict[str, Any]:
        return {"agree": draft.terms_agreed_at is not None}

    def answers(self) -> dict[str, Any]:
        return {"terms_agreed_at": self.draft.terms_agreed_at or timezone.now()}
