"""Writing many rows of one model at once, for batch jobs and loaders.

On PostgreSQL the rows get ids from the table's sequence, then go in by ``COPY``, which takes
a fraction of the CPU an INSERT of them does (figures in bench/results/ledger-scale.md and
settlement.md); elsewhere it is a ``bulk_create``. Either way each value goes through its
model field, so personal data is encrypted exactly as on a save.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models

RowT = TypeVar("RowT", bound=models.Model)


def insert_rows(rows: Sequence[RowT]) -> Sequence[RowT]:
    """The rows inserted, in order, each with its id (set on the objects given)."""
    if not rows:
        return rows
    database = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is consulted for every value
    if database.vendor != "postgresql":
        manager: models.Manager[RowT] = type(rows[0])._default_manager
        return manager.bulk_create(rows)
    meta = type(rows[0])._meta
    fields = meta.concrete_fields
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        quote = database.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([field.get_db_prep_save(field.pre_save(row, True), database) for field in fields])
    return rows
