"""The payment settlement job at a million payments, on 2 cores, exactly once.

Creates a scratch PostgreSQL database with 1,000,000 taxpayers, each with one payment due
today (bulk SQL, not timed), then runs the settlement as production does: a Celery worker
(prefork, concurrency 2, as Procfile.prod runs the federal worker) is sent the hourly task,
which settles batches itself and fans out to a helper task on the worker's other process.
The time is from sending the task to the worker logging it done. Then it checks that every
payment was settled exactly once: one TC 670 each, dated its payment day, for its amount;
processed; one audit event each from the payments and from the ledger; the audit chain intact.

Then the kill test: a second payment for every taxpayer, settled on the NACHA rail; once
about half are processed, the worker and its processes are killed (SIGKILL), a new worker
is started and sent the task again, and the same checks run, plus one NACHA entry per
payment, each in one file in the outbox. Writes `bench/results/settlement.md` and drops the
database. Run with `make bench-settlement` (about 20 minutes); `--payments 20000` is a
trial run that prints its report instead of writing it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import ROOT, cpu_model, drop_database, on_scratch_postgres, write_report

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--payments", type=int, default=1_000_000)
parser.add_argument("--kill-at", type=float, default=0.5, help="Share processed when the worker is killed.")
parser.add_argument("--database", default="taxgov_bench_settlement")
ARGS = parser.parse_args()
FULL_RUN = ARGS.payments >= 1_000_000
GOAL_SECONDS = 300

on_scratch_postgres("federal", ARGS.database)

import django  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from taxgov.common.audit.queries import verify_chain  # noqa: E402
from taxgov.common.security import pii  # noqa: E402
from taxgov.federal.accounts.models import User  # noqa: E402
from taxgov.federal.payments.actions import BATCH_SIZE  # noqa: E402
from taxgov.federal.payments.tasks import settle_payments  # noqa: E402

TODAY = timezone.localdate()
WORK = Path(tempfile.mkdtemp(prefix="taxgov-bench-settlement-"))
NACHA = {
    "PAYMENT_RAIL": "nacha",
    "NACHA_OUTBOX": str(WORK / "outbox"),
    "NACHA_INBOX": str(WORK / "inbox"),
    "NACHA_IMMEDIATE_DESTINATION": "011000015",
    "NACHA_IMMEDIATE_DESTINATION_NAME": "Bench ODFI",
    "NACHA_IMMEDIATE_ORIGIN": "9876543210",
    "NACHA_COMPANY_ID": "9876543210",
    "NACHA_COMPANY_NAME": "Revenue Service",
    "NACHA_ODFI_ROUTING": "011000015",
}


def scalar(sql: str, params: list[Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def execute(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def create_taxpayers(count: int) -> None:
    """``count`` people with an income tax account and this year's period. Every row holds the
    same ciphertexts (a never-issued SSN): encrypting a million values is not what is measured."""
    tin = pii.encrypt("900010001", context="ledger.Taxpayer.tin")
    execute(
        "INSERT INTO ledger_taxpayer (public_id, kind, tin_type, tin, tin_fingerprint, first_name, middle_name,"
        " last_name, suffix, name, date_of_birth, responsible_party_fingerprint, created_at)"
        " SELECT gen_random_uuid(), 'individual', 'ssn', %s, encode(sha256(i::text::bytea), 'hex'), 'Bench', '',"
        " 'Payer ' || i, '', '', '', '', now() FROM generate_series(1, %s) AS i",
        [tin, count],
    )
    execute(
        "INSERT INTO ledger_taxaccount (taxpayer_id, account_type, opened_on)"
        " SELECT id, 'individual_income', %s FROM ledger_taxpayer",
        [TODAY],
    )
    execute(
        'INSERT INTO ledger_taxperiod (account_id, start, "end", due_date)'
        " SELECT id, %s, %s, %s FROM ledger_taxaccount",
        [dt.date(TODAY.year, 1, 1), dt.date(TODAY.year, 12, 31), dt.date(TODAY.year + 1, 4, 15)],
    )


def create_payments(generation: int) -> tuple[int, int]:
    """One payment due today per period, from $10.00 to $99.99; the range of their ids."""
    user, _ = User.objects.get_or_create(subject="bench-settlement")
    routing = pii.encrypt("011000015", context="federal_payments.Payment.routing_number")
    account = pii.encrypt("123456789", context="federal_payments.Payment.account_number")
    first = scalar("SELECT coalesce(max(id), 0) + 1 FROM federal_payments_payment")
    execute(
        "INSERT INTO federal_payments_payment (public_id, taxpayer_id, period_id, reason, amount, pay_on,"
        " bank_account_kind, routing_number, account_number, account_number_last4, status, idempotency_key,"
        " confirmation_number, made_by_id, created_at, return_reason)"
        " SELECT gen_random_uuid(), a.taxpayer_id, p.id, 'estimated_tax', 10 + (p.id * 7919 %% 9000) / 100.0, %s,"
        " 'checking', %s, %s, '6789', 'pending', 'bench-' || %s || '-' || p.id,"
        " lpad((%s * 100000000 + p.id)::text, 15, '0'), %s, now(), ''"
        " FROM ledger_taxperiod p JOIN ledger_taxaccount a ON a.id = p.account_id ORDER BY p.id",
        [TODAY, routing, account, generation, generation, user.pk],
    )
    execute("VACUUM ANALYZE")
    return first, scalar("SELECT max(id) FROM federal_payments_payment")


class Worker:
    """``celery worker`` as Procfile.prod runs the federal one, on this benchmark's database,
    with its broker in the run's data folder (SQLite, as in development)."""

    def __init__(self, name: str, rail: dict[str, str] | None = None) -> None:
        self.log_path = WORK / f"{name}.log"
        environment = {**os.environ, **{f"TAXGOV_FEDERAL_{key}": value for key, value in (rail or {}).items()}}
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "config",
                "worker",
                "-Q",
                "federal",
                "--pool=prefork",
                "--concurrency=2",
                "-n",
                f"{name}@%h",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log_path.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_for(r"ready\.", timeout=120)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float, *, meanwhile: Callable[[], None] = lambda: None) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while (found := re.search(pattern, self.log())) is None:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not log {pattern!r}:\n{self.log()[-3000:]}")
            meanwhile()
            time.sleep(0.2)
        return found

    def children(self) -> list[int]:
        listed = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in listed.split()]

    def kill(self) -> int:
        """kill -9 the worker and its pool processes at once, as a lost machine would stop them."""
        killed = [self.process.pid, *self.children()]
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return len(killed)

    def cpu_seconds(self) -> float:
        """CPU seconds the worker's processes have used so far."""
        return sum(process_cpu(pid) for pid in [self.process.pid, *self.children()])

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def process_cpu(pid: int) -> float:
    """User and system seconds of a running process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class SessionsCpu:
    """CPU seconds of the worker's database sessions. Django closes a task's connection when the
    task ends, so each session is read while it lasts, and its last reading kept."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.before = {pid: process_cpu(pid) for pid in self.pids()}

    @staticmethod
    def pids() -> list[int]:
        found = scalar(
            "SELECT array_agg(pid) FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return found or []

    def read(self) -> None:
        for pid in self.pids():
            self.seen[pid] = max(self.seen.get(pid, 0.0), process_cpu(pid))

    def seconds(self) -> float:
        return sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.seen.items())


