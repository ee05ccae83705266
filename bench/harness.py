"""What the benchmarks share: a deployable's settings on a scratch database, the machine they
ran on, and their report file. A script imports this before Django (``configure`` must set
the environment first), then imports the project."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import platform
import secrets
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


def configure_production(deployable: str, database_url: str, *, redis_url: str, port: int) -> dict[str, str]:
    """``deployable`` as ``make run-prod`` runs it (bin/run-prod's settings for one deployable,
    fresh secrets as bin/prod-secrets makes them) on ``database_url``, answering at
    ``http://localhost:<port>``. Sets this process's environment and returns it, for servers."""
    sys.path.insert(0, str(ROOT))
    _WORK.append(tempfile.TemporaryDirectory(prefix="taxgov-bench-"))
    name = deployable.upper()

    def key(nbytes: int = 32) -> str:
        return base64.urlsafe_b64encode(secrets.token_bytes(nbytes)).decode()

    settings = {
        "TAXGOV_ENV": "production",
        "TAXGOV_DEPLOYABLE": deployable,
        "DJANGO_SETTINGS_MODULE": f"config.settings.{deployable}",
        "TAXGOV_DATA_DIR": _WORK[-1].name,
        "TAXGOV_WEB_CONCURRENCY": "3",  # bin/run-prod's PROD_WEB_CONCURRENCY
        f"TAXGOV_{name}_DATABASE_URL": database_url,
        f"TAXGOV_{name}_REDIS_URL": redis_url,
        f"TAXGOV_{name}_ALLOWED_HOSTS": "localhost,127.0.0.1",
        f"TAXGOV_{name}_PUBLIC_URL": f"http://localhost:{port}",
        f"TAXGOV_{name}_SSL_REDIRECT": "false",
        f"TAXGOV_{name}_SILENCED_CHECKS": "security.W008",
        f"TAXGOV_{name}_DEBUG": "false",
        f"TAXGOV_{name}_DEV_TOOLS": "false",
        f"TAXGOV_{name}_DEMO_MODE": "true",
        f"TAXGOV_{name}_SECRET_KEY": key(48),
        f"TAXGOV_{name}_PII_KEYS": f"bench1:{key()}",
        f"TAXGOV_{name}_PII_FINGERPRINT_KEY": key(),
        f"TAXGOV_{name}_AUDIT_CHAIN_KEY": key(),
        "PROMETHEUS_MULTIPROC_DIR": str(Path(_WORK[-1].name) / "prometheus"),
    }
    if deployable == "identity":
        settings["TAXGOV_IDENTITY_OIDC_ISSUER"] = f"http://localhost:{port}"
        settings["TAXGOV_IDENTITY_OIDC_PAIRWISE_KEY"] = key()
    (Path(_WORK[-1].name) / "prometheus").mkdir()
    (Path(_WORK[-1].name) / "run").mkdir()  # gunicorn's control socket (config/gunicorn.py)
    os.environ.update(settings)
    return settings


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


def signed_in_federal_client(taxpayer: object, number: int, client: object = None) -> object:
    """A browser signed in to the federal account as ``taxpayer``, with a verified identity
    and a profile (federal settings, after ``django.setup()``). Pass the same ``client`` to
    sign it in as someone else: a new one builds a new request handler, whose start-up (the
    static files' index) would be timed with its first request."""
    import time

    from django.conf import settings
    from django.test import Client

    from taxgov.federal.accounts.models import User
    from taxgov.federal.profile.models import Profile
    from taxgov.federal.signin import identity

    user = User.objects.create(subject=f"bench-{number}")
    Profile.objects.create(user=user, taxpayer=taxpayer)
    client = client or Client(HTTP_HOST="localhost")
    client.cookies.clear()  # type: ignore[attr-defined]
    client.force_login(user)  # type: ignore[attr-defined]
    session = client.session  # type: ignore[attr-defined]
    acr = settings.TAXGOV_OIDC_CLIENT["acr_verified"]
    signed_in = identity.SignedInIdentity(
        subject=user.subject,
        acr=acr,
        verified=True,
        auth_time=int(time.time()),
        ssn=taxpayer.tin,  # type: ignore[attr-defined]
    )
    identity.remember(session, signed_in)
    session.save()
    return client


def cpu_model() -> str:
    return next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )


def write_report(filename: str, lines: list[str], figures: dict[str, float | int | bool] | None = None) -> None:
    """Write ``bench/results/<filename>`` and print it; its headline ``figures``, if any, go
    to ``bench/results/figures/<stem>.json`` too, where ``bench/ratios.py`` reads them."""
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / filename).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    if figures is not None:
        (results / "figures").mkdir(exist_ok=True)
        measured = {
            "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": f"{cpu_model()}, {os.cpu_count()} cores",
            "load_average": [round(value, 2) for value in os.getloadavg()],
            "figures": figures,
        }
        (results / "figures" / f"{Path(filename).stem}.json").write_text(json.dumps(measured, indent=2) + "\n")
