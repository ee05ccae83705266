"""Interest and penalty rules as dated data (the TOML files beside this module).

A rule's value changes over time, like OpenFisca's parameters: each is a list of
``{from, value, source}`` entries, and the value on a day is the latest entry in force.
Code asks ``rules.value("failure_to_pay.rate_per_month", day)``; it never holds a rate.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any, Literal

Agency = Literal["federal", "state"]
AGENCIES: tuple[Agency, ...] = ("federal", "state")
HUNDRED = Decimal(100)
UNDATED_LISTS = {"due_dates.postponed"}  # lists that are data, not values changing over time


class RuleNotInForceError(LookupError):
    """Asked for a rule on a day before its first entry: the data does not cover that day."""


class RuleDataError(ValueError):
    """A rules file is malformed; raised when it is loaded, so a bad edit never reaches a payoff."""


@dataclass(frozen=True)
class DatedValue:
    """One rule's history: values with the day each came into force."""

    name: str
    starts: tuple[dt.date, ...]
    values: tuple[Any, ...]
    sources: tuple[str, ...]

    def at(self, day: dt.date) -> Any:
        index = bisect.bisect_right(self.starts, day) - 1
        if index < 0:
            raise RuleNotInForceError(f"{self.name} has no value before {self.starts[0]} (asked for {day}).")
        return self.values[index]

    def changes_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The days in (start, end] on which a new value comes into force."""
        return [day for day in self.starts if start < day <= end]

    @classmethod
    def parse(cls, name: str, raw: Any) -> DatedValue:
        if not isinstance(raw, list) or not raw:
            raise RuleDataError(f"{name}: expected a non-empty list of {{from, value, source}} entries.")
        starts: list[dt.date] = []
        values: list[Any] = []
        sources: list[str] = []
        for entry in raw:
            if not isinstance(entry, dict) or set(entry) != {"from", "value", "source"}:
                raise RuleDataError(f"{name}: every entry needs exactly `from`, `value` and `source`.")
            start, value, source = entry["from"], entry["value"], entry["source"]
            if type(start) is not dt.date:
                raise RuleDataError(f"{name}: `from` must be a date (YYYY-MM-DD), not {start!r}.")
            if starts and start <= starts[-1]:
                raise RuleDataError(f"{name}: entries must be in date order ({start} after {starts[-1]}).")
            if not isinstance(source, str) or not source.strip():
                raise RuleDataError(f"{name}: every value needs its source.")
            if isinstance(value, int | Decimal) and not isinstance(value, bool):
                value = Decimal(value)
            starts.append(start)
            values.append(value)
            sources.append(source)
        return cls(name, tuple(starts), tuple(values), tuple(sources))


def _read(filename: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise RuleDataError(f"{filename}: {error}") from error


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


class RuleBook:
    """One agency's rules, plus the shared table of federal short-term rates."""

    def __init__(self, agency: Agency, raw: dict[str, Any], short_term_rates: DatedValue) -> None:
        if raw.get("agency") != agency:
            raise RuleDataError(f"{agency}.toml must say agency = {agency!r}.")
        self.agency = agency
        self.short_term_rates = short_term_rates
        flat = _flatten(raw)
        # Names this exact set of rules: a result computed under them may be kept under it.
        self.version = hashlib.sha256(
            repr((agency, sorted(flat.items()), short_term_rates.starts, short_term_rates.values)).encode()
        ).hexdigest()[:16]
        self._dated: dict[str, DatedValue] = {}
        self._fixed: dict[str, Any] = {}
        for path, value in flat.items():
            if isinstance(value, list) and path not in UNDATED_LISTS:
                self._dated[path] = DatedValue.parse(f"{agency}.{path}", value)
            else:
                self._fixed[path] = value

    def value(self, path: str, day: dt.date) -> Any:
        try:
            return self._dated[path].at(day)
        except KeyError:
            raise RuleDataError(f"{self.agency} rules have no dated value {path!r}.") from None

    def number(self, path: str, day: dt.date) -> Decimal:
        """A rate, amount or count in force on ``day``."""
        value = self.value(path, day)
        if not isinstance(value, Decimal):
            raise RuleDataError(f"{self.agency}.{path} must be a number, not {value!r}.")
        return value

    def has(self, path: str) -> bool:
        return path in self._dated or path in self._fixed

    def setting(self, path: str, default: Any = None) -> Any:
        """An undated setting such as ``interest.compounding``."""
        return self._fixed.get(path, default)

    def rate_for(self, kind: Literal["underpayment", "overpayment"], day: dt.date) -> Decimal:
        """The annual interest rate on ``day`` as a fraction: (short-term rate + points) / 100."""
        return (Decimal(self.short_term_rates.at(day)) + self.number(f"interest.{kind}_points", day)) / HUNDRED

    def rate_changes_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Days in (start, end] on which either part of an interest rate may change."""
        days = set(self.short_term_rates.changes_between(start, end))
        for kind in ("underpayment", "overpayment"):
            days.update(self._dated[f"interest.{kind}_points"].changes_between(start, end))
        return sorted(days)

    def sources(self) -> dict[str, list[tuple[dt.date, Any, str]]]:
        """Every dated value with its source, for documentation and the rules page."""
        table = {"short_term_rate": self.short_term_rates}
        table.update(self._dated)
        return {name: list(zip(d.starts, d.values, d.sources, strict=True)) for name, d in table.items()}


@functools.cache
def short_term_rates() -> DatedValue:
    raw = _read("short_term_rates.toml")
    quarters = raw.get("quarter")
    dated = DatedValue.parse("short_term_rate", quarters)
    for start in dated.starts:
        if start.day != 1 or start.month not in (1, 4, 7, 10):
            raise RuleDataError(f"short_term_rate: {start} is not the first day of a quarter.")
    return dated


@functools.cache
def rulebook(agency: Agency) -> RuleBook:
    """The rules of ``agency``, read once per process."""
    if agency not in AGENCIES:
        raise RuleDataError(f"Unknown agency {agency!r}; expected one of {', '.join(AGENCIES)}.")
    return RuleBook(agency, _read(f"{agency}.toml"), short_term_rates())
