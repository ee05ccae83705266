"""Logs (request ids, JSON in production, the PII guard) and the audit events metrics count."""

from __future__ import annotations

import enum
import importlib
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from celery.app.task import Context
from django.utils.module_loading import import_string
from prometheus_client import generate_latest

import taxgov
from config.settings.base import logging_config
from taxgov.common.observability import signals
from taxgov.common.observability.context import REQUEST_ID, accepted_request_id, well_formed
from taxgov.common.observability.logs import PiiFilter
from taxgov.common.observability.metrics import EVENT_OF_TAG, REGISTRY, count_event
from taxgov.common.observability.redaction import redact, redact_value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ssn 123-45-6789", "ssn [redacted-tin]"),
        ("itin 912 70 1234.", "itin [redacted-tin]."),
        ("tin=123456789", "tin=[redacted-tin]"),
        ("ein 12-3456789", "ein [redacted-tin]"),
        ("to Pat.Lee+tax@mail.example.gov today", "to [redacted-email] today"),
        ("call (555) 555-0100", "call [redacted-phone]"),
        ("call 555-555-0100 or 555.555.0101", "call [redacted-phone] or [redacted-phone]"),
        ("text +1 555 555 0100", "text [redacted-phone]"),
        ("e164 +15555550100 and +442071838750", "e164 [redacted-phone] and [redacted-phone]"),
        ("plain 5555550100", "plain [redacted-phone]"),
    ],
)
def test_personal_data_is_masked(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "user:42 paid 1234.56 on 2026-11-22 from 127.0.0.1",
        "request 0f5c2a44-1b7e-4e0a-9a55-123456789012",  # a UUID
        "hash a123456789b and 3.141592653 and 1234567890123",  # inside words, decimals, longer numbers
        "GET /account/payments/8d3f2c1a-0000-4000-8000-000000000001/ 200 12.5 ms",
        "taxgov-20261122-A.ach",
    ],
)
def test_ordinary_log_text_is_left_alone(text):
    assert redact(text) == text


def test_nested_extra_values_and_bare_numbers_are_masked():
    value = {"tin": 123456789, "count": 3, "ok": True, "ratio": 0.5, "who": ["pat@example.com", ("555-555-0100",)]}

    assert redact_value(value) == {
        "tin": "[redacted-tin]",
        "count": 3,
        "ok": True,
        "ratio": 0.5,
        "who": ["[redacted-email]", ("[redacted-phone]",)],
    }


