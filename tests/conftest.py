"""Which tests run in which pytest process.

Django settings are per process, and each deployable has its own apps and database, so
``bin/pytest-deployables`` runs pytest once per deployable with TAXGOV_DEPLOYABLE set. A
folder named after an owner below belongs to that deployable's run; tests outside such
folders (for example the URL sweep) run in all three.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from tests.support.logged_pii import LoggedPiiCheck

TESTS_DIR = Path(__file__).resolve().parent
OWNER_OF_FOLDER = {
    "identity": "identity",
    "federal": "federal",
    "state": "state",
    "ledger": "federal",
    "common": "identity",
    "e2e": "identity",
}


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(LoggedPiiCheck(), "logged-pii-check")


def current_deployable() -> str:
    return os.environ.get("TAXGOV_DEPLOYABLE", "identity")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    try:
        parts = collection_path.relative_to(TESTS_DIR).parts
    except ValueError:
        return None
    folders = parts if collection_path.is_dir() else parts[:-1]
    for folder in folders:
        owner = OWNER_OF_FOLDER.get(folder)
        if owner is not None and owner != current_deployable():
            return True
    return None


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a Spanish request in one test leaves Spanish
    active on the thread (Django keeps the language a request activated), which would change
    what the next test's plain function calls return."""
    yield
    translation.deactivate()
