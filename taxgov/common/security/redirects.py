"""Where a page may send someone next: never off this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest) -> str:
    """The request's ``next`` if it is a path on this site, else "" (nor a bare word, which
    ``redirect()`` would take for a view name)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure())
    return candidate if allowed and candidate.startswith("/") else ""
