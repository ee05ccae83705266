"""The periodic task runs in a real Celery worker with embedded beat, as under `make run`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_beat_schedules_audit_chain_verification_and_the_worker_runs_it(tmp_path: Path):
    database = tmp_path / "identity.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.identity",
        "TAXGOV_ENV": "development",
        "TAXGOV_DATA_DIR": str(tmp_path),
        "TAXGOV_DATABASE_URL": f"sqlite:///{database}",
        "TAXGOV_AUDIT_CHECK_SECONDS": "1",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=environment, check=True)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from taxgov.common.audit.actions import record_event as r; r('test:a:one'); r('test:a:two')",
        ],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-B",
            "-Q",
            "identity",
            "--pool=solo",
            "-n",
            "test@%h",
            "-s",
            str(tmp_path / "beat-schedule"),
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        checks: list[tuple[int, int, int]] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(checks) < 2:
            time.sleep(0.5)
            with sqlite3.connect(database) as connection:
                checks = connection.execute(
                    "SELECT events_checked, intact, last_sequence FROM common_audit_auditchaincheck ORDER BY id"
                ).fetchall()
        assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        if worker.stderr:
            worker.stderr.close()
    # The first run checks both events; the next starts where it ended and finds nothing new.
    assert checks[:2] == [(2, 1, 2), (0, 1, 2)]
