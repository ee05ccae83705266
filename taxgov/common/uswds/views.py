"""Friendly error pages. Django calls these directly, outside URL routing and access rules."""

from __future__ import annotations

import logging
import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from taxgov.common.outages import RETRY_AFTER_SECONDS, is_outage

logger = logging.getLogger(__name__)

# Used only if the friendly 500 page itself cannot be drawn.
BARE_500 = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title></head>'
    "<body><main><h1>Something went wrong</h1><p>Please try again in a few minutes.</p></main></body></html>"
)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django refuses to read: too many fields or files, or fields too large."""
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this inside its ``except``, so the error is still at hand: a service that
    is down gets the 503 page instead (ADR 0035)."""
    if is_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("the 500 page could not be rendered")
        return HttpResponseServerError(BARE_500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The page for a service that is down. It is drawn without the database (the page
    layout asks who is signed in), so it is plain, and in the request's language."""
    title = _("This service is briefly unavailable")
    text = _(
        "Part of our system is not answering. Nothing you entered was saved unless you saw a "
        "confirmation. Please try again in a few minutes."
    )
    language = escape(getattr(request, "LANGUAGE_CODE", "en"))
    page = (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
        f'<p>{escape(text)}</p><p><a href="/">{escape(_("Go to the home page"))}</a></p></main></body></html>'
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
