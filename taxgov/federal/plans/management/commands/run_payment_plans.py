"""Run the payment plan job now (the daily job does the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from taxgov.federal.plans.actions import do_run_payment_plans


class Command(BaseCommand):
    help = "Add installments due (debiting direct-debit plans), send notices of intent to terminate, default plans."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="run as of this day (default: today)")

    def handle(self, *args: Any, as_of: dt.date | None, **options: Any) -> None:
        result = do_run_payment_plans(as_of)
        self.stdout.write(
            f"installments {result.installments}, debits {result.debits}, notices {result.notices}, "
            f"defaults {result.defaults}, completed {result.completed}"
        )
