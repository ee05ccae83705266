"""Run the payment settlement now (the hourly job does the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from taxgov.federal.payments.actions import do_settle_payments
from taxgov.federal.payments.rail import payment_rail


class Command(BaseCommand):
    help = "Debit and post the payments whose day has come, and return the ones the banks sent back."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="settle as of this day (default: today)")

    def handle(self, *args: Any, as_of: dt.date | None, **options: Any) -> None:
        result = do_settle_payments(payment_rail(), as_of)
        self.stdout.write(f"processed {result.processed}, returned {result.returned}")
