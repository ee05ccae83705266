"""Celery: tasks queued during a request carry its id, workers log through ``LOGGING``, and
no log shows a task's arguments."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

from taxgov.common.observability.context import REQUEST_ID, current_request_id, well_formed

TASK_HEADER = "taxgov_request_id"


def _send_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = current_request_id()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


def _hidden(args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[str, str]:
    """What the logs show of a task's arguments: how many, and the keywords' names. They are
    addresses, message text and the like; a worker logs them as it takes a task and when it ends."""
    return repr(("...",) * len(args)), repr(dict.fromkeys(kwargs, "..."))


def _hide_arguments(body: Any = None, headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    if headers is not None and body:
        headers["argsrepr"], headers["kwargsrepr"] = _hidden(body[0], body[1])


def _hide_eager_arguments(task: Any = None, args: Any = (), kwargs: Any = None, **extra: Any) -> None:
    """A task run in-process (tests, ``task_always_eager``) was never published: the same for it."""
    if task is not None and task.request.is_eager:
        task.request.argsrepr, task.request.kwargsrepr = _hidden(args or (), kwargs or {})


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
    before_task_publish.connect(_hide_arguments, weak=False, dispatch_uid="taxgov.observability.hide")
    task_prerun.connect(_adopt_request_id, weak=False, dispatch_uid="taxgov.observability.adopt")
    task_prerun.connect(_hide_eager_arguments, weak=False, dispatch_uid="taxgov.observability.hide_eager")
    task_postrun.connect(_drop_request_id, weak=False, dispatch_uid="taxgov.observability.drop")
    setup_logging.connect(_keep_django_logging, weak=False, dispatch_uid="taxgov.observability.logging")
