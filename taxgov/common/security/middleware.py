"""Response headers Django does not set itself, and the cap on a request's size."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render


def allow_media(response: HttpResponseBase, *devices: str) -> HttpResponseBase:
    """Let this page (and no other) use the named devices, such as ``camera``: every other
    page's policy forbids them."""
    policy = settings.TAXGOV_PERMISSIONS_POLICY
    for device in devices:
        policy = policy.replace(f"{device}=()", f"{device}=(self)")
    response.headers["Permissions-Policy"] = policy
    return response


def allow_form_action(response: HttpResponseBase, *origins: str) -> HttpResponseBase:
    """Let this page's forms lead to these origins too. A form's submission may end in a
    redirect elsewhere (the identity provider's consent page sends the browser back to the
    agency), and browsers hold that redirect to ``form-action`` as well."""
    response._csp_update = {"form-action": list(origins)}  # type: ignore[attr-defined]
    return response


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy and makes every response's CSP carry a nonce.

    django-csp adds the nonce only when something reads it; reading it here means even
    redirects and JSON answers carry one, so a page can never fall back to a policy
    without a nonce.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        str(request.csp_nonce)  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.TAXGOV_PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request that says its body is over ``TAXGOV_MAX_REQUEST_BYTES`` with a page
    that says so (413), before anything reads the body. Django caps the form fields it keeps in
    memory (``DATA_UPLOAD_MAX_MEMORY_SIZE``, a 400 past it) but writes uploaded files to disk
    whatever their size; and it never reads more than the declared length."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:  # Django reads no body then
            length = 0
        if length > settings.TAXGOV_MAX_REQUEST_BYTES:
            return render(request, "413.html", status=413)
        return self.get_response(request)
