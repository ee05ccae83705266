"""Print what a tax period (a scenario file) or a stored taxpayer owes on a day, as JSON."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taxgov.ledger import engine, queries
from taxgov.ledger.engine import Payoff, ScenarioError
from taxgov.ledger.identifiers import InvalidTinError
from taxgov.ledger.models import Taxpayer
from taxgov.ledger.rules import RuleNotInForceError, rulebook
from taxgov.ledger.scenario import load


class Command(BaseCommand):
    help = (
        "Payoff as of a date: tax, penalties and interest with two decimals. "
        "Give --scenario FILE.json (see the README) or --taxpayer (public id, number or TIN)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--scenario", help="A scenario file: one tax period's dates and entries.")
        source.add_argument("--taxpayer", help="A stored taxpayer's public id, database id or TIN.")
        parser.add_argument("--as-of", required=True, type=_day, help="The day to compute for, YYYY-MM-DD.")
        parser.add_argument(
            "--detail", action="store_true", help="Also print what accrued since the last posting, and each period."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: dt.date = options["as_of"]
        try:
            if options["scenario"]:
                scenario = load(options["scenario"])
                result = engine.payoff(rulebook(scenario.agency), scenario.module, as_of)
                output = _breakdown(result, options["detail"])
            else:
                output = _taxpayer_breakdown(_find_taxpayer(options["taxpayer"]), as_of, options["detail"])
        except (ScenarioError, RuleNotInForceError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(output, indent=2 if options["detail"] else None))


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of: {value!r} is not a date (YYYY-MM-DD).") from None


def _breakdown(result: Payoff, detail: bool) -> dict[str, Any]:
    shown = result.display()
    output: dict[str, Any] = {key: f"{shown[key]:.2f}" for key in ("tax", "penalties", "interest", "total")}
    if detail:
        output["accrued_since_last_posting"] = {
            "penalties": f"{shown['accrued_penalties']:.2f}",
            "interest": f"{shown['accrued_interest']:.2f}",
        }
        output["good_through"] = result.good_through.isoformat()
    return output


def _taxpayer_breakdown(taxpayer: Taxpayer, as_of: dt.date, detail: bool) -> dict[str, Any]:
    position = queries.taxpayer_payoff(taxpayer, as_of)
    output = _breakdown(position.total, detail)
    if detail:
        output["periods"] = [
            {"account": period.account.account_type, "period": period.label, **_breakdown(payoff, detail=False)}
            for period, payoff in position.periods
        ]
    return output


def _find_taxpayer(reference: str) -> Taxpayer:
    found: Taxpayer | None = None
    try:
        found = Taxpayer.objects.filter(public_id=uuid.UUID(reference)).first()
    except ValueError:
        if reference.isdigit() and len(reference) < 9:
            found = Taxpayer.objects.filter(pk=int(reference)).first()
        else:
            try:
                found = queries.find_taxpayer_by_tin(reference)
            except InvalidTinError:
                found = None
    if found is None:
        raise CommandError("No taxpayer with that reference in this ledger.")
    return found
