"""Load synthetic people's tax histories into this deployable's ledger, and say how fast it went."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taxgov.ledger.agencies import current_agency
from taxgov.ledger.population import load_population
from taxgov.synthetic.population import DEFAULT_SEED, Population


class Command(BaseCommand):
    help = (
        "Load the tax histories of people START..START+COUNT-1 of the synthetic population (and their "
        "businesses and estates) into this agency's ledger. People already loaded are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="How many people to load.")
        parser.add_argument("--start", type=int, default=0, help="The first person's index (default 0).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"Population seed (default {DEFAULT_SEED}).")
        parser.add_argument("--batch-size", type=int, default=1000, help="Taxpayers per transaction (default 1000).")

    def handle(self, *args: Any, **options: Any) -> None:
        count, start, batch_size = options["count"], options["start"], options["batch_size"]
        if count < 1 or start < 0 or batch_size < 1:
            raise CommandError("--count and --batch-size must be positive and --start not negative.")
        agency = current_agency()
        began = time.perf_counter()
        counts = load_population(
            Population(seed=options["seed"]), start, start + count, agency=agency, batch_size=batch_size
        )
        elapsed = time.perf_counter() - began
        for name, value in counts.as_dict().items():
            self.stdout.write(f"{name:>20}: {value}")
        self.stdout.write(
            f"{agency}: {count} people in {elapsed:.1f} s: {count / elapsed:.0f} people/s, "
            f"{counts.rows / elapsed:.0f} rows/s"
        )
