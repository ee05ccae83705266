"""Fixtures shared by the shared-kernel integration tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def outbox_backend(settings):
    """pytest-django swaps in Django's locmem e-mail backend; use the project's outbox, as in development."""
    settings.EMAIL_BACKEND = "taxgov.common.messaging.outbox.OutboxEmailBackend"
