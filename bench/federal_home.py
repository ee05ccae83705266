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
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("TAXGOV_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "taxgov_bench_federal_home"
WORK = tempfile.mkdtemp(prefix="taxgov-bench-")
os.environ.update(
    {
        "TAXGOV_ENV": "test",
        "TAXGOV_DEPLOYABLE": "federal",
        "DJANGO_SETTINGS_MODULE": "config.settings.federal",
        "TAXGOV_DATA_DIR": WORK,
        "TAXGOV_FEDERAL_DATABASE_URL": f"{SERVER}/{DATABASE}",
        "TAXGOV_DEBUG": "false",
    }
)

with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
    admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
    admin.execute(f"CREATE DATABASE {DATABASE}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from taxgov.common.security import pii  # noqa: E402
from taxgov.federal.accounts.models import User  # noqa: E402
from taxgov.federal.profile.models import Profile  # noqa: E402
from taxgov.federal.signin import identity  # noqa: E402
from taxgov.ledger import actions  # noqa: E402
from taxgov.ledger.models import AccountType, Taxpayer  # noqa: E402

RUNS = 60
YEARS = 10
PER_YEAR = 200
VERIFIED_ACR = "urn:taxgov:acr:verified"


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


def signed_in_client(taxpayer: Taxpayer, number: int) -> Client:
    """A browser signed in to the federal account with a verified identity and a profile."""
    user = User.objects.create(subject=f"bench-{number}")
    Profile.objects.create(user=user, taxpayer=taxpayer)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    signed_in = identity.SignedInIdentity(
        subject=user.subject, acr=VERIFIED_ACR, verified=True, auth_time=int(time.time()), ssn=taxpayer.tin
    )
    session[identity.SESSION_KEY] = pii.encrypt(signed_in.as_json(), context=identity.CONTEXT)
    session.save()
    return client


def measure(client: Client) -> tuple[list[float], int]:
    url = reverse("balances:home")
    for _ in range(5):  # warm up
        answer = client.get(url)
        if answer.status_code != 200:
            raise RuntimeError(f"the home page answered {answer.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    count = len(captured)  # now: the next request's start clears the log it reads
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - began)
    return times, count


def p95(times: list[float]) -> float:
    return sorted(times)[int(len(times) * 0.95) - 1]


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    rows = []
    for number, (years, per_year) in enumerate(((1, 1), (YEARS, PER_YEAR))):
        taxpayer = make_taxpayer(number, years, per_year)
        times, found = measure(signed_in_client(taxpayer, number))
        rows.append((years * per_year, statistics.median(times), p95(times), found))
    (_, small, small_p95, small_queries), (_, large, large_p95, large_queries) = rows
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    report = [
        "# The federal account home against history size",
        "",
        "Run with `make bench-federal-home` (`bench/federal_home.py`): the account home "
        "(`balances:home`) requested by a signed-in person through the federal deployable's real "
        f"URL, middleware, access rules, queries and template, in one process, on PostgreSQL; {RUNS} "
        "requests each after 5 to warm up. The large history is 10 tax years of 200 transactions "
        "(a return and 199 payments each); the small one is a single return.",
        "",
        f"- Machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
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
        "The queries are a fixed set whatever the history (the ledger is read per account in bulk). "
        "Payoffs are cached per module and day (`ledger.queries.payoffs`), so the engine replays a "
        "long history once a day, not on every request (the warm-up requests fill the cache). What "
        "still grows with the history is loading every posting of every period, as model instances, "
        "to build the modules the cache key is made from.",
        "",
    ]
    target = ROOT / "bench" / "results" / "federal-home.md"
    target.write_text("\n".join(report))
    print("\n".join(report))
    connections.close_all()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
