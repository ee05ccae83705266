"""Readiness: can this process serve requests now? Each check is small and fails fast; the
answer names the checks, never hosts, URLs, versions or error messages."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection

from taxgov.common.observability.broker import redis_broker

logger = logging.getLogger(__name__)

OK, FAILED, SKIPPED = "ok", "failed", "skipped"


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def _cache() -> str:
    key, value = "observability:readyz", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    return OK if cache.get(key) == value else FAILED


def _broker() -> str:
    """Only a Redis broker is checked; the development broker is a SQLite file."""
    client = redis_broker()
    if client is None:
        return SKIPPED
    try:
        client.ping()
    finally:
        client.close()
    return OK


CHECKS: dict[str, Callable[[], str]] = {"database": _database, "cache": _cache, "broker": _broker}


def readiness() -> dict[str, str]:
    """Each check's result: ok, failed or skipped."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # noqa: BLE001 (any failure means not ready; the probe gets 503, not a 500 page)
            logger.warning("readiness check %s failed: %s", name, type(error).__name__)
            results[name] = FAILED
    return results
