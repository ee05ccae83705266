"""The federal ledger at national scale: 1,000,000 people and over 20,000,000 transactions.

Creates a scratch PostgreSQL database, migrates it, loads the synthetic population with
the COPY loader in parallel workers, vacuums and analyzes, then times the reads a page
makes for a sample of random taxpayers (look-up by TIN, balances per period, payoff with
breakdown) and records the query plans. Writes `bench/results/ledger-scale.md` and drops
the database. Run with `make bench-ledger-scale` (about 30 minutes on 2 cores and 14 GB of
disk); `--people 20000` gives a quick trial run that writes nothing to bench/results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import random
import shutil
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import (
    ROOT,
    configure,
    cpu_model,
    drop_database,
    recreate_database,
    signed_in_federal_client,
    write_report,
)

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--people", type=int, default=1_000_000)
parser.add_argument("--workers", type=int, default=2)
parser.add_argument("--chunk", type=int, default=25_000, help="People per worker task.")
parser.add_argument("--samples", type=int, default=200, help="Random taxpayers to time the reads on.")
parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
parser.add_argument("--database", default="taxgov_bench_ledger_scale")
parser.add_argument("--keep", action="store_true", help="Leave the database for inspection.")
ARGS = parser.parse_args()
FULL_RUN = ARGS.people >= 1_000_000

configure("federal", f"{ARGS.server}/{ARGS.database}")
recreate_database(ARGS.database, ARGS.server)

import django  # noqa: E402
import psycopg  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Model  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from taxgov.ledger import queries, synthetic  # noqa: E402
from taxgov.ledger.models import (  # noqa: E402
    Address,
    Contact,
    InformationReturn,
    Notice,
    TaxAccount,
    Taxpayer,
    TaxPeriod,
    TaxReturn,
    Transaction,
)
from taxgov.ledger.population import LoadCounts, load_population  # noqa: E402
from taxgov.synthetic.population import Population  # noqa: E402

AS_OF = dt.date(2026, 11, 21)
SEED = 2026
MODELS: list[type[Model]] = [
    Taxpayer,
    Address,
    Contact,
    TaxAccount,
    TaxPeriod,
    TaxReturn,
    Transaction,
    InformationReturn,
    Notice,
]


def load_chunk(bounds: tuple[int, int]) -> tuple[tuple[int, int], LoadCounts, float]:
    """One worker task: people ``start``..``stop - 1`` with the loader the ledger ships."""
    start, stop = bounds
    began = time.perf_counter()
    counts = load_population(Population(seed=SEED), start, stop, agency="federal", today=AS_OF)
    return bounds, counts, time.perf_counter() - began


def load() -> tuple[LoadCounts, float]:
    chunks = [(start, min(start + ARGS.chunk, ARGS.people)) for start in range(0, ARGS.people, ARGS.chunk)]
    connections.close_all()  # each forked worker opens its own
    total = LoadCounts()
    began = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(ARGS.workers) as pool:
        for done, ((start, stop), counts, seconds) in enumerate(pool.imap_unordered(load_chunk, chunks), 1):
            total += counts
            print(
                f"  [{done}/{len(chunks)}] people {start:,}-{stop - 1:,} in {seconds:.0f} s; so far "
                f"{total.transactions:,} transactions in {time.perf_counter() - began:.0f} s",
                flush=True,
            )
    return total, time.perf_counter() - began


def scalar(sql: str, params: Sequence[object] = ()) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(samples)}


def timed(read: Callable[..., object], *args: object) -> tuple[float, int]:
    """Milliseconds and queries for one call."""
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        read(*args)
        seconds = time.perf_counter() - began
    return seconds * 1000, len(captured)


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def machine() -> list[str]:
    cpu = cpu_model()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")) / 2**20
    free = shutil.disk_usage(ROOT).free / 2**30
    server = ", ".join(
        f"{name} {scalar('SELECT current_setting(%s)', [name])}"
        for name in ("server_version", "shared_buffers", "work_mem", "effective_cache_size", "max_wal_size")
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {memory:.0f} GiB; {free:.0f} GiB disk free after the run.",
        f"- {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, psycopg {psycopg.__version__}.",
        f"- PostgreSQL: {server} (the machine's stock configuration, sharing the 2 cores with the loader).",
    ]


@dataclass
class Results:
    counts: LoadCounts
    load_seconds: float
    vacuum_seconds: float
    rows: dict[str, int]
    sizes: dict[str, int]
    database_size: int
    lookup: list[float] = field(default_factory=list)
    balances: list[float] = field(default_factory=list)
    payoffs: list[float] = field(default_factory=list)
    payoff_queries: set[int] = field(default_factory=set)
    history_sizes: list[int] = field(default_factory=list)
    heaviest_size: int = 0
    heaviest_payoff: float = 0.0
    plans: list[tuple[str, str, str]] = field(default_factory=list)
    sampled: list[int] = field(default_factory=list)
    home_first: list[float] = field(default_factory=list)
    home_again: list[float] = field(default_factory=list)
    home_queries: set[int] = field(default_factory=set)


def main() -> None:
    print(f"Scratch database {ARGS.database}: migrating", flush=True)
    call_command("migrate", verbosity=0)
    print(f"Loading {ARGS.people:,} people with {ARGS.workers} workers", flush=True)
    counts, load_seconds = load()
    print("VACUUM (ANALYZE)", flush=True)
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    results = Results(
        counts=counts,
        load_seconds=load_seconds,
        vacuum_seconds=time.perf_counter() - began,
        rows={model._meta.db_table: model._default_manager.count() for model in MODELS},
        sizes={
            model._meta.db_table: scalar("SELECT pg_total_relation_size(%s)", [model._meta.db_table])
            for model in MODELS
        },
        database_size=scalar("SELECT pg_database_size(current_database())"),
    )
    time_reads(results)
    time_home_pages(results)
    report = render(results)
    if FULL_RUN:
        write_report(
            "ledger-scale.md",
            report.splitlines(),
            {
                "people": ARGS.people,
                "transactions": results.rows["ledger_transaction"],
                "database_gib": results.database_size / 2**30,
                "home_first_p95_ms": percentiles(results.home_first)["p95"],
                "home_again_p95_ms": percentiles(results.home_again)["p95"],
                "lookup_p95_ms": percentiles(results.lookup)["p95"],
                "payoff_p95_ms": percentiles(results.payoffs)["p95"],
            },
        )
    else:
        print(report)


def time_reads(results: Results) -> None:
    print(f"Timing reads for {ARGS.samples} random taxpayers", flush=True)
    sampler = random.Random(SEED)  # noqa: S311 (which taxpayers to time: not a secret)
    chosen = sampler.sample(list(Taxpayer.objects.values_list("pk", flat=True)), ARGS.samples)
    results.sampled = chosen
    population = Population(seed=SEED)
    tins = [synthetic.tin_of(population.person(i)) for i in sampler.sample(range(ARGS.people), ARGS.samples)]
    results.lookup = [timed(queries.find_taxpayer_by_tin, tin)[0] for tin in tins]
    for pk in chosen:
        taxpayer = Taxpayer.objects.get(pk=pk)
        results.balances.append(timed(queries.assessed_balances, taxpayer, AS_OF)[0])
        milliseconds, query_count = timed(queries.taxpayer_payoff, taxpayer, AS_OF)
        results.payoffs.append(milliseconds)
        results.payoff_queries.add(query_count)
        results.history_sizes.append(Transaction.objects.filter(period__account__taxpayer=taxpayer).count())

    heaviest = Taxpayer.objects.get(
        pk=scalar(
            "SELECT a.taxpayer_id FROM ledger_transaction t JOIN ledger_taxperiod p ON p.id = t.period_id "
            "JOIN ledger_taxaccount a ON a.id = p.account_id GROUP BY a.taxpayer_id ORDER BY count(*) DESC LIMIT 1"
        )
    )
    results.heaviest_size = Transaction.objects.filter(period__account__taxpayer=heaviest).count()
    results.heaviest_payoff = statistics.median(timed(queries.taxpayer_payoff, heaviest, AS_OF)[0] for _ in range(5))

    median_size = sorted(results.history_sizes)[len(chosen) // 2]
    typical = Taxpayer.objects.get(pk=chosen[results.history_sizes.index(median_size)])
    with CaptureQueriesContext(connection) as balance_sql:
        queries.assessed_balances(typical, AS_OF)
    with CaptureQueriesContext(connection) as payoff_sql:
        queries.taxpayer_payoff(typical, AS_OF)
    with CaptureQueriesContext(connection) as lookup_sql:
        queries.find_taxpayer_by_tin(tins[0])
    statements = [
        ("Balance per period (`queries.assessed_balances`)", balance_sql[0]["sql"]),
        *(
            (f"Payoff, query {number} of {len(payoff_sql)} (`queries.periods_with_history`)", entry["sql"])
            for number, entry in enumerate(payoff_sql, 1)
        ),
        ("Look-up by TIN fingerprint (`queries.find_taxpayer_by_tin`)", lookup_sql[0]["sql"]),
    ]
    results.plans = [(title, sql, explain(sql)) for title, sql in statements]


def time_home_pages(results: Results) -> None:
    """The federal account home, as each sampled person signed in would ask for it: the day's
    first visit (which computes and caches the payoffs) and a visit again."""
    call_command("collectstatic", interactive=False, verbosity=0)
    people = Taxpayer.objects.filter(pk__in=results.sampled, kind="individual")
    print(f"Timing the federal home for {len(people)} people", flush=True)
    url = reverse("balances:home")
    client: Any = None
    for number, taxpayer in enumerate(people):
        client = signed_in_federal_client(taxpayer, number, client)
        for times in (results.home_first, results.home_again):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                answer = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
            if answer.status_code != 200:
                raise RuntimeError(f"the home page answered {answer.status_code}")
        results.home_queries.add(len(captured))


def render(r: Results) -> str:
    def row(name: str, samples: list[float]) -> str:
        p = percentiles(samples)
        return f"| {name} | {p['p50']:.2f} | {p['p95']:.2f} | {p['p99']:.2f} | {p['max']:.2f} |"

    history = percentiles([float(n) for n in r.history_sizes])
    out = [
        "# Ledger at scale (PostgreSQL)",
        "",
        f"Run on {dt.datetime.now(dt.UTC):%Y-%m-%d} with `make bench-ledger-scale` (`bench/ledger_scale.py`).",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Load",
        "",
        f"{ARGS.people:,} people of the seed-{SEED} synthetic population, with their businesses and estates, "
        f"as of {AS_OF.isoformat()}, through `taxgov.ledger.population.load_population` (COPY, one transaction "
        f"per 1,000 taxpayers, every personal value encrypted by its model field) in {ARGS.workers} worker "
        "processes, into freshly migrated tables with all their indexes and constraints.",
        "",
        f"- Load: {r.load_seconds / 60:.1f} min: {ARGS.people / r.load_seconds:,.0f} people/s, "
        f"{r.counts.rows / r.load_seconds:,.0f} rows/s. Then `VACUUM (ANALYZE)`: {r.vacuum_seconds:.0f} s.",
        f"- Database size: {r.database_size / 2**30:.1f} GiB.",
        "",
        "| Table | Rows | Size with indexes |",
        "| --- | ---: | ---: |",
        *(f"| `{table}` | {count:,} | {r.sizes[table] / 2**20:,.0f} MiB |" for table, count in r.rows.items()),
        "",
        "## Reads",
        "",
        f"{ARGS.samples} taxpayers drawn at random (people, businesses and estates) and {ARGS.samples} TINs of "
        "random people, timed in one process through the ORM after the load (warm cache). The sampled histories "
        f"hold {history['p50']:.0f} transactions at the median, {history['p99']:.0f} at p99 and "
        f"{history['max']:.0f} at most. The payoff makes "
        f"{' or '.join(str(n) for n in sorted(r.payoff_queries))} queries whatever the history's length.",
        "",
        "| Read, milliseconds | p50 | p95 | p99 | max |",
        "| --- | ---: | ---: | ---: | ---: |",
        row("Look-up by TIN (`find_taxpayer_by_tin`)", r.lookup),
        row("Balance per period (`assessed_balances`)", r.balances),
        row("Payoff with breakdown, every period (`taxpayer_payoff`)", r.payoffs),
        "",
        f"The taxpayer with the longest history ({r.heaviest_size:,} transactions): payoff in "
        f"{r.heaviest_payoff:.1f} ms (median of 5).",
        "",
        "## The federal account home at this size",
        "",
        f"The {len(r.home_first)} individuals among the sampled taxpayers, each signed in (a verified identity "
        "and a profile), ask for the account home (`balances:home`) through the federal deployable's URL, "
        "middleware, access rules, queries and template, in this process: the day's first visit, which "
        "computes and caches each period's payoff, then a visit again. Goal (issue 9): p95 of 30 ms or less. "
        f"Queries per page: {' or '.join(str(n) for n in sorted(r.home_queries))}.",
        "",
        "| Page, milliseconds | p50 | p95 | p99 | max |",
        "| --- | ---: | ---: | ---: | ---: |",
        row("First visit of the day", r.home_first),
        row("Visit again", r.home_again),
        "",
        f"- **p95, first visit: {percentiles(r.home_first)['p95']:.1f} ms; again: "
        f"{percentiles(r.home_again)['p95']:.1f} ms** (goal 30 ms or less).",
        "",
        "## Query plans",
        "",
        "`EXPLAIN (ANALYZE, BUFFERS)` of each statement, for the sampled taxpayer with the median history.",
        "",
    ]
    for title, sql, text in r.plans:
        out += [f"### {title}", "", "```sql", sql, "```", "", "```", text, "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    try:
        main()
    finally:
        connections.close_all()
        if not ARGS.keep:
            drop_database(ARGS.database, ARGS.server)
