"""Every deployable gives requests an id, logs through the observability filters, and serves
/healthz, /readyz and /metrics (ADR 0032). Runs once per deployable."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings

from tests.conftest import current_deployable

pytestmark = pytest.mark.django_db


def test_the_observability_middleware_comes_first():
    assert settings.MIDDLEWARE[0] == "taxgov.common.observability.middleware.RequestObservabilityMiddleware"


def test_every_log_line_passes_the_request_id_and_pii_filters():
    """In the deployable's own settings: the test overlay leaves the PII guard out, so tests see
    what the code logs."""
    logging = importlib.import_module(f"config.settings.{current_deployable()}").LOGGING
    assert logging["handlers"]["console"]["filters"] == ["context", "pii"]
    assert logging["filters"]["context"]["deployable"] == current_deployable()


def test_probes_and_scrapers_reach_this_deployable(client):
    for path in ("/healthz", "/readyz"):
        response = client.get(path, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 200, path
        assert response["X-Request-ID"]
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 404


def test_counts_carry_this_deployables_name(client):
    client.get("/healthz")

    body = client.get("/metrics").content.decode()

    assert f'deployable="{current_deployable()}",method="GET",route="observability:healthz",status="200"' in body
