"""The id of the request being served: in its response header, on every log record made while
it runs, and on the Celery tasks it queues."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from taxgov.common.observability.redaction import redact

REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")

REQUEST_ID: ContextVar[str | None] = ContextVar("taxgov_request_id", default=None)


def current_request_id() -> str | None:
    return REQUEST_ID.get()


def well_formed(value: str | None) -> bool:
    """Bounded, safe characters, and nothing the PII guard would mask (a caller could send an
    SSN as its id)."""
    return value is not None and _WELL_FORMED.fullmatch(value) is not None and redact(value) == value


def accepted_request_id(incoming: str | None) -> str:
    """The caller's id (a proxy or another service) if well formed, else a new one. New ids are
    UUIDs with dashes, which no redaction pattern matches."""
    return incoming if well_formed(incoming) and incoming is not None else str(uuid.uuid4())
