"""Prometheus metrics (ADR 0032).

Labels are bounded: a route is the URL pattern's name, never the path; an event is a name from
``EVENT_OF_TAG``, never a tag taken from the caller; nothing a person typed becomes a label.
Under gunicorn, when ``PROMETHEUS_MULTIPROC_DIR`` is set, each worker writes its values to that
folder and a scrape merges them all (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

import redis
from django.conf import settings
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from taxgov.common.observability.broker import queue_depth, redis_broker

logger = logging.getLogger(__name__)

REGISTRY = CollectorRegistry()
HTTP_REQUESTS = Counter(
    "taxgov_http_requests",
    "Requests answered, by method, route (the URL pattern's name) and status.",
    ["deployable", "method", "route", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "taxgov_http_request_duration_seconds",
    "Time to answer a request, by route (the URL pattern's name).",
    ["deployable", "route"],
    registry=REGISTRY,
)
EVENTS = Counter(
    "taxgov_events",
    "Outcomes recorded in the audit log (sign-in, identity verification, payments), by event and method.",
    ["deployable", "event", "method"],
    registry=REGISTRY,
)

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# The audit tags counted, and the event each counts as. The tags are the owning apps' (tags.py);
# a unit test checks each one still exists. Several tags may share an event: the deployable
# label tells them apart. ADR 0032 says what each event means.
EVENT_OF_TAG: Mapping[str, str] = {
    # Sign-in: identity and state (their own passwords and second factors), federal (OpenID Connect).
    "security:signin:failed": "signin_password_refused",
    "security:signin:locked": "signin_locked",
    "security:second_factor:verified": "second_factor_accepted",
    "security:second_factor:failed": "second_factor_refused",
    "security:recovery_codes:used": "recovery_code_used",
    "security:signin:succeeded": "signin_completed",
    "federal:signin:signed_in": "signin_completed",
    "federal:signin:failed": "signin_refused",
    # Identity verification.
    "identity:verification:verified": "idv_verified",
    "identity:verification:not_verified": "idv_not_verified",
    "identity:verification:step_failed": "idv_step_failed",
    "identity:verification:submitted_for_video_call": "idv_referred_to_agent",
    "identity:verification:more_documents_asked": "idv_more_documents_asked",
    "identity:verification:fraud_hold_placed": "idv_fraud_hold_placed",
    # Payments: federal, then state.
    "federal:payment:scheduled": "payment_made",
    "federal:payment:canceled": "payment_canceled",
    "federal:payment:processed": "payment_processed",
    "federal:payment:returned": "payment_returned",
    "money:payment:scheduled": "payment_made",
    "money:payment:cancelled": "payment_canceled",
    "money:payment:posted": "payment_processed",
}
# The ``method`` label: how a person verified (``extra["method"]``) or which second factor they
# used (``extra["kind"]``); anything else is left out.
METHODS = frozenset({"self_service", "video_agent", "totp", "sms", "voice", "email", "webauthn"})


def observe_request(*, method: str, route: str, status: int, seconds: float) -> None:
    deployable = settings.TAXGOV_DEPLOYABLE
    method = method if method in HTTP_METHODS else "other"
    HTTP_REQUESTS.labels(deployable, method, route, str(status)).inc()
    HTTP_DURATION.labels(deployable, route).observe(seconds)


def count_event(tag: str, extra: Mapping[str, Any]) -> None:
    """Count an audit event if its tag is one of ``EVENT_OF_TAG`` (``record_event`` calls this
    once the event is committed)."""
    event = EVENT_OF_TAG.get(str(tag))
    if event is None:
        return
    # Both payment tags say a payment was made; one dated after today is a scheduled one.
    if event == "payment_made" and str(extra.get("pay_on", "")) > timezone.localdate().isoformat():
        event = "payment_scheduled"
    method = str(extra.get("method") or extra.get("kind") or "")
    EVENTS.labels(settings.TAXGOV_DEPLOYABLE, event, method if method in METHODS else "").inc()


class QueueDepthCollector(Collector):
    """``taxgov_task_queue_depth``: read from the broker at scrape time, when it is Redis."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        client = redis_broker()
        if client is None:
            return
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        try:
            depth = queue_depth(client, queue)
        except redis.RedisError as error:  # the scrape goes on without it; readiness reports the broker
            logger.debug("queue depth unavailable: %s", type(error).__name__)
            return
        finally:
            client.close()
        gauge = GaugeMetricFamily(
            "taxgov_task_queue_depth", "Tasks waiting in the broker's queue.", labels=["deployable", "queue"]
        )
        gauge.add_metric([settings.TAXGOV_DEPLOYABLE, queue], depth)
        yield gauge


QUEUE_DEPTH = QueueDepthCollector()
REGISTRY.register(QUEUE_DEPTH)


def exposition() -> bytes:
    """The text exposition of this deployable's metrics: this process's, or every worker's
    merged from the multiprocess folder."""
    registry = REGISTRY
    if settings.TAXGOV_METRICS_MULTIPROC_DIR:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=settings.TAXGOV_METRICS_MULTIPROC_DIR)  # type: ignore[no-untyped-call]
        registry.register(QUEUE_DEPTH)
    return generate_latest(registry)
