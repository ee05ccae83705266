"""Loads synthetic people into the authoritative records, for demos and load tests."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from taxgov.identity.records.loader import load_people
from taxgov.synthetic.population import DEFAULT_SEED, Population


class Command(BaseCommand):
    help = (
        "Load people START to START+COUNT-1 of the synthetic population into the identity provider's "
        "authoritative records; people already loaded are skipped. Keep one seed per database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="how many people")
        parser.add_argument("--start", type=int, default=0, help="the first person's index (default 0)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"the population (default {DEFAULT_SEED})")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TAXGOV_ENV == "production" and not settings.TAXGOV_DEMO_MODE:
            raise CommandError("Synthetic records are only loaded in development or with TAXGOV_DEMO_MODE on.")
        if options["count"] < 0 or options["start"] < 0:
            raise CommandError("--count and --start cannot be negative.")
        started = time.perf_counter()
        counts = load_people(Population(options["seed"]), options["start"], options["start"] + options["count"])
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{counts.people} people loaded, {counts.skipped} already there; "
            f"{counts.licences} licences, {counts.phones} phones; {elapsed:.1f} s."
        )
