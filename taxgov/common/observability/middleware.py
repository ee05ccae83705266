"""First in ``MIDDLEWARE``: gives each request its id, then logs and counts the answer."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from taxgov.common.observability.context import REQUEST_ID, REQUEST_ID_HEADER, accepted_request_id
from taxgov.common.observability.metrics import observe_request

logger = logging.getLogger("taxgov.request")

# Path arguments that are bearer secrets (links e-mailed for confirming, resetting, activating).
SECRET_PATH_ARGUMENTS = frozenset({"token", "uidb64"})


class RequestObservabilityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
        # Kept until the response is closed (``request_finished``), so Django's own lines after
        # the middleware ("Not Found: ...") carry it too.
        REQUEST_ID.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        seconds = time.perf_counter() - started
        route = _route(request)
        observe_request(method=request.method or "", route=route, status=response.status_code, seconds=seconds)
        path = _logged_path(request)
        logger.info(
            "%s %s %d %.1f ms",
            request.method,
            path,
            response.status_code,
            seconds * 1000,
            extra={
                "method": request.method,
                "path": path,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )
        return response


def forget_request_id(**kwargs: object) -> None:
    """``request_finished``: the thread serves no request until the next one sets its id."""
    REQUEST_ID.set(None)


def _route(request: HttpRequest) -> str:
    """The URL pattern's name (``payments:make``): a bounded label, unlike the path."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return str(match.view_name)
    return "static" if request.path.startswith(str(settings.STATIC_URL)) else "unmatched"


def _logged_path(request: HttpRequest) -> str:
    """The path without its query string, and without the secret in an e-mailed link."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_PATH_ARGUMENTS and value:
                path = path.replace(str(value), "[redacted]")
    return path
