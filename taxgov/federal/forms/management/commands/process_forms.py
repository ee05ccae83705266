"""Process the forms submitted online now (the periodic task does the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from taxgov.federal.forms.actions import do_process_submissions


class Command(BaseCommand):
    help = "Receive the forms submitted online, then accept or reject them by their declared rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="process as of this day (default: today)")

    def handle(self, *args: Any, as_of: dt.date | None, **options: Any) -> None:
        result = do_process_submissions(as_of)
        self.stdout.write(f"received {result.received}, accepted {result.accepted}, rejected {result.rejected}")
