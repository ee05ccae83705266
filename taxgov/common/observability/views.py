"""Liveness, readiness and metrics. No session, cookie or template: probes and scrapers only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from taxgov.common.access.rules import PUBLIC, access_rule
from taxgov.common.observability.access import METRICS_READER
from taxgov.common.observability.health import FAILED, readiness
from taxgov.common.observability.metrics import exposition


@access_rule(PUBLIC)
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: nothing else is checked, so a dependency's outage does not get every
    process restarted."""
    return JsonResponse({"status": "ok"})


@access_rule(PUBLIC)
@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """503 while any dependency fails, so the load balancer sends requests elsewhere."""
    checks = readiness()
    ready = FAILED not in checks.values()
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


@access_rule(METRICS_READER)
@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
