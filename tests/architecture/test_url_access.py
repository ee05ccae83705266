"""Every route of this deployable declares who may reach it, and anonymous visitors are kept
out of every route that is not public. Runs once per deployable."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from taxgov.common.access.rules import DEV_TOOLS, PUBLIC
from taxgov.common.access.sweep import Route, iter_routes, unprotected_routes

OPEN_RULES = {PUBLIC, DEV_TOOLS}
SAMPLE_VALUES = {"int": "1", "str": "sample", "slug": "sample", "uuid": "00000000-0000-0000-0000-000000000000"}


def sample_path(route: Route) -> str:
    """A concrete URL for a route pattern, with sample values for its converters."""

    def fill(match: re.Match[str]) -> str:
        return SAMPLE_VALUES.get(match.group(1) or "str", "sample")

    path = re.sub(r"<(?:(\w+):)?\w+>", fill, route.pattern)
    return "/" + path.lstrip("^").rstrip("$")


def test_every_route_declares_an_access_rule():
    missing = [f"{route.pattern} ({route.view.__module__}.{route.view.__qualname__})" for route in unprotected_routes()]
    assert missing == [], "views without an access rule:\n" + "\n".join(missing)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in iter_routes() if r.rules and not OPEN_RULES.issuperset(r.rules)], ids=str)
def test_anonymous_visitors_cannot_open_protected_routes(client: Client, route: Route):
    # From another host: this host's own clients may read /metrics (METRICS_READER).
    response = client.get(sample_path(route), REMOTE_ADDR="203.0.113.7")
    assert response.status_code in (302, 401, 403, 404), f"{route.pattern} answered {response.status_code}"
    if response.status_code == 302:
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
