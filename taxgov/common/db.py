"""Append-only tables: a model mixin that refuses changes, and the migration that makes the
database refuse them too (so raw SQL and ``QuerySet.update`` cannot change history either)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

Statements = dict[str, list[str]]  # by connection vendor


def append_only_sql(table: str, *, function: str, message: str) -> tuple[Statements, Statements]:
    """The SQL that makes ``table`` refuse UPDATE and DELETE, and the SQL that undoes it.

    SQLite gets two triggers; PostgreSQL one trigger calling ``function``, a plpgsql function.
    """
    forward = {
        "sqlite": [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END",
        ],
        "postgresql": [
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN RAISE EXCEPTION '{message}'; END $$",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {function}()",
        ],
    }
    backward = {
        "sqlite": [f"DROP TRIGGER {table}_no_update", f"DROP TRIGGER {table}_no_delete"],
        "postgresql": [f"DROP TRIGGER {table}_append_only ON {table}", f"DROP FUNCTION {function}()"],
    }
    return forward, backward


def _run(statements: Statements):  # type: ignore[no-untyped-def]
    def apply(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


def append_only(table: str, *, function: str, message: str) -> migrations.RunPython:
    """A reversible migration operation after which the database itself refuses changes to ``table``."""
    forward, backward = append_only_sql(table, function=function, message=message)
    return migrations.RunPython(_run(forward), _run(backward))


def append_only_lifted(table: str, *, function: str, message: str) -> migrations.RunPython:
    """The reverse of ``append_only``, for a migration that alters ``table``'s columns: SQLite
    does that by rebuilding the table, which loses its triggers. Put ``append_only`` back after."""
    forward, backward = append_only_sql(table, function=function, message=message)
    return migrations.RunPython(_run(backward), _run(forward))


class AppendOnlyError(Exception):
    """Rows of an append-only table are never changed or deleted; corrections are new rows."""


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} are append-only")