def _record(msg: str, *args: object, exc_info=None, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("taxgov.test", logging.WARNING, __file__, 1, msg, args, exc_info)
    record.__dict__.update(extra)
    return record


def test_the_pii_filter_masks_the_message_extra_fields_and_traceback():
    try:
        raise ValueError("no match for 123-45-6789")
    except ValueError as error:
        record = _record(
            "sent to %s", "pat@example.com", exc_info=(type(error), error, error.__traceback__), to="+15555550100"
        )

    assert PiiFilter().filter(record) is True

    assert record.getMessage() == "sent to [redacted-email]"
    assert record.__dict__["to"] == "[redacted-phone]"
    assert record.exc_info is None
    assert "ValueError: no match for [redacted-tin]" in str(record.exc_text)
    assert "123-45-6789" not in logging.Formatter().format(record)


def test_the_pii_filter_masks_a_logged_stack():
    record = logging.LogRecord(
        "taxgov.test", logging.INFO, __file__, 1, "here", (), None, sinfo="Stack: pat@example.com"
    )

    PiiFilter().filter(record)

    assert record.stack_info == "Stack: [redacted-email]"


def test_the_pii_filter_keeps_a_record_whose_arguments_do_not_fit():
    record = _record("%d items for %s", "many")

    assert PiiFilter().filter(record) is True
    assert record.getMessage() == "%d items for %s"


@pytest.fixture
def request_id() -> Iterator[str]:
    token = REQUEST_ID.set("0f5c2a44-1b7e-4e0a-9a55-0123456789ab")
    yield "0f5c2a44-1b7e-4e0a-9a55-0123456789ab"
    REQUEST_ID.reset(token)


def _handler(config: dict[str, Any], formatter: str) -> tuple[logging.Handler, io.StringIO]:
    """The console handler ``config`` describes, writing to a buffer instead of stdout."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    spec = dict(config["formatters"][formatter])
    handler.setFormatter(import_string(spec.pop("()"))(**spec) if "()" in spec else logging.Formatter(spec["format"]))
    for name in config["handlers"]["console"]["filters"]:
        spec = dict(config["filters"][name])
        handler.addFilter(import_string(spec.pop("()"))(**spec))
    return handler, stream


@pytest.mark.logs_pii_on_purpose
def test_production_logs_one_json_object_per_line(request_id):
    config = logging_config("federal", production=True)
    assert config["handlers"]["console"]["formatter"] == "json"
    handler, stream = _handler(config, "json")
    logger = logging.getLogger("taxgov.request")

    logger.addHandler(handler)
    try:
        logger.warning(
            "GET /pay/ 200 3.0 ms", extra={"method": "GET", "path": "/pay/", "status": 200, "duration_ms": 3.0}
        )
        logger.warning("no match for %s", "123-45-6789")
    finally:
        logger.removeHandler(handler)

    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert list(first)[:6] == ["time", "level", "logger", "message", "request_id", "deployable"]
    assert first["time"].endswith("+00:00")
    assert first | {"time": None} == {
        "time": None,
        "level": "WARNING",
        "logger": "taxgov.request",
        "message": "GET /pay/ 200 3.0 ms",
        "request_id": request_id,
        "deployable": "federal",
        "method": "GET",
        "path": "/pay/",
        "status": 200,
        "duration_ms": 3.0,
    }
    assert second["message"] == "no match for [redacted-tin]"


def test_development_logs_readable_lines_with_the_request_id(request_id):
    config = logging_config("state", production=False)
    assert config["handlers"]["console"]["formatter"] == "plain"
    handler, stream = _handler(config, "plain")
    logger = logging.getLogger("taxgov.test")

    logger.addHandler(handler)
    try:
        logger.warning("hello")
    finally:
        logger.removeHandler(handler)

    assert stream.getvalue().rstrip().endswith(f"WARNING taxgov.test [{request_id}] hello")


def test_a_line_outside_any_request_says_so():
    handler, stream = _handler(logging_config("identity", production=True), "json")
    logger = logging.getLogger("taxgov.test")

    logger.addHandler(handler)
    try:
        logger.warning("between requests")
    finally:
        logger.removeHandler(handler)

    assert json.loads(stream.getvalue())["request_id"] == "-"


@pytest.mark.parametrize("incoming", ["abcdefgh", "0f5c2a44-1b7e-4e0a-9a55-0123456789ab", "lb.2026_11_22-0001"])
def test_a_well_formed_incoming_request_id_is_kept(incoming):
    assert accepted_request_id(incoming) == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        None,
        "",
        "short",
        "x" * 65,
        "has space here",
        "semi;colon-id",
        "line\nbreak-id",
        "123-45-6789",
        "pat@example.com",
    ],
)
def test_a_missing_or_malformed_request_id_is_replaced_by_a_new_one(incoming):
    replaced = accepted_request_id(incoming)

    assert replaced != incoming
    assert well_formed(replaced)
    assert len(replaced) == 36


def test_an_event_outside_the_allow_list_is_not_counted():
    count_event("identity:oidc:code_issued", {"method": "totp"})

    assert "identity:oidc" not in generate_latest(REGISTRY).decode()


def test_a_celery_worker_keeps_the_django_logging_at_the_level_it_was_given():
    root = logging.getLogger()
    level = root.level
    try:
        signals._keep_django_logging(loglevel=logging.ERROR)
        assert root.level == logging.ERROR
        signals._keep_django_logging(loglevel=None)
        assert root.level == logging.ERROR
    finally:
        root.setLevel(level)


def test_a_task_queued_outside_a_request_carries_no_id():
    headers: dict[str, str] = {}

    signals._send_request_id(headers=headers)
    signals._adopt_request_id(task=None)
    signals._drop_request_id(task=None)

    assert headers == {}
    assert REQUEST_ID.get() is None


def test_no_log_shows_a_tasks_arguments():
    """Workers log the arguments as published (headers); a task run in-process, its request's."""
    headers: dict[str, str] = {}
    arguments = (("pat@example.com",), {"to": ["pat@example.com"], "text": "SSN 900-12-3456"}, {})
    eager = SimpleNamespace(request=Context(is_eager=True))

    signals._hide_arguments(body=arguments, headers=headers)
    signals._hide_eager_arguments(task=eager, args=arguments[0], kwargs=arguments[1])

    assert headers == {"argsrepr": "('...',)", "kwargsrepr": "{'to': '...', 'text': '...'}"}
    assert (eager.request.argsrepr, eager.request.kwargsrepr) == ("('...',)", "{'to': '...', 'text': '...'}")


def _tags() -> set[str]:
    """Every audit tag the apps define (each app's ``tags.py``, whichever deployable owns it)."""
    root = Path(taxgov.__file__).parent
    found: set[str] = set()
    for path in root.rglob("tags.py"):
        name = ".".join(("taxgov", *path.relative_to(root).with_suffix("").parts))
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, type) and issubclass(value, enum.StrEnum) and value is not enum.StrEnum:
                found.update(str(member) for member in value)
    return found


def test_every_counted_event_tag_is_one_an_app_records():
    assert set(EVENT_OF_TAG) - _tags() == set()


def test_event_names_are_few_and_plain():
    events = set(EVENT_OF_TAG.values())
    assert all(name.replace("_", "").isalpha() and name.islower() for name in events)
    assert len(events) <= 30
