"""What the engine does with a declaration and a set of answers: store and load them, check
them against the declared rules, find the answers that must be unique, and lay them out for
the review and the submission's page. Nothing here reads or writes the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import Label
from taxgov.common.security import pii
from taxgov.federal.forms import fields
from taxgov.federal.forms.declarations import Field, OnlineForm, Part, RuleContext, Section

# Part key -> that page's answers, or None for an optional page left blank.
Answers = dict[str, dict[str, Any] | None]
DUPLICATE = "duplicate"  # the reason code of an answer another live submission already holds
UNKNOWN_REASON = _("The form could not be accepted. We will send you a letter that explains why.")


def load(form: OnlineForm, text: str) -> Answers:
    raw = json.loads(text or "{}")
    answers: Answers = {}
    for part in form.parts:
        if part.key in raw:
            item = raw[part.key]
            answers[part.key] = (
                None
                if item is None
                else {each.name: fields.from_json(each, item.get(each.name)) for each in part.section.fields}
            )
    return answers


def dump(form: OnlineForm, answers: Answers) -> str:
    stored: dict[str, Any] = {}
    for part in form.parts:
        if part.key in answers:
            item = answers[part.key]
            stored[part.key] = (
                None
                if item is None
                else {each.name: fields.to_json(each, item.get(each.name)) for each in part.section.fields}
            )
    return json.dumps(stored, sort_keys=True)


def message(form: OnlineForm, text: Label, context: RuleContext) -> str:
    return str(text) % form.values(context)


@dataclass(frozen=True)
class Failure:
    part: Part
    code: str
    field: str
    message: str


def broken_rules(form: OnlineForm, part: Part, item: dict[str, Any], context: RuleContext) -> list[Failure]:
    return [
        Failure(part, rule.code, rule.field, message(form, rule.message, context))
        for rule in part.section.rules
        if not rule.holds(item, context)
    ]


def failures(form: OnlineForm, answers: Answers, context: RuleContext) -> list[Failure]:
    """Every declared rule the answers break, page by page."""
    found: list[Failure] = []
    for part in form.parts:
        item = answers.get(part.key)
        if item is not None:
            found.extend(broken_rules(form, part, item, context))
    return found


@dataclass(frozen=True)
class Unique:
    """An answer that must be unique, by its keyed fingerprint (the answer itself is not kept)."""

    part: Part
    field: Field
    fingerprint: str

    @property
    def name(self) -> str:
        return f"{self.part.section.key}.{self.field.name}"


def fingerprint(form: OnlineForm, section: Section, declared: Field, value: Any) -> str:
    """Keyed per form and field, so prints cannot be matched with any other table's."""
    return pii.fingerprint(str(value), context=f"federal_forms.{form.code}.{section.key}.{declared.name}")


def uniques(form: OnlineForm, answers: Answers) -> list[Unique]:
    found: list[Unique] = []
    for part in form.parts:
        item = answers.get(part.key)
        for declared in part.section.fields:
            if item is not None and declared.unique and item.get(declared.name):
                found.append(Unique(part, declared, fingerprint(form, part.section, declared, item[declared.name])))
    return found


def reason(form: OnlineForm, code: str, context: RuleContext) -> str:
    """The words for a rejection reason stored as a code: a rule's message, or a unique
    field's (``duplicate:children.ssn``)."""
    kind, _sep, name = code.partition(":")
    for section in form.sections:
        for rule in section.rules:
            if rule.code == code:
                return message(form, rule.message, context)
        for declared in section.fields:
            if kind == DUPLICATE and name == f"{section.key}.{declared.name}":
                return str(declared.unique)
    return str(UNKNOWN_REASON)


@dataclass(frozen=True)
class ReviewGroup:
    part: Part
    rows: list[tuple[str, str]]  # (label, answer as shown); empty for a page left blank


def review(form: OnlineForm, answers: Answers) -> list[ReviewGroup]:
    groups = []
    for part in form.parts:
        item = answers.get(part.key)
        rows = (
            []
            if item is None
            else [(str(each.label), fields.display(each, item.get(each.name))) for each in part.section.fields]
        )
        groups.append(ReviewGroup(part, rows))
    return groups
