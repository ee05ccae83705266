"""Celery: tasks queued during a request carry its id, and workers log through ``LOGGING``."""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

from taxgov.common.observability.context import REQUEST_ID, current_request_id, well_formed

TASK_HEADER = "taxgov_request_id"


def _send_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = current_request_id()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


def _adopt_request_id(task: Any = None, **kwargs: Any) -> None:
    """A task run eagerly inside the request already sees its id; one from the broker carries it."""
    value = task.request.get(TASK_HEADER) if task is not None else None
    if well_formed(value):
        REQUEST_ID.set(value)


def _drop_request_id(task: Any = None, **kwargs: Any) -> None:
    if task is not None and task.request.get(TASK_HEADER):
        REQUEST_ID.set(None)


def _keep_django_logging(loglevel: int | str | None = None, **kwargs: Any) -> None:
    """With a receiver here, Celery leaves logging as Django configured it (JSON in production,
    request ids, the PII guard) instead of replacing the root handlers; ``--loglevel`` still counts."""
    if loglevel:
        logging.getLogger().setLevel(loglevel)


def connect() -> None:
    before_task_publish.connect(_send_request_id, weak=False, dispatch_uid="taxgov.observability.send")
    task_prerun.connect(_adopt_request_id, weak=False, dispatch_uid="taxgov.observability.adopt")
    task_postrun.connect(_drop_request_id, weak=False, dispatch_uid="taxgov.observability.drop")
    setup_logging.connect(_keep_django_logging, weak=False, dispatch_uid="taxgov.observability.logging")
