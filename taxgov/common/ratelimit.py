"""Named rate limits: every guessable or costly action has one, configured in TAXGOV_RATE_LIMITS.

    limiter = rate_limiter("dev.outbox.test_email")
    if not limiter.hit(client_ip(request)):
        ...  # refuse, telling the user when to try again: limiter.resets_in(...)

Counters live in Redis in production (TAXGOV_REDIS_URL) and in process memory in
development. Identifiers are hashed (HMAC) before they are used as keys, so e-mail addresses and
IP addresses never sit in the counter store. A storage failure raises: limits fail closed.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta
from functools import lru_cache
from typing import cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter


@lru_cache(maxsize=4)
def _strategy(storage_uri: str, key_prefix: str) -> MovingWindowRateLimiter:
    """Counters under ``key_prefix``, so deployables (and test runs) sharing a Redis never
    count, or clear, each other's."""
    storage = cast(Storage, storage_from_string(storage_uri, key_prefix=key_prefix))  # synchronous for this scheme
    return MovingWindowRateLimiter(storage)


def _key(identifier: str) -> str:
    """Keyed, so the counter store cannot be reversed into addresses by trying them all."""
    return hmac.new(settings.SECRET_KEY.encode(), identifier.encode(), hashlib.sha256).hexdigest()[:32]


class RateLimiter:
    def __init__(self, name: str) -> None:
        spec = settings.TAXGOV_RATE_LIMITS.get(name)
        if spec is None:
            raise ImproperlyConfigured(f"No rate limit named {name!r} in TAXGOV_RATE_LIMITS.")
        self.name = name
        self.items: list[RateLimitItem] = parse_many(spec)
        self._strategy = _strategy(settings.TAXGOV_RATE_LIMIT_STORAGE, settings.TAXGOV_RATE_LIMIT_KEY_PREFIX)
        self._prefix = f"{settings.TAXGOV_DEPLOYABLE}:{name}"

    def _ids(self, identifiers: tuple[str, ...]) -> tuple[str, ...]:
        return (self._prefix, *(_key(identifier) for identifier in identifiers))

    def hit(self, *identifiers: str) -> bool:
        """Count one attempt; False when any window is already full (the attempt is refused)."""
        ids = self._ids(identifiers)
        if not all(self._strategy.test(item, *ids) for item in self.items):
            return False
        counted = [self._strategy.hit(item, *ids) for item in self.items]  # count in every window
        return all(counted)

    def allows(self, *identifiers: str) -> bool:
        """Whether one more attempt would be accepted, without counting it."""
        ids = self._ids(identifiers)
        return all(self._strategy.test(item, *ids) for item in self.items)

    def resets_in(self, *identifiers: str) -> timedelta:
        """How long until every window has room again (zero if it has room now)."""
        ids = self._ids(identifiers)
        now = time.time()
        waits = [
            max(0.0, self._strategy.get_window_stats(item, *ids).reset_time - now)
            for item in self.items
            if not self._strategy.test(item, *ids)
        ]
        return timedelta(seconds=round(max(waits, default=0.0)))

    def clear(self, *identifiers: str) -> None:
        ids = self._ids(identifiers)
        for item in self.items:
            self._strategy.clear(item, *ids)


def rate_limiter(name: str) -> RateLimiter:
    return RateLimiter(name)


def client_ip(request: HttpRequest) -> str:
    """The address the request came from. Behind a proxy, the deployment sets REMOTE_ADDR
    from the proxy's trusted header (a WSGI server option), never from a header here."""
    return str(request.META.get("REMOTE_ADDR", ""))


def clear_all_counters() -> None:
    """Forget every counter of this deployable's storage (tests; an operator after an incident)."""
    _strategy(settings.TAXGOV_RATE_LIMIT_STORAGE, settings.TAXGOV_RATE_LIMIT_KEY_PREFIX).storage.reset()
