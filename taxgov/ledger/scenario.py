"""Scenario files: one tax period described in JSON, for support staff and tests.

    {"agency": "federal", "due_date": "2023-04-18", "filed_date": "2023-04-18",
     "installment_agreement_from": null,
     "entries": [{"code": "150", "date": "2023-04-18", "amount": "10000.00"}, ...]}

Positive amounts are debits, negative credits; codes as on federal transcripts. Optional:
``levy_notice_date``, ``individual`` (default true), and per entry ``action_code`` (for TC
971) and ``reverses`` (the position, from 0, of the entry a reversal cancels).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from taxgov.ledger.engine import Module, Posting, ScenarioError, validate
from taxgov.ledger.rules import AGENCIES, Agency

KEYS = {"agency", "due_date", "filed_date", "installment_agreement_from", "levy_notice_date", "individual", "entries"}
ENTRY_KEYS = {"code", "date", "amount", "action_code", "reverses"}


@dataclass(frozen=True)
class Scenario:
    agency: Agency
    module: Module


def _optional_date(value: Any, where: str) -> dt.date | None:
    return None if value is None else _date(value, where)


def _date(value: Any, where: str) -> dt.date:
    if not isinstance(value, str):
        raise ScenarioError(f"{where}: expected a date as YYYY-MM-DD.")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(f"{where}: {value!r} is not a date (YYYY-MM-DD).") from None


def _amount(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ScenarioError(f'{where}: give amounts as strings such as "-2500.00", so no cent is lost.')
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ScenarioError(f"{where}: {value!r} is not an amount.") from None
    if not amount.is_finite():
        raise ScenarioError(f"{where}: {value!r} is not an amount.")
    return amount


def parse(data: Any) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError("A scenario is a JSON object.")
    unknown = set(data) - KEYS
    if unknown:
        raise ScenarioError(f"Unknown scenario keys: {', '.join(sorted(unknown))}.")
    agency = data.get("agency")
    if agency not in AGENCIES:
        raise ScenarioError(f"agency: expected one of {', '.join(AGENCIES)}.")
    due_date = _date(data.get("due_date"), "due_date")
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise ScenarioError("entries: expected a list.")
    postings = []
    for position, entry in enumerate(entries):
        where = f"entries[{position}]"
        if not isinstance(entry, dict):
            raise ScenarioError(f"{where}: expected an object with code, date and amount.")
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            raise ScenarioError(f"{where}: unknown keys {', '.join(sorted(unknown))}.")
        code = entry.get("code")
        if not isinstance(code, str):
            raise ScenarioError(f"{where}.code: expected a 3-digit code as a string.")
        reverses = entry.get("reverses")
        if reverses is not None and (not isinstance(reverses, int) or not 0 <= reverses < len(entries)):
            raise ScenarioError(f"{where}.reverses: expected the position of another entry.")
        day = _date(entry.get("date"), f"{where}.date")
        posting = Posting(
            code=code,
            day=day,
            amount=_amount(entry.get("amount", "0"), f"{where}.amount"),
            action_code=str(entry.get("action_code", "")),
            key=position,
            reverses=reverses,
        )
        validate(posting)
        postings.append(posting)
    individual = data.get("individual", True)
    if not isinstance(individual, bool):
        raise ScenarioError("individual: expected true or false.")
    module = Module(
        due_date=due_date,
        filed_date=_optional_date(data.get("filed_date"), "filed_date"),
        postings=tuple(postings),
        installment_agreement_from=_optional_date(data.get("installment_agreement_from"), "installment_agreement_from"),
        levy_notice_date=_optional_date(data.get("levy_notice_date"), "levy_notice_date"),
        individual=individual,
    )
    return Scenario(agency, module)


def load(path: str) -> Scenario:
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except OSError as error:
        raise ScenarioError(f"Cannot read {path}: {error.strerror}.") from None
    except json.JSONDecodeError as error:
        raise ScenarioError(f"{path} is not valid JSON: {error}.") from None
    return parse(data)
