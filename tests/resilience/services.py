"""Real processes the fault tests start, break and start again, all on loopback: a private
Redis and a private PostgreSQL (never the shared ones on 6379 and 5432, which other tests
use) and gunicorn serving a deployable."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(check: Callable[[], object], *, timeout: float = 60.0, what: str = "the service") -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):
            if check():
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not come up in {timeout:.0f} s")
        time.sleep(0.1)


class PrivateRedis:
    """A Redis of this test's own, on a free port, that keeps nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: redis.Redis.from_url(self.url).ping(), what="redis")

    def kill(self) -> None:
        """Gone at once, as a crashed or partitioned Redis would be."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@contextlib.contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        if server.process and server.process.poll() is None:
            server.kill()


class PrivatePostgres:
    """A PostgreSQL 15 cluster of this test's own (initdb as the postgres user, trust on
    loopback), so it can be restarted under load without touching the shared server."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="taxgov-pg-"))
        shutil.chown(self.folder, "postgres")
        self.data = self.folder / "data"
        self.port = free_port()

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True)

    def init(self) -> None:
        self._as_postgres(str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "server.log")
        self._as_postgres(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def restart(self) -> None:
        """As an operator's restart does: every connection is cut (mode fast)."""
        self._as_postgres(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.start()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name], check=True)

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._as_postgres(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def shared_database_url() -> str:
    """The URL of the database this pytest run made (pytest-django's ``test_...``), so a
    server started here sees what the test writes and the test sees what it writes."""
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def deployable_environment(
    deployable: str, database_url: str, redis_url: str, data: Path, *, eager_tasks: bool = True
) -> dict[str, str]:
    """The test settings for a server or worker process; with ``eager_tasks=False`` tasks go
    through Redis to real workers, as in production."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TAXGOV_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TAXGOV_DEPLOYABLE": deployable,
        "TAXGOV_ENV": "test",
        "TAXGOV_DEBUG": "false",
        "TAXGOV_DATA_DIR": str(data),
        "TAXGOV_DATABASE_URL": database_url,
        "TAXGOV_REDIS_URL": redis_url,
        "TAXGOV_EAGER_TASKS": str(eager_tasks).lower(),
    }


class Gunicorn:
    """A deployable under gunicorn (config/gunicorn.py, as make run-prod serves it)."""

    def __init__(self, environment: dict[str, str], log: Path, *, workers: int = 2, threads: int = 4) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.environment = {**environment, "TAXGOV_WEB_CONCURRENCY": str(workers), "TAXGOV_WEB_THREADS": str(threads)}
        self.log_path = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "config/gunicorn.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: answers(self.base + "/healthz") == 200, what="gunicorn")

    def workers(self) -> list[int]:
        assert self.process is not None
        return children(self.process.pid)

    def kill_workers(self) -> list[int]:
        """kill -9 every worker: whatever they were doing stops mid-way; the master starts new ones."""
        killed = self.workers()
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        wait_for(lambda: len(set(self.workers()) - set(killed)) >= len(killed), what="new gunicorn workers")
        return killed

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


class CeleryWorker:
    """A deployable's task worker as make run-prod starts it (prefork, two processes), taking
    tasks from the broker in its environment."""

    def __init__(self, environment: dict[str, str], log: Path, *, deployable: str) -> None:
        self.environment = environment
        self.deployable = deployable
        self.log_path = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log = self.log_path.open("ab")
        since = self.log.tell()
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", self.deployable),
                *("--pool=prefork", "--concurrency=2", "-n", f"{self.deployable}@fault-test", "--loglevel=INFO"),
            ],
            cwd=ROOT,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: b" ready." in self.log_path.read_bytes()[since:], what="the celery worker")

    def call(self, task: str) -> None:
        """Queue ``task``, as the scheduler does."""
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "config", "call", task, "--queue", self.deployable],
            cwd=ROOT,
            env=self.environment,
            check=True,
            capture_output=True,
        )

    def kill(self) -> None:
        """kill -9 of the worker and its task processes: whatever they were doing stops mid-way."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()

    def tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
    return found


def answers(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
