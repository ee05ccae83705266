"""Every error code the verification code can raise is in the catalogue and on the docs page."""

from __future__ import annotations

import re
from pathlib import Path

from taxgov.identity.verification.errors import ERRORS

ROOT = Path(__file__).resolve().parents[3]


def test_every_code_raised_is_catalogued_and_documented():
    raised = set()
    for source in [
        *(ROOT / "taxgov" / "identity").glob("verification/**/*.py"),
        *(ROOT / "taxgov" / "identity").glob("videocall/**/*.py"),
    ]:
        raised |= set(re.findall(r'"(IDV-[A-Z]+-[0-9]{3})"', source.read_text()))
    documented = set(re.findall(r"^\| (IDV-[A-Z]+-[0-9]{3}) \|", (ROOT / "docs" / "idv-errors.md").read_text(), re.M))
    assert raised == set(ERRORS) == documented


def test_every_code_is_met_in_a_browser_test():
    """Each code is produced through the pages by some browser test (tests/e2e), which then
    opens its help page."""
    browser_tests = " ".join(source.read_text() for source in (ROOT / "tests" / "e2e").glob("test_identity_*.py"))
    assert {
        code for code in ERRORS if f'"{code}"' not in browser_tests and f"Error code: {code}" not in browser_tests
    } == set()