def settle(worker: Worker, *, timeout: float = 3600) -> tuple[float, str, tuple[float, float], str]:
    """Send the hourly task and wait for the worker to log it done: seconds, its result, the
    CPU seconds the worker's processes and their database sessions spent meanwhile, and the
    worker's log of the run."""
    sessions = SessionsCpu()
    worker_before, log_before = worker.cpu_seconds(), len(worker.log())
    began = time.perf_counter()
    task = settle_payments.delay()
    found = worker.wait_for(
        rf"settle_payments\[{task.id}\] succeeded in [0-9.]+s: (.*)", timeout=timeout, meanwhile=sessions.read
    )
    seconds = time.perf_counter() - began
    return (
        seconds,
        found.group(1),
        (worker.cpu_seconds() - worker_before, sessions.seconds()),
        worker.log()[log_before:],
    )


def files_written(log: str) -> float:
    """Seconds from the helper task's end (the last batch) to the NACHA files' being in the outbox."""

    def at(pattern: str) -> dt.datetime:
        stamps = re.findall(rf"^(\S+ \S+) INFO .*{pattern}", log, re.MULTILINE)
        return dt.datetime.strptime(stamps[-1], "%Y-%m-%d %H:%M:%S,%f")  # noqa: DTZ007 (the log's local time)

    return (at("NACHA file .* is in the outbox") - at(r"settle_payment_batches\[.*\] succeeded")).total_seconds()


