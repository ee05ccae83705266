"""The pre-qualifier's draft: one per signed-in user, holding the answers given so far.

It is saved after every step (``taxgov.common.flows``), so Previous never loses an answer and
the person can leave and come back; "Start over" deletes it. It is an estimate the person
makes for themselves: nothing here is sent to the IRS or written to the ledger.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxgov.federal.accounts.models import User
from taxgov.ledger.models import money, whole_cents


class Compliance(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_REQUIRED = "not_required", _("Not required")


class Deposits(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_EMPLOYER = "not_employer", _("I am not an employer")


# The answers of each step, by the step's key (``flow.py``); a step is done when all are given.
SCREENING = ("in_bankruptcy", "returns_filed", "estimated_payments", "deposits", "billed")
BASICS = ("state", "household_size", "aged_65_or_older", "tax_debt")
ASSETS = tuple(
    f"{kind}_{part}"
    for kind in ("investments", "retirement", "real_estate", "vehicles", "other")
    for part in ("value", "loan")
)
ASSET_FIELDS = ("cash", *ASSETS)
INCOME = ("wages", "business_income", "rental_income", "other_income", "agi")
EXPENSES = (
    "housing",
    "vehicles",
    "vehicle_payments",
    "vehicle_operating",
    "public_transportation",
    "health_insurance",
    "court_ordered",
    "child_care",
    "current_taxes",
)
MONEY_FIELDS = ("tax_debt", *ASSET_FIELDS, *INCOME, *(name for name in EXPENSES if name != "vehicles"))


class Prequalification(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Status screening: the questions that decide whether an offer can be considered at all.
    in_bankruptcy = models.BooleanField(null=True)
    returns_filed = models.BooleanField(null=True)
    estimated_payments = models.CharField(max_length=12, choices=Compliance.choices, blank=True)
    deposits = models.CharField(max_length=12, choices=Deposits.choices, blank=True)
    billed = models.BooleanField(null=True)
    # Basic information.
    state = models.CharField(max_length=2, blank=True)
    county = models.CharField(max_length=60, blank=True)  # only where the data has county standards
    household_size = models.PositiveSmallIntegerField(null=True)
    aged_65_or_older = models.PositiveSmallIntegerField(null=True)
    tax_debt = money(null=True)
    # Assets: fair market value and what is still owed on them.
    cash = money(null=True)
    investments_value = money(null=True)
    investments_loan = money(null=True)
    retirement_value = money(null=True)
    retirement_loan = money(null=True)
    real_estate_value = money(null=True)
    real_estate_loan = money(null=True)
    vehicles_value = money(null=True)
    vehicles_loan = money(null=True)
    other_value = money(null=True)
    other_loan = money(null=True)
    # Monthly income, and the adjusted gross income of the latest return (the low-income test).
    wages = money(null=True)
    business_income = money(null=True)
    rental_income = money(null=True)
    other_income = money(null=True)
    agi = money(null=True)
    # Monthly expenses actually paid.
    housing = money(null=True)
    vehicles = models.PositiveSmallIntegerField(null=True)
    vehicle_payments = money(null=True)
    vehicle_operating = money(null=True)
    public_transportation = money(null=True)
    health_insurance = money(null=True)
    court_ordered = money(null=True)
    child_care = money(null=True)
    current_taxes = money(null=True)
    # Set by Submit on the review page; any changed answer empties it, so the result is only
    # ever shown for answers the person has reviewed.
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(aged_65_or_older__isnull=True) | Q(aged_65_or_older__lte=models.F("household_size")),
                name="federal_offers_aged_within_household",
            ),
            models.CheckConstraint(
                condition=Q(household_size__isnull=True) | Q(household_size__gte=1),
                name="federal_offers_household_size_positive",
            ),
            *(whole_cents(name, f"federal_offers_{name}_cents") for name in MONEY_FIELDS),
        ]

    def __str__(self) -> str:
        return f"offer pre-qualification {self.pk}"

    def answered(self, names: tuple[str, ...]) -> bool:
        return all(getattr(self, name) not in (None, "") for name in names)

    @property
    def knock_outs(self) -> list[str]:
        """The screening answers that rule an offer out, by question."""
        refused = {
            "in_bankruptcy": self.in_bankruptcy is True,
            "returns_filed": self.returns_filed is False,
            "estimated_payments": self.estimated_payments == Compliance.NO,
            "deposits": self.deposits == Deposits.NO,
            "billed": self.billed is False,
        }
        return [name for name in SCREENING if refused[name]]

    @property
    def screened(self) -> bool:
        return self.answered(SCREENING) and not self.knock_outs
