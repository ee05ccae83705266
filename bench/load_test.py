"""A filing-season load test: sign-ins at the identity provider, federal account homes, federal
payments and state registrations at once, against the three deployables as production serves
them; throughput, latency percentiles and failures per request, then a check that the
databases hold exactly what the answers said was done.

Each deployable runs under gunicorn with `config/gunicorn.py` and bin/run-prod's settings
(`harness.configure_production`) on a scratch PostgreSQL database and a Redis database of its
own on the shared server (7, 8 and 9, emptied before and after). The people the visitors will
be are made before the clock starts (`load_test_data.py`, in each deployable's own process);
the static files are those `make` collected into data/static. Locust runs here as a library
(`locustfile.py`, which describes the visits): the users ramp up, the statistics are reset,
and the next ``--duration`` seconds are measured; then the visits under way finish and the
databases are counted. Everything is on loopback. Writes `bench/results/load-test.md`. Run
with `make bench-load`; `--duration 20 --users 10` is a trial.
"""

from __future__ import annotations

import locustfile  # first: importing locust patches the standard library for gevent

# isort: split
import argparse
import itertools
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gevent
import locust
import redis
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from harness import ROOT, SERVER, configure_production, cpu_model, drop_database, recreate_database, write_report
from locust.env import Environment
from locust.stats import RequestStats, StatsEntry

sys.path.insert(0, str(ROOT))
from tests.resilience.services import Gunicorn, free_port

DEPLOYABLES = ("identity", "federal", "state")
DATABASES = {deployable: f"taxgov_bench_load_{deployable}" for deployable in DEPLOYABLES}
# The shared Redis's databases 1-3 are make run-prod's and 11-15 the tests'.
REDIS = {
    "identity": "redis://127.0.0.1:6379/7",
    "federal": "redis://127.0.0.1:6379/8",
    "state": "redis://127.0.0.1:6379/9",
}
THREADS = 4  # config/gunicorn.py's default, as bin/run-prod leaves it
STARTED = time.monotonic()
# The static files `make` collects for every deployable (.stamps/static-*), shared by the run's data
# folders: collecting and compressing 30,000 files again would take minutes.
STATIC = Path(os.environ.get("TAXGOV_DATA_DIR") or ROOT / "data") / "static"
# The kind of visit whose people each deployable prepares (a federal session also serves homes).
PREPARED_FOR = {"identity": "sign-in", "federal": "payment", "state": "state registration"}


@dataclass(frozen=True)
class Row:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float

    @classmethod
    def of(cls, entry: StatsEntry, name: str) -> Row:
        return cls(
            name,
            entry.num_requests,
            entry.num_failures,
            *(entry.get_response_time_percentile(share) for share in (0.5, 0.95, 0.99)),
        )


@dataclass(frozen=True)
class Measured:
    """Locust's statistics at the end of the measured window, and what the window cost here."""

    seconds: float
    rows: list[Row]
    total: Row
    errors: list[tuple[str, str, int]]  # request name, error, occurrences
    generator_cpu: float  # CPU seconds of this process (locust) in the window

    @classmethod
    def of(cls, stats: RequestStats, seconds: float, generator_cpu: float) -> Measured:
        order = {deployable: number for number, deployable in enumerate(DEPLOYABLES)}
        entries = sorted(
            (entry for entry in stats.entries.values() if entry.num_requests),
            key=lambda entry: order.get(str(entry.name).split(":")[0], len(order)),
        )
        return cls(
            seconds,
            [Row.of(entry, str(entry.name)) for entry in entries],
            Row.of(stats.total, "All requests"),
            [(str(error.name), str(error.error), error.occurrences) for error in stats.errors.values()],
            generator_cpu,
        )


