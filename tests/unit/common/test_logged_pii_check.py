"""The log check of a test run (tests/support/logged_pii.py), run on a small suite of its own:
personal data in a message or a traceback fails the run and is shown masked; dates, decimals,
phone numbers and request ids do not count; a test marked ``logs_pii_on_purpose`` is not checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CONFTEST = """
from tests.support.logged_pii import LoggedPiiCheck

def pytest_configure(config):
    config.pluginmanager.register(LoggedPiiCheck(), "logged-pii-check")
"""
TESTS = """
import logging

import pytest

logger = logging.getLogger("taxgov.example")

def test_ordinary_lines():
    logger.debug("request 0f5c2a44-1b7e-4e0a-9a55-0123456789ab took 0.123456789 s on 2024-05-01")
    logger.info("user:42 called 555-0123 about period 20241231 (ref 1234567890)")

def test_an_ssn_in_a_message():
    logger.info("no match for %s", "900-12-3456")

def test_an_address_in_a_traceback():
    try:
        raise ValueError("refused: pat@example.com")
    except ValueError:
        logger.exception("delivery failed")

@pytest.mark.logs_pii_on_purpose
def test_one_that_means_to():
    logger.warning("900123456")
"""


def test_personal_data_in_the_logs_fails_the_run_and_is_shown_masked(tmp_path):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_logs.py").write_text(TESTS)

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:django", "-p", "no:cacheprovider", "-W", "ignore", "."],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1, result.stdout
    assert "4 passed" in result.stdout
    assert "2 log records hold an SSN/ITIN/EIN or an e-mail address" in result.stdout
    assert "test_an_ssn_in_a_message: INFO taxgov.example: " in result.stdout
    assert "test_an_address_in_a_traceback: ERROR taxgov.example: " in result.stdout
    assert "900-12-3456" not in result.stdout
    assert "pat@example.com" not in result.stdout
