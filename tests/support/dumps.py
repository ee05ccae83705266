"""A database dump, and the personal data it must not hold in plain text: the identifiers,
dates of birth and bank account numbers the project encrypts at rest (``EncryptedTextField``).

The dump is what a backup, a replica or a stolen disk holds: ``pg_dump`` on PostgreSQL, the
SQL of ``iterdump`` on SQLite (development). Sessions live in the database too, signed and
base64-encoded, so their decoded contents are searched as well.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection

from taxgov.common.observability.redaction import TIN

_ENGINE = settings.DATABASES["default"]["ENGINE"]
ON_POSTGRESQL = pytest.mark.skipif(
    _ENGINE != "django.db.backends.postgresql",
    reason="pg_dump needs PostgreSQL; this run is on SQLite (CI runs it there: bin/pytest-deployables --postgres)",
)
ON_SQLITE = pytest.mark.skipif(
    _ENGINE != "django.db.backends.sqlite3",
    reason="iterdump is SQLite's; this run is on PostgreSQL, whose pg_dump is checked instead",
)
ISO_DATE = re.compile(r"(?<![0-9])(\d{4})-(\d{2})-(\d{2})(?![0-9])")
US_DATE = re.compile(r"(?<![0-9])(\d{2})/(\d{2})/(\d{4})(?![0-9])")
DIGITS = re.compile(r"(?<![A-Za-z0-9])\d{4,17}(?![A-Za-z0-9])")


@dataclass
class Secrets:
    """What was stored: nine-digit TINs (SSN, ITIN, EIN), dates of birth, bank account numbers."""

    tins: set[str] = field(default_factory=set)
    birth_dates: set[dt.date] = field(default_factory=set)
    account_numbers: set[str] = field(default_factory=set)

    def add_tins(self, tins: Iterable[str]) -> None:
        self.tins |= {re.sub(r"\D", "", tin) for tin in tins}


def pg_dump() -> str:
    """The whole test database (schema and data) as ``pg_dump`` writes it."""
    database = connection.settings_dict
    command = [shutil.which("pg_dump") or "/usr/bin/pg_dump", "--no-owner", "--dbname", database["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command += [option, str(database[key])]
    environment = {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}
    return subprocess.run(command, capture_output=True, text=True, check=True, env=environment, timeout=120).stdout


def sqlite_dump() -> str:
    connection.ensure_connection()
    return "\n".join(connection.connection.iterdump())


def sessions() -> str:
    return "\n".join(str(session.get_decoded()) for session in Session.objects.all())


def plaintext_in(dump: str, secrets: Secrets) -> list[str]:
    """The secrets found in ``dump`` (masked): a TIN written 123456789, 123-45-6789,
    123 45 6789 or 12-3456789, a date of birth as 1988-03-15 or 03/15/1988, an account number.
    Only whole numbers count: the same digits inside a hexadecimal fingerprint, a ciphertext or
    a longer number are not these values."""
    tins = {re.sub(r"\D", "", match.group()) for match in TIN.finditer(dump)} & secrets.tins
    dates = {dt.date(int(y), int(m), int(d)) for y, m, d in ISO_DATE.findall(dump) if _is_date(y, m, d)}
    dates |= {dt.date(int(y), int(m), int(d)) for m, d, y in US_DATE.findall(dump) if _is_date(y, m, d)}
    accounts = set(DIGITS.findall(dump)) & secrets.account_numbers
    return sorted(
        [f"TIN •••••{tin[-4:]}" for tin in tins]
        + [f"date of birth ••••-••-{day.day:02d}" for day in dates & secrets.birth_dates]
        + [f"account number •••{number[-4:]}" for number in accounts]
    )


def _is_date(year: str, month: str, day: str) -> bool:
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True