def environments(ports: dict[str, int], workers: int) -> dict[str, dict[str, str]]:
    """Each deployable's production environment; the federal account trusts the identity
    provider here, with a key of its own."""
    STATIC.mkdir(parents=True, exist_ok=True)
    found = {}
    for deployable in DEPLOYABLES:
        settings = configure_production(
            deployable, f"{SERVER}/{DATABASES[deployable]}", redis_url=REDIS[deployable], port=ports[deployable]
        )
        found[deployable] = {**settings, "TAXGOV_WEB_CONCURRENCY": str(workers), "PYTHONPATH": str(ROOT)}
        (Path(settings["TAXGOV_DATA_DIR"]) / "static").symlink_to(STATIC, target_is_directory=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    found["federal"]["TAXGOV_FEDERAL_OIDC_ISSUER"] = found["identity"]["TAXGOV_IDENTITY_PUBLIC_URL"]
    found["federal"]["TAXGOV_FEDERAL_OIDC_PRIVATE_KEY"] = pem.decode()
    return {deployable: {**os.environ, **settings} for deployable, settings in found.items()}


def in_each_deployable(
    action: str, environment: dict[str, dict[str, str]], people: dict[str, int]
) -> dict[str, dict[str, Any]]:
    """``load_test_data.py ACTION`` once per deployable, at once, each with its settings."""
    work = Path(environment["identity"]["TAXGOV_DATA_DIR"])
    running = {}
    for deployable in DEPLOYABLES:
        command = [sys.executable, str(ROOT / "bench" / "load_test_data.py"), action, deployable]
        command += [str(work / f"{action}-{deployable}.json"), "--people", str(people.get(deployable, 0))]
        with (work / f"{action}-{deployable}.log").open("wb") as log:
            running[deployable] = subprocess.Popen(
                command, cwd=ROOT, env=environment[deployable], stdout=log, stderr=subprocess.STDOUT
            )
    failed = [deployable for deployable, process in running.items() if process.wait() != 0]
    if failed:
        tail = (work / f"{action}-{failed[0]}.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{action} ({', '.join(failed)}) failed:\n{tail}")
    return {deployable: json.loads((work / f"{action}-{deployable}.json").read_text()) for deployable in DEPLOYABLES}


def people_needed(users: int, ramp: float, duration: int) -> dict[str, int]:
    """As many people per kind as the users could visit as if every visit took no time: each
    account, payer and registrant serves one visit."""
    visits = users * ((ramp + duration) / locustfile.THINK_SECONDS[0] + 1)
    weights = locustfile.WEIGHTS
    return {
        deployable: math.ceil(visits * weights[kind] / sum(weights.values())) + 5
        for deployable, kind in PREPARED_FOR.items()
    }


def plan(prepared: dict[str, dict[str, Any]], servers: dict[str, Gunicorn]) -> locustfile.Plan:
    base = {deployable: server.base for deployable, server in servers.items()}
    identity, federal, state = (prepared[deployable] for deployable in DEPLOYABLES)
    return locustfile.Plan(
        identity=base["identity"],
        federal=base["federal"],
        state=base["state"],
        identity_paths=identity["paths"],
        federal_paths=federal["paths"],
        state_paths=state["paths"],
        password=identity["password"],
        accounts=iter(identity["accounts"]),
        session_cookie=federal["session_cookie"],
        home_sessions=itertools.cycle(federal["sessions"]),
        payers=iter(federal["sessions"]),
        registrants=iter(state["registrants"]),
    )


def servers(ports: dict[str, int], environment: dict[str, dict[str, str]], workers: int) -> dict[str, Gunicorn]:
    """The three deployables under gunicorn, on the ports their settings name (not started)."""
    work = Path(environment["identity"]["TAXGOV_DATA_DIR"])
    found = {}
    for deployable in DEPLOYABLES:
        server = Gunicorn(
            environment[deployable], work / f"gunicorn-{deployable}.log", workers=workers, threads=THREADS
        )
        # Not the free port it found itself: the one the settings already name (public URL, issuer).
        server.port, server.base = ports[deployable], f"http://127.0.0.1:{ports[deployable]}"
        found[deployable] = server
    return found


def load(users: int, spawn_rate: float, duration: int) -> tuple[Measured, float, list[str]]:
    """Ramp up, reset the statistics, measure ``duration`` seconds, then let the visits under
    way finish. Returns the measurement, how long the ramp-up took, and the exceptions a visit
    raised other than a failed request (a fault of this script or an answer it cannot read)."""
    environment = Environment(user_classes=[locustfile.FilingSeasonVisitor], stop_timeout=locustfile.TIMEOUT)
    runner = environment.create_local_runner()
    began = time.perf_counter()
    runner.start(users, spawn_rate)
    if runner.spawning_greenlet is not None:
        runner.spawning_greenlet.join()
    ramp = time.perf_counter() - began
    environment.stats.reset_all()
    cpu, began = time.process_time(), time.perf_counter()
    gevent.sleep(duration)
    measured = Measured.of(environment.stats, time.perf_counter() - began, time.process_time() - cpu)
    runner.stop()
    runner.quit()
    return measured, ramp, [f"{row['count']} times: {row['msg']}" for row in runner.exceptions.values()]


def say(what: str) -> None:
    """Progress, with the seconds since the start: the whole run should stay within minutes."""
    print(f"[{time.monotonic() - STARTED:5.0f} s] {what}", flush=True)


def flush_redis() -> None:
    for url in REDIS.values():
        redis.Redis.from_url(url).flushdb()


# --- The report ------------------------------------------------------------------------------------


def _milliseconds(value: float) -> str:
    return f"{value:,.0f} ms"


def table(measured: Measured) -> list[str]:
    def line(row: Row, bold: bool = False) -> str:
        mark = "**" if bold else ""
        return (
            f"| {mark}{row.name}{mark} | {row.requests:,} | {row.failures:,} | {row.requests / measured.seconds:.2f} "
            f"| {_milliseconds(row.p50)} | {_milliseconds(row.p95)} | {_milliseconds(row.p99)} |"
        )

    return [
        "| Request | Requests | Failures | Requests/s | p50 | p95 | p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(line(row) for row in measured.rows),
        line(measured.total, bold=True),
    ]


def checks(counts: dict[str, dict[str, int]]) -> tuple[list[str], bool]:
    tally = locustfile.TALLY
    pairs = [
        (
            "Authenticator codes accepted (identity)",
            counts["identity"]["codes accepted"],
            tally["sign-in: code accepted"],
        ),
        ("Payments (federal)", counts["federal"]["payments"], tally["payment: submitted"]),
        (
            "Registration requests submitted (state)",
            counts["state"]["requests submitted"],
            tally["state registration: submitted"],
        ),
        ("Logons created (state)", counts["state"]["logons"], tally["state registration: submitted"]),
    ]
    lines = [
        "| In the database | Rows | Answers that said so | |",
        "| --- | ---: | ---: | --- |",
        *(
            f"| {what} | {rows:,} | {answered:,} | {'same' if rows == answered else '**differ**'} |"
            for what, rows, answered in pairs
        ),
    ]
    return lines, all(rows == answered for _what, rows, answered in pairs)


def visits() -> list[str]:
    tally = locustfile.TALLY
    weights = locustfile.WEIGHTS
    rows = []
    for kind, weight in weights.items():
        nobody = tally[f"{kind}: nobody left to visit as"]
        rows.append(
            f"| {kind} | {weight} | {tally[f'{kind}: started']:,} | {tally[f'{kind}: completed']:,} "
            f"| {tally[f'{kind}: failed']:,}{f' ({nobody} with nobody left to visit as)' if nobody else ''} "
            f"| {tally[f'{kind}: cut off']:,} |"
        )
    return [
        "| Visit | Weight | Started | Completed | Failed | Cut off by the stop |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *rows,
    ]


def report(
    arguments: argparse.Namespace,
    measured: Measured,
    ramp: float,
    load_average: tuple[tuple[float, ...], tuple[float, ...]],
    people: dict[str, int],
    counts: dict[str, dict[str, int]],
    exceptions: list[str],
) -> list[str]:
    check_lines, consistent = checks(counts)
    errors = sorted(measured.errors, key=lambda error: -error[2])
    before, after = (", ".join(f"{value:.2f}" for value in average) for average in load_average)
    think = locustfile.THINK_SECONDS
    return [
        "# Filing-season load test",
        "",
        "Run with `make bench-load` (`bench/load_test.py`, visits in `bench/locustfile.py`, set-up in "
        "`bench/load_test_data.py`). The identity, federal and state deployables under gunicorn as "
        "`make run-prod` serves them (`config/gunicorn.py`, `TAXGOV_ENV=production`), each on a scratch "
        "PostgreSQL database and a Redis database of its own; locust (as a library, one process, on the same "
        "machine) sends a mix of visits over loopback. Each visit is one person with a browser of their own "
        "(cookies, one kept-alive connection) from an address of their own in 127.0.0.0/8, so the limits per "
        "address apply as they would to real people, not to one load generator.",
        "",
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores, shared by the servers, PostgreSQL and the load generator; "
        f"load average (1, 5, 15 min) before: {before}; after: {after}.",
        f"- Python {platform.python_version()}, locust {locust.__version__}; measured on {time.strftime('%Y-%m-%d')}.",
        f"- Parameters: {arguments.users} users, spawned {arguments.spawn_rate:g} a second (ramp-up {ramp:.1f} s, "
        f"not measured), then **{measured.seconds:.0f} s measured**; a pause of {think[0]}-{think[1]} s between "
        f"a user's visits; {arguments.workers} gunicorn workers of {THREADS} threads per deployable; no Celery "
        "workers (the e-mails the visits send wait in Redis); a request slower than "
        f"{locustfile.TIMEOUT} s fails.",
        f"- Prepared before the clock started: {people['identity']:,} identity accounts with an authenticator app, "
        f"{people['federal']:,} signed-in federal taxpayers with a profile and an income tax account, "
        f"{people['state']:,} state residents with a past return (SSNs from the never-issued 900-999 range).",
        f"- The load generator used {measured.generator_cpu / measured.seconds:.0%} of a core in the window "
        "(it competes with the servers for the same cores).",
        "",
        "## The mix",
        "",
        "Visits per kind, out of 12: 3 identity sign-ins, 6 federal account homes, 2 federal payments, 1 state "
        "registration. Neither the seeds nor the spec say anything about filing-season traffic, so the weights "
        "are assumptions: near the April deadline most visits are people looking at what they owe, each "
        "beginning with a sign-in and showing the account home about twice (on arrival and after acting); "
        "about two visits in three of those end in a payment; a state logon is made once in a taxpayer's life, "
        "so registrations are the rarest.",
        "",
        "- **Sign-in** (identity): the sign-in page, the email and password (one Argon2id verification), the "
        "authenticator-app page, the code (TOTP, computed from the account's secret), and the account page it "
        "leads to. Each account signs in once: a code is accepted once per time step.",
        "- **Federal home**: the account home (balances and payoffs) of a signed-in taxpayer.",
        "- **Payment** (federal): the make-a-payment form (which carries its own idempotency token), the "
        "review, the submit, and the confirmation page; each by a different taxpayer (at most 2 payments a "
        "day each).",
        "- **State registration**: Create My Logon from the first page to the confirmation, every page loaded "
        "and every answer posted with its form token, proving a past return by its amount; a new SSN each time.",
        "",
        "## Results (measured window)",
        "",
        *table(measured),
        "",
        "Percentiles are locust's (response times rounded to 2 significant figures above 100 ms); a request "
        "that failed counts among the requests.",
        "",
        "Failures by kind:" if errors else "No request failed.",
        "",
        *(
            ["| Request | Error | Count |", "| --- | --- | ---: |", *(f"| {n} | `{e}` | {c:,} |" for n, e, c in errors)]
            if errors
            else []
        ),
        *([""] if errors else []),
        "## Visits and their side effects (whole run, ramp-up and the last visits' finish included)",
        "",
        *visits(),
        "",
        "Locust stops a user by killing it between visits; a user that wakes up to begin a visit in that "
        "instant is killed at its first request, and the visit counts as cut off.",
        "",
        *(
            ["Visits ended by an exception in this script:", "", *(f"- `{text}`" for text in exceptions), ""]
            if exceptions
            else []
        ),
        *check_lines,
        "",
        "Nothing doubled or lost." if consistent else "**The databases and the answers disagree: see above.**",
        "",
        "## What is simplified",
        "",
        "- The federal visits use sessions made at set-up, as the sign-in through the identity provider leaves "
        "them (a verified identity and a profile), not the OpenID Connect dance per visit: that dance is the "
        "identity sign-in timed here plus a token exchange, timed in `results/oidc-token.md`.",
        "- No Celery workers and no message sink run: e-mails are queued, not sent. The load generator shares "
        "the machine with the servers and PostgreSQL.",
        "",
    ]


def main(arguments: argparse.Namespace) -> None:
    load_before = os.getloadavg()
    ports = {deployable: free_port() for deployable in DEPLOYABLES}
    environment = environments(ports, arguments.workers)
    people = people_needed(arguments.users, arguments.users / arguments.spawn_rate, arguments.duration)
    for name in DATABASES.values():
        recreate_database(name)
    flush_redis()
    running = servers(ports, environment, arguments.workers)
    try:
        say(f"preparing the databases and {sum(people.values())} people")
        prepared = in_each_deployable("prepare", environment, people)
        locustfile.PLAN = plan(prepared, running)
        say("starting the servers")
        gevent.joinall([gevent.spawn(server.start) for server in running.values()], raise_error=True)
        say(f"{arguments.users} users: ramp-up, then {arguments.duration} s measured")
        measured, ramp, exceptions = load(arguments.users, arguments.spawn_rate, arguments.duration)
        load_after = os.getloadavg()
        say("stopping the servers and counting")
        for server in running.values():
            server.stop()
        counts = in_each_deployable("count", environment, {})
        prepared_people = {
            "identity": len(prepared["identity"]["accounts"]),
            "federal": len(prepared["federal"]["sessions"]),
            "state": len(prepared["state"]["registrants"]),
        }
        lines = report(arguments, measured, ramp, (load_before, load_after), prepared_people, counts, exceptions)
        write_report(
            "load-test.md",
            lines,
            {
                "users": arguments.users,
                "seconds": measured.seconds,
                "requests": measured.total.requests,
                "failures": measured.total.failures,
                "per_second": measured.total.requests / measured.seconds,
                "p50_ms": measured.total.p50,
                "p95_ms": measured.total.p95,
                "p99_ms": measured.total.p99,
            },
        )
    except BaseException:
        for deployable, server in running.items():
            if server.process is not None:
                print(f"--- gunicorn ({deployable}), its last lines:\n{server.tail()}", file=sys.stderr)
        raise
    finally:
        for server in running.values():
            if server.process is not None:
                server.stop()
        flush_redis()
        for name in DATABASES.values():
            drop_database(name)
        say("done")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=30, help="virtual users (default 30)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second (default 5)")
    parser.add_argument("--duration", type=int, default=60, help="seconds measured after the ramp-up (default 60)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per deployable (default 3)")
    main(parser.parse_args())
