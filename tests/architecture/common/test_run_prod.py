"""`make run-prod` starts the production shape and stops cleanly (ADR 0033): bin/run-prod with
its own data folder, ports, PostgreSQL roles and databases and Redis databases, so it runs
beside a `make run-prod` of one's own; everything it made is removed at the end.

It needs PostgreSQL and Redis on loopback and takes about half a minute, so it runs only when
asked (TAXGOV_RUN_PROD_TEST=1) and in CI's PostgreSQL pass (`make pytest-postgres`).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
from honcho import environ

ROOT = Path(__file__).resolve().parents[3]
DEPLOYABLES = ("identity", "federal", "state")
PREFIX = "taxgov_smoke"  # roles taxgov_smoke_<d>, databases taxgov_smoke_prod_<d>
REDIS_FIRST_DB = 11  # 11 to 13: away from run-prod's 1 to 3 and the tests' 15
WORKERS = 2

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("TAXGOV_RUN_PROD_TEST")
        and not (os.environ.get("CI") == "true" and os.environ.get("TAXGOV_DATABASE_URL", "").startswith("postgres")),
        reason="needs PostgreSQL and Redis: set TAXGOV_RUN_PROD_TEST=1",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode()


def psql(sql: str) -> None:
    environment = {"PGHOST": "127.0.0.1", "PGPORT": "5432", "PGUSER": "postgres", **os.environ}
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres"], input=sql, env=environment, text=True, check=True
    )


def drop_everything() -> None:
    psql(
        "SET client_min_messages TO warning;\n"
        + "".join(
            f"DROP DATABASE IF EXISTS {PREFIX}_prod_{d} WITH (FORCE); DROP ROLE IF EXISTS {PREFIX}_{d};\n"
            for d in DEPLOYABLES
        )
    )
    for number in range(REDIS_FIRST_DB, REDIS_FIRST_DB + 3):
        client = redis.Redis.from_url(f"redis://127.0.0.1:6379/{number}")
        client.flushdb()
        client.close()


def descendants(pid: int) -> dict[int, str]:
    """Every process under ``pid`` (honcho starts each of its processes in a new session)."""
    table = subprocess.run(["ps", "-ww", "-eo", "pid=,ppid=,args="], capture_output=True, text=True, check=True).stdout
    children: dict[int, list[tuple[int, str]]] = {}
    for line in table.splitlines():
        pid_text, parent_text, command = line.split(None, 2)
        children.setdefault(int(parent_text), []).append((int(pid_text), command))
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        for child, command in children.get(todo.pop(), []):
            found[child] = command
            todo.append(child)
    return found


@dataclass
class Shape:
    honcho: subprocess.Popen[bytes]
    data: Path
    ports: dict[str, int]
    environment: dict[str, str]
    processes: dict[int, str]


@pytest.fixture
def shape(tmp_path: Path) -> Iterator[Shape]:
    data = tmp_path / "prod"
    ports = {name: free_port() for name in (*DEPLOYABLES, "smtp", "vendor")}
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TAXGOV_", "PROD_", "DJANGO_"))},
        "PROD_DATA_DIR": str(data),
        "PROD_IDENTITY_PORT": str(ports["identity"]),
        "PROD_FEDERAL_PORT": str(ports["federal"]),
        "PROD_STATE_PORT": str(ports["state"]),
        "PROD_SMTP_PORT": str(ports["smtp"]),
        "PROD_VENDOR_PORT": str(ports["vendor"]),
        "PROD_WEB_CONCURRENCY": str(WORKERS),
        "PROD_REDIS_FIRST_DB": str(REDIS_FIRST_DB),
        "PROD_DATABASE_PREFIX": PREFIX,
        "PROD_DEMO_DATA": "false",
    }
    drop_everything()
    log = (tmp_path / "run-prod.log").open("w")
    # bin/run-prod ends by exec-ing honcho: this pid is honcho's, as Ctrl-C would reach it.
    honcho = subprocess.Popen(
        ["bin/run-prod"], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    started = Shape(honcho, data, ports, environment, processes={})
    try:
        deadline = time.monotonic() + 120
        for d in DEPLOYABLES:
            while answers(f"http://127.0.0.1:{ports[d]}/") != 200:
                assert honcho.poll() is None, (tmp_path / "run-prod.log").read_text()[-3000:]
                assert time.monotonic() < deadline, f"{d} did not answer"
                time.sleep(0.5)
        started.processes = descendants(honcho.pid)
        yield started
    finally:
        if honcho.poll() is None:
            honcho.send_signal(signal.SIGTERM)
            try:
                honcho.wait(timeout=30)
            except subprocess.TimeoutExpired:
                for pid in [honcho.pid, *started.processes]:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(pid, signal.SIGKILL)
        log.close()
        drop_everything()


def answers(url: str) -> int | None:
    try:
        return get(url)[0]
    except OSError:
        return None


def test_run_prod_serves_production_settings_and_stops_cleanly(shape: Shape):
    # Secrets only in the env file, private to its owner.
    assert (shape.data / "secrets.env").stat().st_mode & 0o777 == 0o600
    secrets = environ.parse((shape.data / "secrets.env").read_text())

    for d in DEPLOYABLES:
        base = f"http://127.0.0.1:{shape.ports[d]}"
        status, _, page = get(f"{base}/")
        assert status == 200
        assert "Demonstration system" in page  # DEMO_MODE: the people are synthetic
        # Hashed static files are cached for good (WhiteNoise, from collectstatic's manifest).
        [stylesheet] = re.findall(r'href="(/static/taxgov/css/taxgov\.[0-9a-f]{12}\.css)"', page)
        status, headers, _ = get(base + stylesheet)
        assert status == 200
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
        # DEBUG is off: the project's own 404 page, not Django's technical one.
        status, _, page = get(f"{base}/no-such-page/")
        assert status == 404
        assert "Page not found |" in page
        assert "DEBUG = True" not in page
        # Database, cache and broker all answer.
        assert get(f"{base}/readyz")[0] == 200

        # gunicorn: a master and its workers; a Celery worker and a separate beat.
        web = [args for args in shape.processes.values() if "gunicorn" in args and f":{shape.ports[d]}" in args]
        assert len(web) == 1 + WORKERS, shape.processes
        assert any(f"celery -A config worker -Q {d}" in args for args in shape.processes.values())
        assert any(
            f"celery -A config beat -s {shape.data}/{d}-beat-schedule" in args for args in shape.processes.values()
        )

    # Each role reaches its own database only.
    own = secrets["TAXGOV_STATE_DATABASE_URL"]
    with psycopg.connect(own) as connection:
        assert connection.execute("SELECT current_user").fetchone() == (f"{PREFIX}_state",)
    with pytest.raises(psycopg.OperationalError, match="CONNECT"):
        psycopg.connect(own.replace(f"{PREFIX}_prod_state", f"{PREFIX}_prod_identity")).close()

    # An e-mail goes through Redis to the identity worker, then over SMTP to the sink's mailbox.
    send = "from taxgov.common.messaging.api import send_email as s; s('dev_test', 'pat@example.com', {'url': '/'})"
    subprocess.run(
        [
            ".venv/bin/honcho",
            "run",
            "-e",
            f"{shape.data}/settings.env,{shape.data}/secrets.env",
            sys.executable,
            "manage.py",
            "shell",
            "--settings=config.settings.identity",
            "-c",
            send,
        ],
        cwd=ROOT,
        env=shape.environment,
        capture_output=True,
        check=True,
    )
    mailbox = shape.data / "mailbox"
    deadline = time.monotonic() + 30
    while not list(mailbox.glob("*-email.eml")) and time.monotonic() < deadline:
        time.sleep(0.5)
    [mail] = mailbox.glob("*-email.eml")
    assert "Subject: Test message from VerifyID" in mail.read_text()

    # SIGTERM to honcho, as Ctrl-C, stops every process.
    shape.honcho.send_signal(signal.SIGTERM)
    shape.honcho.wait(timeout=30)
    assert [pid for pid in shape.processes if Path(f"/proc/{pid}").exists()] == []
