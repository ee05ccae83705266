"""Friendly error pages. Django calls these directly, outside URL routing and access rules."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render

logger = logging.getLogger(__name__)

# Used only if the friendly 500 page itself cannot be drawn.
BARE_500 = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title></head>'
    "<body><main><h1>Something went wrong</h1><p>Please try again in a few minutes.</p></main></body></html>"
)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("the 500 page could not be rendered")
        return HttpResponseServerError(BARE_500)
