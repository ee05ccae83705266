"""Announce new notices now (the daily job does the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from taxgov.federal.notices.actions import do_announce_new_notices


class Command(BaseCommand):
    help = "Email those who asked about their new notices, and record which notices go paperless."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="announce as of this day (default: today)")

    def handle(self, *args: Any, as_of: dt.date | None, **options: Any) -> None:
        result = do_announce_new_notices(as_of)
        self.stdout.write(f"announced {result.announced}, emailed {result.emailed}, paperless {result.paperless}")
