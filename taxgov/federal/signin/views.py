"""Sign in through the identity provider and back, and sign out of both.

``start`` keeps a state, a nonce and a PKCE verifier in the session (several tabs may sign
in at once) and sends the browser to the provider; ``callback`` accepts only a state it
issued, redeems the code server to server and checks everything before signing in.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from taxgov.common.access.rules import PUBLIC, access_rule
from taxgov.common.security.redirects import safe_next
from taxgov.federal.signin import actions, identity, provider

PENDING_KEY = "federal.signin.pending"
ID_TOKEN_KEY = "federal.signin.id_token"  # noqa: S105 (a session key's name)
LOGOUT_STATE_KEY = "federal.signin.logout_state"
PENDING_SECONDS = 30 * 60  # a sign-in not finished in half an hour starts again
MAX_PENDING = 5  # tabs signing in at once


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("federal_signin:callback"))


@access_rule(PUBLIC)
@require_GET
def start(request: HttpRequest) -> HttpResponseBase:
    """Off to the provider, asking for a verified identity. ``level=verified`` is a step-up
    from a page that needs more than this session has."""
    pending = provider.Request(
        state=secrets.token_urlsafe(24),
        nonce=secrets.token_urlsafe(24),
        verifier=secrets.token_urlsafe(64),
        acr=provider.config()["acr_verified"],
    )
    now = time.time()
    kept = {
        state: entry
        for state, entry in request.session.get(PENDING_KEY, {}).items()
        if now - entry["at"] < PENDING_SECONDS
    }
    kept = dict(sorted(kept.items(), key=lambda item: item[1]["at"])[-(MAX_PENDING - 1) :])
    kept[pending.state] = {
        "nonce": pending.nonce,
        "verifier": pending.verifier,
        "acr": pending.acr,
        "next": safe_next(request),
        "at": now,
    }
    request.session[PENDING_KEY] = kept
    try:
        url = provider.authorization_url(pending, redirect_uri=_callback_url(request))
    except provider.SignInError as error:
        actions.do_note_failed_sign_in(error.reason, request=request)
        return render(request, "signin/unavailable.html", status=503)
    return HttpResponseRedirect(url)


def _refused(request: HttpRequest, reason: str, *, template: str = "signin/failed.html") -> HttpResponse:
    actions.do_note_failed_sign_in(reason, request=request)
    return render(request, template, status=400)


@access_rule(PUBLIC)
@require_GET
def callback(request: HttpRequest) -> HttpResponseBase:
    entries: dict[str, Any] = request.session.get(PENDING_KEY, {})
    entry = entries.pop(request.GET.get("state", ""), None)
    request.session[PENDING_KEY] = entries
    if entry is None or time.time() - entry["at"] >= PENDING_SECONDS:
        return _refused(request, "unknown or expired state")
    issuer = request.GET.get("iss")
    try:
        if issuer is not None and issuer != provider.metadata()["issuer"]:
            return _refused(request, "authorization response from another issuer")  # RFC 9207
    except provider.SignInError as error:
        return _refused(request, error.reason, template="signin/unavailable.html")
    if request.GET.get("error"):
        answered = request.GET["error"][:40]
        template = "signin/declined.html" if answered == "access_denied" else "signin/failed.html"
        if not (answered.isascii() and answered.isprintable()):  # not an error code (RFC 6749 4.1.2.1),
            answered = "an error that is not a code"  # and a NUL would not fit in the audit event
        return _refused(request, f"provider answered {answered}", template=template)
    pending = provider.Request(state="", nonce=entry["nonce"], verifier=entry["verifier"], acr=entry["acr"])
    try:
        tokens = provider.redeem(request.GET.get("code", ""), pending, redirect_uri=_callback_url(request))
        claims = provider.verify_id_token(str(tokens.get("id_token", "")), pending)
        if claims.get("acr") != pending.acr:
            raise provider.SignInError(f"acr {claims.get('acr')!r} is not the one asked for")
        released = provider.userinfo(str(tokens["access_token"]), claims["sub"])
    except provider.SignInError as error:
        return _refused(request, error.reason)
    user = actions.do_sign_in(claims["sub"], acr=claims["acr"], request=request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    identity.remember(request.session, _identity_of(claims, released, verified=claims["acr"] == pending.acr))
    request.session[ID_TOKEN_KEY] = tokens["id_token"]
    return redirect(entry["next"] or settings.LOGIN_REDIRECT_URL)


def _identity_of(claims: dict[str, Any], released: dict[str, Any], *, verified: bool) -> identity.SignedInIdentity:
    birthdate = released.get("birthdate")
    return identity.SignedInIdentity(
        subject=str(claims["sub"]),
        acr=str(claims["acr"]),
        verified=verified,
        auth_time=int(claims.get("auth_time") or claims["iat"]),
        given_name=str(released.get("given_name", "")),
        family_name=str(released.get("family_name", "")),
        birthdate=dt.date.fromisoformat(birthdate) if isinstance(birthdate, str) and birthdate else None,
        ssn="".join(ch for ch in str(released.get("social_security_number", "")) if ch.isdigit()),
        address={key: str(value) for key, value in (released.get("address") or {}).items()},
        email=str(released.get("email", "")),
    )


@access_rule(PUBLIC)
@require_POST
def sign_out(request: HttpRequest) -> HttpResponseBase:
    """Sign out here, then at the provider, which sends the person back to ``signed_out``."""
    id_token = request.session.get(ID_TOKEN_KEY, "")
    if request.user.is_authenticated:
        actions.do_note_sign_out(request=request)
    logout(request)
    state = secrets.token_urlsafe(16)
    request.session[LOGOUT_STATE_KEY] = state
    back = request.build_absolute_uri(reverse("federal_signin:signed_out"))
    at_provider = provider.logout_url(id_token=id_token, redirect_uri=back, state=state)
    return HttpResponseRedirect(at_provider or back)


@access_rule(PUBLIC)
@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    expected = request.session.pop(LOGOUT_STATE_KEY, None)
    if expected and request.GET.get("state") == expected:
        messages.success(request, _("You signed out of your online account and of your sign-in account."))
    return render(request, "signin/signed_out.html")
