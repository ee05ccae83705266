"""What differs between the agencies besides rates: account types, forms, due dates, business days.

The deployable says which agency its ledger belongs to (``TAXGOV_LEDGER_AGENCY``); the values
come from the same rules files as interest and penalties.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from taxgov.ledger.engine import add_months
from taxgov.ledger.models import AccountType
from taxgov.ledger.rules import AGENCIES, Agency, RuleBook, rulebook


def current_agency() -> Agency:
    agency = settings.TAXGOV_LEDGER_AGENCY
    if agency not in AGENCIES:
        raise ImproperlyConfigured("TAXGOV_LEDGER_AGENCY must be 'federal' or 'state' where the ledger is installed.")
    return agency


def current_rules() -> RuleBook:
    return rulebook(current_agency())


# What each agency calls its account types on screen (the state guide says "Personal Income
# Tax"); types not named here use the model's label.
ACCOUNT_NAMES: dict[Agency, dict[AccountType, Promise]] = {
    "federal": {},
    "state": {
        AccountType.INDIVIDUAL_INCOME: _("Personal Income Tax"),
        AccountType.BUSINESS_INCOME: _("Corporate Excise"),
        AccountType.PARTNERSHIP: _("Partnership"),
        AccountType.FIDUCIARY: _("Fiduciary"),
        AccountType.WITHHOLDING: _("Withholding"),
        AccountType.SALES: _("Sales and Use Tax"),
    },
}


def account_name(account_type: str, agency: Agency | None = None) -> str:
    """The agency's name for an account type, in the active language."""
    kind = AccountType(account_type)
    return str(ACCOUNT_NAMES[agency or current_agency()].get(kind, kind.label))


@dataclass(frozen=True)
class AccountTypeInfo:
    account_type: AccountType
    form: str
    frequency: str  # annual, quarterly or monthly
    months_after: int
    day: int | str


def account_types(agency: Agency) -> dict[AccountType, AccountTypeInfo]:
    """The account types ``agency`` keeps, in the order its forms list them."""
    rules = rulebook(agency)
    found = {}
    for account_type in AccountType:
        prefix = f"due_dates.{account_type.value}"
        if rules.has(f"{prefix}.form"):
            found[account_type] = AccountTypeInfo(
                account_type,
                rules.setting(f"{prefix}.form"),
                rules.setting(f"{prefix}.frequency"),
                int(rules.setting(f"{prefix}.months_after")),
                rules.setting(f"{prefix}.day"),
            )
    return found


@functools.cache
def _holidays(agency: Agency, year: int) -> frozenset[dt.date]:
    days: set[dt.date] = set()
    for name in str(rulebook(agency).setting("due_dates.holiday_calendar")).split(","):
        country, _, subdivision = name.strip().partition("-")
        days.update(holidays.country_holidays(country, subdiv=subdivision or None, years=year))
    return frozenset(days)


def is_business_day(agency: Agency, day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(agency, day.year)


def next_business_day(agency: Agency, day: dt.date) -> dt.date:
    """``day`` itself if the agency is open, else the next day it is."""
    while not is_business_day(agency, day):
        day += dt.timedelta(days=1)
    return day


def due_date(agency: Agency, account_type: AccountType, period_end: dt.date) -> dt.date:
    """When a period's return and payment are due, without extensions."""
    rules = rulebook(agency)
    if account_type == AccountType.INDIVIDUAL_INCOME:
        for postponement in rules.setting("due_dates.postponed", []):
            if postponement["period_end"] == period_end:
                return postponement["due"]  # type: ignore[no-any-return]
    info = account_types(agency)[account_type]
    month = add_months(period_end.replace(day=1), info.months_after)
    last = calendar.monthrange(month.year, month.month)[1]
    day = last if info.day == "last" else int(info.day)
    return next_business_day(agency, month.replace(day=day))


def periods_of_year(agency: Agency, account_type: AccountType, year: int) -> list[tuple[dt.date, dt.date]]:
    """The (start, end) of each period of ``year`` for an account type's filing frequency."""
    frequency = account_types(agency)[account_type].frequency
    months = {"annual": 12, "quarterly": 3, "monthly": 1}[frequency]
    periods = []
    for first_month in range(1, 13, months):
        start = dt.date(year, first_month, 1)
        end = add_months(start, months) - dt.timedelta(days=1)
        periods.append((start, end))
    return periods