def last_event() -> int:
    """The audit chain's last sequence number: progress, read from an index at no cost."""
    return scalar("SELECT coalesce(max(sequence), 0) FROM common_audit_auditevent")


def processed(first: int, last: int) -> int:
    return scalar(
        "SELECT count(*) FROM federal_payments_payment WHERE id BETWEEN %s AND %s AND status = 'processed'",
        [first, last],
    )


def verify(first: int, last: int, *, nacha: bool = False) -> dict[str, Any]:
    """What the payments ``first``..``last`` left behind, each check counted in SQL."""
    between = [first, last]
    checks: dict[str, Any] = {
        "payments": scalar("SELECT count(*) FROM federal_payments_payment WHERE id BETWEEN %s AND %s", between),
        "processed, with sent_at, processed_at and a posting": scalar(
            "SELECT count(*) FROM federal_payments_payment WHERE id BETWEEN %s AND %s AND status = 'processed'"
            " AND sent_at IS NOT NULL AND processed_at IS NOT NULL AND posted_id IS NOT NULL",
            between,
        ),
        "TC 670 postings with a payment's key": scalar(
            "SELECT count(*) FROM ledger_transaction t JOIN federal_payments_payment p"
            " ON t.idempotency_key = 'federal-payment:' || p.public_id WHERE p.id BETWEEN %s AND %s AND t.code = '670'",
            between,
        ),
        "postings that are their payment's own (code, amount, date, period)": scalar(
            "SELECT count(*) FROM federal_payments_payment p JOIN ledger_transaction t ON t.id = p.posted_id"
            " WHERE p.id BETWEEN %s AND %s AND t.code = '670' AND t.amount = -p.amount AND t.effective_date = p.pay_on"
            " AND t.period_id = p.period_id AND t.idempotency_key = 'federal-payment:' || p.public_id",
            between,
        ),
        "sum of the payments": scalar(
            "SELECT sum(amount) FROM federal_payments_payment WHERE id BETWEEN %s AND %s", between
        ),
        "sum of their postings": scalar(
            "SELECT -sum(t.amount) FROM federal_payments_payment p JOIN ledger_transaction t ON t.id = p.posted_id"
            " WHERE p.id BETWEEN %s AND %s",
            between,
        ),
        "payment audit events (federal:payment:processed)": scalar(
            "SELECT count(*) FROM common_audit_auditevent WHERE tag = 'federal:payment:processed'"
            " AND subject IN (SELECT 'payment:' || id FROM federal_payments_payment WHERE id BETWEEN %s AND %s)",
            between,
        ),
        "ledger audit events (ledger:transaction:posted)": scalar(
            "SELECT count(*) FROM common_audit_auditevent WHERE tag = 'ledger:transaction:posted'"
            " AND (extra ->> 'transaction')::bigint IN"
            " (SELECT posted_id FROM federal_payments_payment WHERE id BETWEEN %s AND %s)",
            between,
        ),
    }
    # A second posting of a payment would need another key: then the ledger would hold more
    # TC 670s than there are processed payments (only payments post TC 670 here).
    checks["TC 670 postings in the ledger, all runs"] = scalar(
        "SELECT count(*) FROM ledger_transaction WHERE code = '670'"
    )
    checks["payments processed, all runs"] = scalar(
        "SELECT count(*) FROM federal_payments_payment WHERE status = 'processed'"
    )
    if nacha:
        checks["NACHA entries"] = scalar(
            "SELECT count(*) FROM federal_payments_nachaentry WHERE payment_id BETWEEN %s AND %s", between
        )
        checks["NACHA entries in a file sent to the outbox"] = scalar(
            "SELECT count(*) FROM federal_payments_nachaentry e JOIN federal_payments_nachafile f ON f.id = e.file_id"
            " WHERE e.payment_id BETWEEN %s AND %s AND f.sent_at IS NOT NULL",
            between,
        )
        lines = [line for path in sorted((WORK / "outbox").glob("*.ach")) for line in path.read_text().splitlines()]
        traces = [line[79:94] for line in lines if line.startswith("6")]
        checks["entry detail records in the outbox's files"] = len(traces)
        checks["distinct trace numbers in them"] = len(set(traces))
        checks["files in the outbox"] = len(list((WORK / "outbox").glob("*.ach")))
    return checks


