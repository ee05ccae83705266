"""The task broker, when it is Redis: readiness pings it and the queue-depth gauge reads it."""

from __future__ import annotations

import redis
from django.conf import settings

TIMEOUT_SECONDS = 2


def redis_broker() -> redis.Redis | None:
    """A client with short timeouts (close it after use), or None if the broker is not Redis."""
    url = str(settings.CELERY_BROKER_URL)
    if not url.startswith(("redis://", "rediss://")):
        return None
    return redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS)


def queue_depth(client: redis.Redis, queue: str) -> int:
    """Tasks waiting in the queue: kombu keeps them in a Redis list named after it (tasks sent
    with a priority would wait in other lists; we send none)."""
    return int(client.llen(queue))
