"""A test run fails if anything it logged holds an SSN-, ITIN- or EIN-shaped number or an
e-mail address: the code logs references (``user:42``), never the values.

The test settings leave the PII guard (``PiiFilter``) off, so this sees what the code itself
logs. For the whole session the root logger takes every level, and a handler on it (and on
each logger that does not propagate) formats every record as production would, unmasked:
message, extra fields, traceback and stack (``JsonFormatter``). What it matches is the guard's
own patterns (``redaction.TIN`` and ``redaction.EMAIL``), not a bare ``\\d{3}-?\\d{2}-?\\d{4}``:
those need the number to stand alone, so dates (2024-05-01), phone numbers (555-0123, whose
guard pattern is left out here), decimals (0.123456789), hexadecimal request ids and longer
numbers do not count, while 123-45-6789, 123 45 6789, 123456789 and 12-3456789 do.

A test that logs personal data on purpose (to prove the guard masks it) says so with
``@pytest.mark.logs_pii_on_purpose``; what is logged while it runs is not checked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from taxgov.common.observability.logs import JsonFormatter
from taxgov.common.observability.redaction import EMAIL, TIN, redact

MARKER = "logs_pii_on_purpose"
# Test tools' loggers, no deployable's: aiosmtpd, the SMTP server a test runs, logs the protocol.
TEST_TOOL_LOGGERS = frozenset({"mail.log"})
OUTSIDE_TESTS = "(outside any test)"


@dataclass(frozen=True)
class Finding:
    test: str
    logger: str
    level: str
    text: str  # masked


class RecordingHandler(logging.Handler):
    """Formats every record and keeps, masked, those that hold personal data."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.test, self.excused = OUTSIDE_TESTS, False
        self.findings: list[Finding] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.excused or record.name in TEST_TOOL_LOGGERS:
            return
        try:
            text = self.format(record)
        except (TypeError, ValueError):  # arguments that do not fit the format
            text = str(record.msg)
        if TIN.search(text) or EMAIL.search(text):
            self.findings.append(Finding(self.test, record.name, record.levelname, redact(text)))


class LoggedPiiCheck:
    def __init__(self) -> None:
        self.handler = RecordingHandler()

    def attach(self) -> None:
        """On the root logger, every level, and on each logger that does not propagate. Again
        before each test: a test that configures logging replaces the root logger's handlers."""
        root = logging.getLogger()
        if root.level > logging.DEBUG:
            for handler in root.handlers:  # the console prints what it printed before
                handler.setLevel(max(handler.level, root.level))
            root.setLevel(logging.DEBUG)
        loggers = [root, *(logger for logger in root.manager.loggerDict.values() if isinstance(logger, logging.Logger))]
        for logger in loggers:
            if (logger is root or not logger.propagate) and self.handler not in logger.handlers:
                logger.addHandler(self.handler)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.attach()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
        self.attach()
        self.handler.test, self.handler.excused = item.nodeid, item.get_closest_marker(MARKER) is not None
        try:
            return (yield)
        finally:
            self.handler.test, self.handler.excused = OUTSIDE_TESTS, False

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.handler.findings and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        findings = self.handler.findings
        if not findings:
            return
        terminalreporter.section("personal data in the logs", sep="=", red=True, bold=True)
        terminalreporter.line(f"{len(findings)} log records hold an SSN/ITIN/EIN or an e-mail address (masked here):")
        for finding in findings[:50]:
            start = max(0, finding.text.find("[redacted-") - 300)
            terminalreporter.line(f"{finding.test}: {finding.level} {finding.logger}: ...{finding.text[start:][:600]}")
        if len(findings) > 50:
            terminalreporter.line(f"... and {len(findings) - 50} more")