def exactly_once(checks: dict[str, Any], count: int) -> bool:
    totals = ("TC 670 postings in the ledger, all runs", "payments processed, all runs", "files in the outbox")
    return (
        all(value == count for name, value in checks.items() if isinstance(value, int) and name not in totals)
        and checks[totals[0]] == checks[totals[1]]
        and checks["sum of the payments"] == checks["sum of their postings"]
    )


def table(checks: dict[str, Any]) -> list[str]:
    return ["| Check | Count |", "| --- | ---: |", *(f"| {name} | {value:,} |" for name, value in checks.items())]


def main() -> None:
    count = ARGS.payments
    print(f"Creating {count:,} taxpayers and their payments due {TODAY}", flush=True)
    began = time.perf_counter()
    create_taxpayers(count)
    first, last = create_payments(1)
    setup_seconds = time.perf_counter() - began
    load_before = os.getloadavg()[0]

    print("Settling with a Celery worker (prefork, concurrency 2), demo rail", flush=True)
    worker = Worker("settle")
    seconds, result, cpu, _ = settle(worker)
    loads = (load_before, os.getloadavg()[0])
    worker.stop()
    print(f"  {seconds:.1f} s: {result}", flush=True)
    checks = verify(first, last)
    once = exactly_once(checks, count)

    print(f"Kill test: {count:,} more payments, NACHA rail", flush=True)
    for folder in ("outbox", "inbox"):
        (WORK / folder).mkdir()
    second_first, second_last = create_payments(2)
    worker = Worker("killed", NACHA)
    events_before = last_event()
    settle_payments.delay()
    while (last_event() - events_before) / 2 < count * ARGS.kill_at:  # two events a payment
        time.sleep(0.5)
    in_flight = scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND xact_start IS NOT NULL"
        " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
    )
    killed = worker.kill()
    after_kill = processed(second_first, second_last)
    print(f"  killed {killed} processes with {after_kill:,} processed; settling again", flush=True)
    worker = Worker("rerun", NACHA)
    rerun_seconds, rerun_result, _, rerun_log = settle(worker)
    worker.stop()
    kill_checks = verify(second_first, second_last, nacha=True)
    kill_once = exactly_once(kill_checks, count)

    print("Verifying the whole audit chain", flush=True)
    chain = verify_chain()
    report = render(
        count=count,
        setup_seconds=setup_seconds,
        load=loads,
        seconds=seconds,
        result=result,
        cpu=cpu,
        checks=checks,
        once=once,
        after_kill=after_kill,
        killed=killed,
        in_flight=in_flight,
        rerun_seconds=rerun_seconds,
        rerun_result=rerun_result,
        files_seconds=files_written(rerun_log),
        kill_checks=kill_checks,
        kill_once=kill_once,
        chain=(chain.intact, chain.events_checked),
    )
    if FULL_RUN:
        write_report(
            "settlement.md",
            report,
            {
                "payments": count,
                "seconds": seconds,
                "exactly_once": once and kill_once and chain.intact,
                "rerun_after_kill_seconds": rerun_seconds,
            },
        )
    else:
        print("\n".join(report))
    drop_database(ARGS.database)
    shutil.rmtree(WORK, ignore_errors=True)


