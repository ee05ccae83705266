"""What a request does when a service behind it is down (ADR 0035).

- The database, the rate-limit store or the task broker unreachable: the request fails with a
  503 page that says to try again, with Retry-After, never a stack trace (``server_error``
  asks ``is_outage``). Rate limits fail closed: an action that must be counted is refused
  when it cannot be counted, so sign-in is never open to unlimited guessing.
- The cache unreachable: ``DegradingRedisCache`` answers as if it were empty and drops
  writes, so pages are computed instead of cached. Only content-keyed or short-lived values
  are cached; sessions live in the database alone, so a missed delete can never bring back
  a signed-out session when Redis returns.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGES: tuple[type[BaseException], ...] = (
    DatabaseOperationalError,
    DatabaseInterfaceError,
    RedisConnectionError,
    RedisTimeoutError,
    BrokerOperationalError,
)
RETRY_AFTER_SECONDS = 30


def is_outage(error: BaseException | None) -> bool:
    """Whether ``error`` (or what it was raised from) says a backing service is unreachable."""
    while error is not None:
        if isinstance(error, OUTAGES):
            return True
        error = error.__cause__ or error.__context__
    return False


_REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


class DegradingRedisCache(RedisCache):
    """Django's Redis cache that treats an unreachable Redis as an empty cache."""

    def _down(self, operation: str) -> None:
        logger.warning("cache unavailable; %s skipped", operation)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except _REDIS_DOWN:
            self._down("get")
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except _REDIS_DOWN:
            self._down("get_many")
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except _REDIS_DOWN:
            self._down("has_key")
            return False

    def add(self, key: Any, value: Any, timeout: Any = 300, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except _REDIS_DOWN:
            self._down("add")
            return False

    def set(self, key: Any, value: Any, timeout: Any = 300, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except _REDIS_DOWN:
            self._down("set")

    def set_many(self, data: dict[Any, Any], timeout: Any = 300, version: int | None = None) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except _REDIS_DOWN:
            self._down("set_many")
            return list(data)
