"""Let the pages of an authorization in progress end at the agency that asked.

Signing in, consenting and signing out are form posts whose answer may be a redirect to the
agency (the code, or the way back after logout), and browsers hold such redirects to the
page's CSP ``form-action``. So while a page serves an authorization request (the consent
page, or a sign-in step whose ``next`` is one), its policy also allows that client's
registered origins; every other page keeps ``form-action 'self'``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest, HttpResponseBase
from django.urls import NoReverseMatch, reverse

from taxgov.common.mfa.pending import PendingLogin
from taxgov.common.security.middleware import allow_form_action
from taxgov.identity.oidc.queries import client_origins


def _client_asking(request: HttpRequest) -> str:
    """The client id of the authorization request this page serves, or ""."""
    try:
        authorize, logout = reverse("oidc:authorize"), reverse("oidc:logout")
    except NoReverseMatch:  # a URLconf without the provider (some tests use their own)
        return ""
    if request.path in (authorize, logout):
        return request.GET.get("client_id", "") or request.POST.get("client_id", "")
    pending = PendingLogin.load(request) if hasattr(request, "session") else None
    after = request.POST.get("next") or request.GET.get("next") or (pending.next_url if pending else "")
    if not after.startswith(authorize + "?"):
        return ""
    return parse_qs(urlsplit(after).query).get("client_id", [""])[0]


class ClientOriginsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        client_id = _client_asking(request)
        origins = client_origins(client_id) if client_id else []
        return allow_form_action(response, *origins) if origins else response