def render(**r: Any) -> list[str]:
    count = r["count"]
    rate = count / r["seconds"]
    worker_cpu, sessions_cpu = r["cpu"]
    intact, events = r["chain"]
    return [
        "# The payment settlement job at a million payments",
        "",
        "Run with `make bench-settlement` (`bench/settlement.py`). A scratch PostgreSQL database holds "
        f"{count:,} taxpayers, each with one payment due today, made with bulk SQL (not timed, "
        f"{r['setup_seconds']:.0f} s). The settlement runs as in production: a Celery worker, prefork with "
        "concurrency 2 as `Procfile.prod` runs the federal one, is sent the hourly task "
        "`settle_payments`, which fans out to one `settle_payment_batches` task on the worker's other "
        f"process; both settle batches of {BATCH_SIZE:,} payments, one transaction each, the ids "
        "claimed under row locks with SKIP LOCKED. The time runs from sending the task to the worker "
        "logging it done (the demo rail: its `submit` has nothing to write).",
        "",
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores, shared by the worker, PostgreSQL and this "
        f"script, and with other work at the time: load average {r['load'][0]:.1f} when the run began, "
        f"{r['load'][1]:.1f} when it ended (the run itself adds about 3). Python {platform.python_version()}, "
        f"Django {django.get_version()}, PostgreSQL {connection.pg_version // 10000} (stock settings).",
        f"- Measured on {timezone.now():%Y-%m-%d}.",
        "",
        f"**{count:,} payments settled in {r['seconds']:.0f} s** ({rate:,.0f} a second; goal "
        f"{GOAL_SECONDS} s or less: {'met' if r['seconds'] <= GOAL_SECONDS else 'NOT met'}). "
        f"Task result: `{r['result']}` (the rest by the helper task).",
        "",
        f"CPU spent meanwhile: {worker_cpu:,.0f} s by the worker's processes and {sessions_cpu:,.0f} s by "
        f"their PostgreSQL sessions, {(worker_cpu + sessions_cpu) / count * 1e6:.0f} µs a payment "
        f"({worker_cpu / count * 1e6:.0f} in Python, {sessions_cpu / count * 1e6:.0f} in the database; "
        "PostgreSQL's WAL writer, checkpointer and autovacuum not counted). On 2 cores with nothing "
        f"else running, the run could not take less than {(worker_cpu + sessions_cpu) / 2:.0f} s.",
        "",
        f"Exactly once: **{'yes' if r['once'] else 'NO'}**.",
        "",
        *table(r["checks"]),
        "",
        "## Killed half-way",
        "",
        f"A second payment for each taxpayer, on the NACHA rail (ADR 0028). Once the audit log "
        f"showed {ARGS.kill_at:.0%} of them settled, the worker and its pool processes ({r['killed']}) were "
        f"killed with SIGKILL, {r['in_flight']} of their database sessions inside a transaction, which "
        f"PostgreSQL rolled back: {r['after_kill']:,} payments stayed processed. A new worker, sent the task "
        f"again, finished in {r['rerun_seconds']:.0f} s (`{r['rerun_result']}`). Of that, writing the "
        f"NACHA files of the {count:,} debits took {r['files_seconds']:.0f} s once the last batch had ended.",
        "",
        f"Exactly once: **{'yes' if r['kill_once'] else 'NO'}**.",
        "",
        *table(r["kill_checks"]),
        "",
        f"The audit chain, all {events:,} events, verified afterwards: **{'intact' if intact else 'BROKEN'}**.",
        "",
    ]


if __name__ == "__main__":
    main()
