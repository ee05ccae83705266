"""Print what a person needs to walk each seed guide as each demo persona.

Computed from the deterministic generator, not read from a ledger, so the federal and the
state deployable print the same sheet, balances of both agencies included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from taxgov.ledger.demo import persona_sheet

LABELS = (
    ("story", "Story"),
    ("name", "Name"),
    ("email", "Email"),
    ("identity_password", "Identity password"),
    ("identity_totp_secret", "Authenticator app key"),
    ("tin", "SSN or ITIN"),
    ("date_of_birth", "Date of birth"),
    ("address", "Address"),
    ("mobile_phone", "Mobile phone"),
    ("state_return_amounts", "State return amounts"),
    ("state_letter_id", "State Letter ID"),
    ("federal_balance", "Federal balance"),
    ("state_balance", "State balance"),
    ("business", "Business"),
    ("estate", "Estate"),
)


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Print each demo persona's sign-in and tax facts (both agencies), as a table or --json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
        parser.add_argument("--as-of", type=_day, help="The day balances are computed for (default today).")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        sheet = persona_sheet(as_of)
        if options["json"]:
            self.stdout.write(json.dumps({"as_of": as_of.isoformat(), "personas": sheet}, indent=2))
            return
        self.stdout.write(f"Demo personas, balances as of {as_of}:")
        width = max(len(label) for _key, label in LABELS)
        for entry in sheet:
            self.stdout.write("")
            self.stdout.write(f"{entry['key']}")
            for key, label in LABELS:
                if key in entry:
                    self.stdout.write(f"  {label:<{width}}  {_shown(key, entry)}")


def _shown(key: str, entry: dict[str, Any]) -> str:
    value = entry[key]
    if value is None:
        return "none"
    if key == "tin":
        return f"{value} ({entry['tin_type'].upper()})"
    if key == "state_return_amounts":
        if not value:
            return "none above $0 (only zero returns, or no state returns)"
        return "; ".join(f"{a['tax_year']} {a['line'].replace('_', ' ')} ${a['amount']}" for a in value)
    if key in ("business", "estate"):
        return f"{value['name']} (EIN {value['ein']})"
    if key.endswith("_balance"):
        return f"${value}"
    return str(value)
