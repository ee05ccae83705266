"""What the benchmarks share: a deployable's settings on a scratch database, the machine they
ran on, and their report file. A script imports this before Django (``configure`` must set
the environment first), then imports the project."""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get("TAXGOV_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
_WORK: list[tempfile.TemporaryDirectory[str]] = []  # removed when the run ends


def configure(deployable: str, database_url: str) -> None:
    """Test-mode settings of ``deployable`` (no secrets needed, no debug) on ``database_url``,
    with a data folder of the run's own."""
    sys.path.insert(0, str(ROOT))
    _WORK.append(tempfile.TemporaryDirectory(prefix="taxgov-bench-"))
    os.environ.update(
        {
            "TAXGOV_ENV": "test",
            "TAXGOV_DEPLOYABLE": deployable,
            "DJANGO_SETTINGS_MODULE": f"config.settings.{deployable}",
            "TAXGOV_DATA_DIR": _WORK[-1].name,
            f"TAXGOV_{deployable.upper()}_DATABASE_URL": database_url,
            "TAXGOV_DEBUG": "false",
        }
    )


def recreate_database(name: str, server: str = SERVER) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str, server: str = SERVER) -> None:
    """Drop the scratch database (Django's connections to it are closed first)."""
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def on_scratch_postgres(deployable: str, name: str, *, static: bool = False) -> None:
    """``deployable``'s settings on a new, migrated PostgreSQL database ``name`` (with its static
    files collected when pages are rendered)."""
    configure(deployable, f"{SERVER}/{name}")
    recreate_database(name)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if static:
        call_command("collectstatic", interactive=False, verbosity=0)


def cpu_model() -> str:
    return next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )


def write_report(filename: str, lines: list[str]) -> None:
    """Write ``bench/results/<filename>`` and print it."""
    target = ROOT / "bench" / "results" / filename
    target.parent.mkdir(exist_ok=True)
    target.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
