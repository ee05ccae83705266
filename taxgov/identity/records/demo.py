"""Demo data: the authoritative records of the demo population (the personas first)."""

from __future__ import annotations

from taxgov.identity.records.loader import load_people
from taxgov.synthetic.population import DEMO_PEOPLE, Population


def load_demo_data() -> str:
    counts = load_people(Population(), 0, DEMO_PEOPLE)
    return (
        f"identity records: {counts.people} people loaded, {counts.skipped} already there "
        f"({counts.licences} licences, {counts.phones} phones)."
    )
