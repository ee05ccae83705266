"""The federal account home against history size: a taxpayer with 10 tax years of 200
transactions each (2,000 in all) against one with a single transaction.

The page is requested as a signed-in person would request it (the real URL, middleware,
access rules, queries and template) in this process, on a fresh PostgreSQL database. The
goal (issue 9) is a time ratio of 1.2 or less and the same number of queries. Writes
`bench/results/federal-home.md`. Run with `make bench-federal-home`.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from decimal import Decimal
from typing import Any

from harness import cpu_model, drop_database, on_scratch_postgres, signed_in_federal_client, write_report

DATABASE = "taxgov_bench_federal_home"
on_scratch_postgres("federal", DATABASE, static=True)

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from taxgov.ledger import actions  # noqa: E402
from taxgov.ledger.models import AccountType, Taxpayer  # noqa: E402

RUNS = 60
YEARS = 10
PER_YEAR = 200


def make_taxpayer(number: int, years: int, per_year: int) -> Taxpayer:
    """A person who filed a 1040 each year and paid it in many small payments (an estimated
    payment or an installment every few days), ``per_year`` entries a year."""
    first_year = timezone.localdate().year - years
    taxpayer = actions.do_register_taxpayer(
        kind="individual",
        tin_type="ssn",
        tin=f"00{number:07d}",
        first_name="Bench",
        last_name=f"Person {number}",
        address=actions.NewAddress("1 Main St", "Boston", "MA", "02110", valid_from=dt.date(first_year, 1, 1)),
        registered_on=dt.date(first_year, 1, 1),
        date_of_birth=dt.date(1970, 1, 1),
    )
    account = actions.do_open_account(taxpayer, AccountType.INDIVIDUAL_INCOME, opened_on=dt.date(first_year, 1, 1))
    for year in range(first_year, first_year + years):
        due = dt.date(year + 1, 4, 15)
        period = actions.do_open_period(account, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), due_date=due)
        entries = [("150", Decimal(per_year * 25), due)]
        entries += [("670", Decimal("-25.00"), due + dt.timedelta(days=2 * day)) for day in range(per_year - 1)]
        for index, (code, amount, day) in enumerate(entries):
            actions.do_post_transaction(
                period, code=code, amount=amount, effective_date=day, idempotency_key=f"h{number}:{year}:{index}"
            )
    return taxpayer


def warm_and_count(client: Any) -> int:
    """Warm the client up (static files, caches, the day's payoffs); the queries of one home."""
    for _ in range(5):
        answer = client.get(reverse("balances:home"))
        if answer.status_code != 200:
            raise RuntimeError(f"the home page answered {answer.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("balances:home"))
    return len(captured)


def measure(clients: list[Any]) -> list[list[float]]:
    """``RUNS`` requests per client, taken in turns, so that whatever else the machine does
    at the time weighs on each history alike."""
    url = reverse("balances:home")
    times: list[list[float]] = [[] for _ in clients]
    for _ in range(RUNS):
        for client, taken in zip(clients, times, strict=True):
            began = time.perf_counter()
            client.get(url)
            taken.append(time.perf_counter() - began)
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[int(len(times) * 0.95) - 1]


def main() -> None:
    histories = ((1, 1), (YEARS, PER_YEAR))
    clients = [  # a browser each (the warm-up takes the first request's start-up)
        signed_in_federal_client(make_taxpayer(number, years, per_year), number)
        for number, (years, per_year) in enumerate(histories)
    ]
    counts = [warm_and_count(client) for client in clients]
    rows = [
        (years * per_year, statistics.median(times), p95(times), found)
        for (years, per_year), times, found in zip(histories, measure(clients), counts, strict=True)
    ]
    (_, small, small_p95, small_queries), (_, large, large_p95, large_queries) = rows
    report = [
        "# The federal account home against history size",
        "",
        "Run with `make bench-federal-home` (`bench/federal_home.py`): the account home "
        "(`balances:home`) requested by a signed-in person through the federal deployable's real "
        f"URL, middleware, access rules, queries and template, in one process, on PostgreSQL; {RUNS} "
        "requests each, taken in turns, after 5 to warm up. The large history is 10 tax years of 200 transactions "
        "(a return and 199 payments each); the small one is a single return.",
        "",
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"PostgreSQL {connection.pg_version // 10000}.",
        f"- Measured on {timezone.now():%Y-%m-%d}.",
        "",
        "| Transactions | Median | p95 | Queries |",
        "| ---: | ---: | ---: | ---: |",
        *[
            f"| {count:,} | {median * 1000:.1f} ms | {high * 1000:.1f} ms | {queries} |"
            for count, median, high, queries in rows
        ],
        "",
        f"- **Time ratio, 2,000 transactions ÷ 1** (median; goal 1.2 or less): **{large / small:.2f}**",
        f"- p95 ratio: {large_p95 / small_p95:.2f}",
        f"- **Queries**: {small_queries} and {large_queries} "
        f"({'the same' if small_queries == large_queries else 'not the same'}; the goal is a constant count).",
        "",
        "The queries are a fixed set whatever the history. Payoffs are cached per period and day "
        "(`ledger.queries.period_payoffs`, ADR 0034) under a key made of the period's other facts and "
        "the mark of its postings (their count, highest id and latest posting time, counted in the "
        "query that reads the periods), so once the warm-up requests have filled the cache the page "
        "reads no posting: a long history is loaded and replayed once a day, not on every request.",
        "",
    ]
    write_report(
        "federal-home.md",
        report,
        {
            "time_ratio": round(large / small, 3),
            "small_ms": small * 1000,
            "large_ms": large * 1000,
            "small_queries": small_queries,
            "large_queries": large_queries,
        },
    )
    drop_database(DATABASE)


if __name__ == "__main__":
    main()
