"""Logging filters and the JSON formatter that ``LOGGING`` (config/settings/base.py) names.

Attached to the handler, so every record it writes passes them, whichever logger made it.
"""

from __future__ import annotations

import logging
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from taxgov.common.observability.context import current_request_id
from taxgov.common.observability.redaction import redact, redact_value

_RECORD_ATTRIBUTES = frozenset(RESERVED_ATTRS)


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` (``-`` outside a request or task) and ``deployable``."""

    def __init__(self, deployable: str = "") -> None:
        super().__init__()
        self.deployable = deployable

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        record.deployable = self.deployable
        return True


class PiiFilter(logging.Filter):
    """Masks SSN/ITIN/EIN-, e-mail- and phone-shaped text in the message, the extra fields and
    the traceback (``redaction.redact``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format: keep the format only
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        for name, value in list(vars(record).items()):
            if name not in _RECORD_ATTRIBUTES:
                setattr(record, name, redact_value(value))
        if record.exc_info:
            # Formatted and masked now; formatters use this text once exc_info is gone.
            record.exc_text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    deployable, then the record's extra fields (``method``, ``path``, ``status``, ...)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            ["levelname", "name", "message", "request_id", "deployable"],
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            # Django attaches the request object to some records: its repr carries the query string.
            reserved_attrs=[*RESERVED_ATTRS, "request", "server_time"],
            **kwargs,
        )

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {"time": log_data.pop("time"), **log_data}
