"""Payoff cost against history size: a taxpayer with 1 transaction and with 2,000.

Measures the whole read a page would do (`queries.taxpayer_payoff`: the queries plus the
engine) on a fresh SQLite database, and the engine alone, and writes
`bench/results/ledger-payoff.md`. Run with `make bench-ledger-payoff`.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from decimal import Decimal

from harness import ROOT, cpu_model, write_report

sys.path.insert(0, str(ROOT))
WORK = tempfile.mkdtemp(prefix="taxgov-bench-")
os.environ.update(
    {
        "TAXGOV_ENV": "test",
        "TAXGOV_DEPLOYABLE": "federal",
        "DJANGO_SETTINGS_MODULE": "config.settings.federal",
        "TAXGOV_DATA_DIR": WORK,
        "TAXGOV_FEDERAL_DATABASE_URL": f"sqlite:///{WORK}/bench.sqlite3",
        "TAXGOV_DEBUG": "false",
    }
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from taxgov.ledger import actions, engine, queries  # noqa: E402
from taxgov.ledger.agencies import current_rules  # noqa: E402
from taxgov.ledger.models import AccountType, Taxpayer  # noqa: E402

AS_OF = dt.date(2026, 11, 21)
RUNS = 30


def make_taxpayer(number: int, transactions: int) -> Taxpayer:
    """A business filing monthly withholding returns since 2019: each month a return and
    weekly deposits, the last one late, until ``transactions`` entries exist."""
    taxpayer = actions.do_register_taxpayer(
        kind="business",
        tin_type="ein",
        tin=f"00{number:07d}",
        name=f"Benchmark Trading {number}",
        address=actions.NewAddress("1 Main St", "Boston", "MA", "02110", valid_from=dt.date(2019, 1, 1)),
        registered_on=dt.date(2019, 1, 1),
    )
    account = actions.do_open_account(taxpayer, AccountType.WITHHOLDING, opened_on=dt.date(2019, 1, 1))
    posted = 0
    month = dt.date(2019, 1, 1)
    while posted < transactions:
        end = engine.add_months(month, 1) - dt.timedelta(days=1)
        due = end + dt.timedelta(days=15)
        period = actions.do_open_period(account, start=month, end=end, due_date=due)
        deposits = [("650", Decimal("-45.00"), month + dt.timedelta(days=day)) for day in range(20)]
        entries = [
            ("150", Decimal("1000.00"), due),
            *deposits[:-1],
            ("670", Decimal("-145.00"), due + dt.timedelta(days=40)),
        ]
        for code, amount, day in entries[: transactions - posted]:
            actions.do_post_transaction(
                period, code=code, amount=amount, effective_date=day, idempotency_key=f"b{number}:{posted}"
            )
            posted += 1
        month = engine.add_months(month, 1)
    return taxpayer


def timed(function) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"{statistics.median(ordered):.2f} ms median, {p95:.2f} ms p95"


def main() -> None:
    call_command("migrate", verbosity=0)
    rules = current_rules()
    rows = []
    for count in (1, 2000):
        taxpayer = make_taxpayer(count, count)
        with CaptureQueriesContext(connection) as captured:
            queries.taxpayer_payoff(taxpayer, AS_OF)
        whole = timed(lambda t=taxpayer: queries.taxpayer_payoff(t, AS_OF))
        modules = [queries.module_of(p) for p in queries.periods_with_history(taxpayer)]
        engine_only = timed(lambda m=modules: [engine.payoff(rules, module, AS_OF) for module in m])
        rows.append((count, len(modules), len(captured), summary(whole), summary(engine_only)))
    cpu = cpu_model()
    lines = [
        "# Payoff cost against history size",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d} on {cpu}, {os.cpu_count()} cores, Python {platform.python_version()},",
        f"SQLite {connection.Database.sqlite_version}; {RUNS} runs each, as of {AS_OF}. "
        "Produced by `make bench-ledger-payoff`.",
        "",
        "| transactions | periods | queries | taxpayer_payoff (queries + engine) | engine alone |",
        "|---:|---:|---:|---|---|",
        *(f"| {c:,} | {p} | {q} | {w} | {e} |" for c, p, q, w, e in rows),
        "",
        "The number of queries does not grow with history; the engine's time grows with the",
        "number of periods and months it replays.",
    ]
    write_report("ledger-payoff.md", lines)


if __name__ == "__main__":
    main()
