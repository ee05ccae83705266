"""Form 4547, Trump Account Election(s): open a Trump account (IRC 530A) for up to two
children and, for a child born in the pilot years, ask for the Treasury's pilot program
contribution (IRC 6434). The age limit, the pilot amount and years, and the day the online
election opened are dated rules in ``federal.toml`` (``trump_account``, ``online_forms``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from taxgov.federal.forms.declarations import (
    Field,
    Item,
    Kind,
    OnlineForm,
    Rule,
    RuleContext,
    Section,
    offered_by_rule,
)
from taxgov.ledger.rules import RuleBook, RuleNotInForceError

AGE_LIMIT = "trump_account.beneficiary_age_below"
PILOT = "trump_account.pilot_contribution"


def pilot_contribution(rules: RuleBook, born: dt.date) -> Decimal:
    """The pilot program contribution for a child born on that day ($0 outside the pilot years)."""
    try:
        return rules.number(PILOT, born)
    except RuleNotInForceError:
        return Decimal(0)


def pilot_years(rules: RuleBook) -> tuple[dt.date, dt.date, Decimal]:
    """The first and last birth dates the pilot program covers, and its amount."""
    history = rules.sources()[PILOT]
    for index, (start, amount, _source) in enumerate(history):
        if amount > 0:
            following = history[index + 1][0] if index + 1 < len(history) else dt.date.max
            return start, following - dt.timedelta(days=1), amount
    raise RuleNotInForceError(f"{PILOT} never pays a contribution")


def _age_limit(context: RuleContext) -> int:
    return int(context.rules.number(AGE_LIMIT, dt.date(context.filed_on.year, 12, 31)))


def values(context: RuleContext) -> dict[str, Any]:
    first, last, amount = pilot_years(context.rules)
    return {
        "year": context.filed_on.year,
        "age": _age_limit(context),
        "pilot_amount": f"${amount:,.0f}",
        "pilot_first": formats.date_format(first, "DATE_FORMAT"),
        "pilot_last": formats.date_format(last, "DATE_FORMAT"),
    }


def _born_by_filing(item: Item, context: RuleContext) -> bool:
    return bool(item["date_of_birth"] <= context.filed_on)


def _under_age(item: Item, context: RuleContext) -> bool:
    """Not yet the age limit at the end of the election year (the year the form is signed)."""
    return bool(item["date_of_birth"].year + _age_limit(context) > context.filed_on.year)


def _pilot_born_in_pilot_years(item: Item, context: RuleContext) -> bool:
    return not item["pilot_contribution"] or pilot_contribution(context.rules, item["date_of_birth"]) > 0


def _pilot_citizen(item: Item, context: RuleContext) -> bool:
    return not item["pilot_contribution"] or item["us_citizen"] is True


CHILD = Section(
    key="children",
    label=_("Child %(number)d"),
    repeat=2,
    optional_hint=_("Fill in this page only if this election is also for a second child. Otherwise leave it blank."),
    intro_template="forms/form_4547/who_qualifies.html",
    fields=(
        Field("first_name", _("Child's first name"), max_length=50),
        Field("last_name", _("Child's last name"), max_length=50),
        Field(
            "ssn",
            _("Child's Social Security number"),
            Kind.SSN,
            help_text=_("For example: 123-45-6789"),
            unique=_("A Trump account election was already made for this child."),
        ),
        Field("date_of_birth", _("Child's date of birth"), Kind.DATE, help_text=_("For example: 04/28/2025")),
        Field(
            "relationship",
            _("Your relationship to the child"),
            Kind.CHOICE,
            choices=(
                ("parent", _("Parent")),
                ("guardian", _("Legal guardian")),
                ("sibling", _("Brother or sister, 18 or older")),
                ("grandparent", _("Grandparent")),
            ),
        ),
        Field(
            "ssn_valid_for_work",
            _("Is the child's Social Security number valid for work?"),
            Kind.YES_NO,
            help_text=_("It is, unless the child's Social Security card says it is not valid for employment."),
        ),
        Field("first_election", _("Is this the first Trump account election for this child?"), Kind.YES_NO),
        Field(
            "pilot_contribution",
            _("Ask for the pilot program contribution for this child"),
            Kind.CHECKBOX,
            required=False,
        ),
        Field(
            "us_citizen",
            _("Is the child a U.S. citizen?"),
            Kind.YES_NO,
            required=False,
            help_text=_("Answer if you ask for the pilot program contribution."),
        ),
    ),
    rules=(
        Rule(
            "ssn-not-valid-for-work",
            "ssn_valid_for_work",
            _("A Trump account can be opened only for a child whose Social Security number is valid for work."),
            lambda item, context: item["ssn_valid_for_work"] is True,
        ),
        Rule(
            "not-first-election",
            "first_election",
            _("Only one Trump account election can be made for a child, and one was made for this child already."),
            lambda item, context: item["first_election"] is True,
        ),
        Rule(
            "born-after-filing",
            "date_of_birth",
            _("The date of birth cannot be after the day the form is signed."),
            _born_by_filing,
        ),
        Rule(
            "child-age",
            "date_of_birth",
            _("The child must be under %(age)s at the end of %(year)s."),
            _under_age,
        ),
        Rule(
            "pilot-birth-date",
            "pilot_contribution",
            _("The pilot program contribution is only for a child born from %(pilot_first)s through %(pilot_last)s."),
            _pilot_born_in_pilot_years,
        ),
        Rule(
            "pilot-citizen",
            "us_citizen",
            _("The pilot program contribution is only for a child who is a U.S. citizen."),
            _pilot_citizen,
        ),
    ),
)

FORM_4547 = OnlineForm(
    code="4547",
    title=_("Form 4547, Trump Account Election(s)"),
    summary=_("Open a Trump account for a child, and ask for the pilot program contribution from the Treasury."),
    sections=(CHILD,),
    offered=offered_by_rule("online_forms.form_4547"),
    statement=_(
        "Under penalties of perjury, I declare that I am authorized to make this election for each child "
        "listed and that, to the best of my knowledge and belief, the information on this form is true, "
        "correct, and complete."
    ),
    values=values,
)
