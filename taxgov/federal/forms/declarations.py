"""How an online form is declared (ADR 0025).

A form is one ``OnlineForm`` value: its number and title, the days it is offered (a dated rule),
who may file it, its sections and their fields, and the rules its answers must meet. The
engine draws the pages, the review, the signature, the checks and the processing from that
value alone, so a new form is a declaration in ``catalog`` plus, if it needs words of its own,
a template. Declarations are Python, not TOML, so their labels go through ``gettext_lazy``
and reach the translation catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import Label
from taxgov.ledger.agencies import current_rules
from taxgov.ledger.models import TaxpayerKind
from taxgov.ledger.rules import RuleBook, RuleNotInForceError

Item = Mapping[str, Any]  # the answers of one page: field name -> value (date, bool, str or None)

PERJURY_STATEMENT = _(
    "Under penalties of perjury, I declare that I have examined this form and, to the best of my "
    "knowledge and belief, it is true, correct, and complete."
)


class Kind(StrEnum):
    TEXT = "text"
    SSN = "ssn"  # a child's or another person's SSN: checked, encrypted, shown masked
    DATE = "date"
    CHOICE = "choice"  # one of ``choices``, as radio buttons
    YES_NO = "yes_no"
    CHECKBOX = "checkbox"


@dataclass(frozen=True)
class RuleContext:
    """What a rule may look at besides the answers: the day the form was signed (a form made
    on that day follows the rules of that day) and the agency's dated rules."""

    filed_on: dt.date

    @property
    def rules(self) -> RuleBook:
        return current_rules()


@dataclass(frozen=True)
class Rule:
    """A condition the answers of one page must meet. It is checked as the person answers
    (the message shows at ``field``), again at Submit, and once more when the submission is
    processed, where a failure rejects the submission with ``code`` as its reason. The message
    may name the form's ``values`` as ``%(name)s``."""

    code: str
    field: str
    message: Label
    holds: Callable[[Item, RuleContext], bool]


@dataclass(frozen=True)
class Field:
    name: str
    label: Label
    kind: Kind = Kind.TEXT
    required: bool = True
    help_text: Label = ""
    choices: tuple[tuple[str, Label], ...] = ()
    max_length: int = 100
    # Set for an answer no two live submissions of the form may share (a child's SSN): the
    # message says so. The engine keeps a keyed fingerprint of it, never the answer.
    unique: Label = ""


@dataclass(frozen=True)
class Section:
    """A page of the form; with ``repeat`` above 1, that many pages of the same fields (two
    children), the first required and the others left blank when not needed. ``label`` is the
    step's name; for a repeated section it takes ``%(number)d``."""

    key: str
    label: Label
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    repeat: int = 1
    optional_hint: Label = ""  # at the top of an optional copy: when to leave it blank
    intro_template: str = ""  # words of its own above the fields, with the form's ``values``


@dataclass(frozen=True)
class Part:
    """One page of a form: a section, or one copy of a repeated section."""

    section: Section
    number: int

    @property
    def key(self) -> str:
        return self.section.key if self.section.repeat == 1 else f"{self.section.key}-{self.number}"

    @property
    def label(self) -> str:
        if self.section.repeat == 1:
            return str(self.section.label)
        return str(self.section.label) % {"number": self.number}

    @property
    def optional(self) -> bool:
        return self.number > 1


def _no_values(context: RuleContext) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class OnlineForm:
    code: str  # the form's number, also its address: /account/forms/4547/
    title: Label
    summary: Label  # one sentence on the Forms page
    sections: tuple[Section, ...]
    offered: Callable[[dt.date], bool]  # on which days it can be submitted online
    filers: frozenset[str] = field(default_factory=lambda: frozenset({TaxpayerKind.INDIVIDUAL}))
    statement: Label = PERJURY_STATEMENT  # what the signer declares
    values: Callable[[RuleContext], dict[str, Any]] = _no_values  # for messages and templates

    @property
    def parts(self) -> list[Part]:
        return [Part(section, number) for section in self.sections for number in range(1, section.repeat + 1)]

    def part(self, key: str) -> Part:
        return next(each for each in self.parts if each.key == key)


def offered_by_rule(path: str) -> Callable[[dt.date], bool]:
    """A form offered while the dated rule ``path`` (``online_forms.form_4547``) says it can
    be filed ``"online"``."""

    def offered(day: dt.date) -> bool:
        try:
            return bool(current_rules().value(path, day) == "online")
        except RuleNotInForceError:
            return False

    return offered
