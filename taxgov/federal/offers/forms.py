"""The pre-qualifier's step forms: validation only. Amounts left blank count as $0, so a person
types only what they have; each form says in ``answers()`` what the draft should hold."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import StepForm
from taxgov.common.usps import US_STATES
from taxgov.federal.offers.models import Compliance, Deposits
from taxgov.ledger.engine import ZERO

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
STATES_AND_DC = [("", _("- Select -")), *(choice for choice in US_STATES if choice[0] != "PR")]
MAX_AMOUNT = Decimal("999999999999.99")  # the draft's columns hold up to a trillion
ENTER_ZERO = _("Leave blank or enter 0 if none.")


def yes_no(label: StrOrPromise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda value: value == "yes", widget=forms.RadioSelect
    )


def amount(label: StrOrPromise, help_text: StrOrPromise = ENTER_ZERO, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=ZERO,
        max_value=MAX_AMOUNT,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class AmountsForm(StepForm):
    """Blank amounts are $0: only what the person has needs typing."""

    def answers(self) -> dict[str, Any]:
        answers = super().answers()
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField) and answers.get(name) is None:
                answers[name] = ZERO
        return answers


class ScreeningForm(StepForm):
    in_bankruptcy = yes_no(_("Are you in an open bankruptcy proceeding?"))
    returns_filed = yes_no(_("Have you filed all the federal tax returns you are required to file?"))
    estimated_payments = forms.ChoiceField(
        label=_("Have you made all the estimated tax payments required for this year?"),
        choices=Compliance.choices,
        widget=forms.RadioSelect,
        help_text=_("Choose Not required if no estimated payments are due from you this year."),
    )
    deposits = forms.ChoiceField(
        label=_(
            "If you are an employer, have you made all the federal tax deposits for this quarter and the 2 "
            "quarters before it?"
        ),
        choices=Deposits.choices,
        widget=forms.RadioSelect,
    )
    billed = yes_no(_("Have you received a bill for at least one of the tax debts you want to settle?"))

    def initial_from(self, draft: Any) -> dict[str, Any]:
        """The draft keeps yes/no answers as booleans; the radio buttons as "yes" or "no"."""
        initial = super().initial_from(draft)
        for name, value in initial.items():
            if isinstance(value, bool):
                initial[name] = "yes" if value else "no"
        return initial


class BasicsForm(StepForm):
    state = forms.ChoiceField(label=_("State where you live"), choices=STATES_AND_DC)
    county = forms.ChoiceField(
        label=_("County"),
        required=False,
        help_text=_("Only asked where the housing allowance depends on the county."),
    )
    household_size = forms.IntegerField(
        label=_("How many people live in your household?"),
        min_value=1,
        max_value=30,
        help_text=_("You, your spouse if you live together, and the people you claim as dependents."),
    )
    aged_65_or_older = forms.IntegerField(
        label=_("How many of them are 65 or older?"),
        min_value=0,
        max_value=30,
        help_text=_("Out-of-pocket health care is allowed at a higher amount from age 65."),
    )
    tax_debt = amount(
        _("Total federal tax you owe"),
        _("We filled in your balance as of today, with penalties and interest. Change it if it is not right."),
        required=True,
    )

    def __init__(self, *args: Any, counties: dict[str, list[str]], payoff: Decimal, **kwargs: Any) -> None:
        self.counties, self.payoff = counties, payoff
        super().__init__(*args, **kwargs)
        county = self.fields["county"]
        assert isinstance(county, forms.ChoiceField)  # noqa: S101 (declared above)
        county.choices = [("", _("- Select -"))] + [
            (name, f"{name} ({state})") for state, names in counties.items() for name in names
        ]

    def initial_from(self, draft: Any) -> dict[str, Any]:
        initial = super().initial_from(draft)
        if initial.get("tax_debt") is None:
            initial["tax_debt"] = self.payoff
        return initial

    def clean_tax_debt(self) -> Decimal:
        owed: Decimal = self.cleaned_data["tax_debt"]
        if owed <= ZERO:
            raise forms.ValidationError(_("Enter what you owe: an offer settles a tax debt."))
        return owed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        state, county = cleaned.get("state"), cleaned.get("county", "")
        if state in self.counties:
            if county not in self.counties[state]:
                self.add_error("county", _("Choose the county where you live in %(state)s.") % {"state": state})
        elif state:
            cleaned["county"] = ""  # the answer only matters where there are county standards
        size, aged = cleaned.get("household_size"), cleaned.get("aged_65_or_older")
        if size is not None and aged is not None and aged > size:
            self.add_error("aged_65_or_older", _("This cannot be more than the people in your household."))
        return cleaned


class AssetsForm(AmountsForm):
    cash = amount(_("Cash and bank account balances"), _("Checking, savings and cash on hand. Leave blank if none."))
    investments_value = amount(_("Investments: current value"), _("Stocks, bonds, mutual funds, digital assets."))
    investments_loan = amount(_("Investments: loans against them"))
    retirement_value = amount(_("Retirement accounts: current value"), _("IRAs, 401(k) and similar plans."))
    retirement_loan = amount(_("Retirement accounts: loans against them"))
    real_estate_value = amount(_("Real estate: fair market value"), _("Your home and any other property."))
    real_estate_loan = amount(_("Real estate: mortgages and loans still owed"))
    vehicles_value = amount(_("Vehicles: fair market value"), _("Cars, trucks, motorcycles and boats you own."))
    vehicles_loan = amount(_("Vehicles: loans still owed"))
    other_value = amount(
        _("Other valuable items: fair market value"),
        _("Jewelry, art, collections and the like; leave out ordinary clothing and furniture."),
    )
    other_loan = amount(_("Other valuable items: loans against them"))


class IncomeForm(AmountsForm):
    wages = amount(_("Wages, salaries, pensions and Social Security (monthly, before deductions)"))
    business_income = amount(_("Net business income (monthly, after business expenses)"))
    rental_income = amount(_("Net rental income (monthly)"))
    other_income = amount(_("Other income (monthly)"), _("Alimony, child support received, interest, dividends."))
    agi = amount(
        _("Adjusted gross income on your latest tax return (for the year)"),
        _("Decides whether you qualify as low income. We filled in your latest return's, if we have it."),
        required=True,
    )

    def __init__(self, *args: Any, agi: Decimal | None, **kwargs: Any) -> None:
        self.latest_agi = agi
        super().__init__(*args, **kwargs)

    def initial_from(self, draft: Any) -> dict[str, Any]:
        initial = super().initial_from(draft)
        if initial.get("agi") is None and self.latest_agi is not None:
            initial["agi"] = self.latest_agi
        return initial


class ExpensesForm(AmountsForm):
    housing = amount(
        _("Housing and utilities (monthly)"),
        _("Rent or mortgage, property tax, insurance, gas, electric, water, phone and internet."),
    )
    vehicles = forms.TypedChoiceField(
        label=_("How many vehicles do you pay to own or run?"),
        choices=[("0", _("None")), ("1", _("One")), ("2", _("Two or more"))],
        coerce=int,
        widget=forms.RadioSelect,
    )
    vehicle_payments = amount(_("Vehicle loan or lease payments (monthly)"))
    vehicle_operating = amount(
        _("Vehicle running costs (monthly)"), _("Fuel, insurance, maintenance, registration, parking and tolls.")
    )
    public_transportation = amount(_("Public transportation (monthly)"))
    health_insurance = amount(_("Health insurance premiums (monthly)"))
    court_ordered = amount(_("Court-ordered payments (monthly)"), _("Such as alimony or child support you pay."))
    child_care = amount(_("Child or dependent care (monthly)"))
    current_taxes = amount(
        _("Current taxes (monthly)"),
        _("Federal, state and local income tax withheld or paid, Social Security, Medicare."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("vehicles") == 0:
            for name in ("vehicle_payments", "vehicle_operating"):
                if cleaned.get(name):
                    self.add_error(name, _("You said you have no vehicle: leave this blank, or choose how many."))
        return cleaned
