"""Database tricks tests need: acting as an attacker with owner rights on an append-only table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection


@contextmanager
def append_only_suspended(table: str) -> Iterator[None]:
    """Switch off ``table``'s append-only triggers, as a database owner could, and back on after."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        else:
            pytest.skip(f"no trigger switch for {connection.vendor}")
        try:
            yield
        finally:
            if connection.vendor == "sqlite":
                for _name, sql in triggers:
                    cursor.execute(sql)
            else:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
