"""The OpenID Connect provider's endpoints: discovery and the JWKS (public, cached briefly),
authorization with its consent page, token, userinfo, RP-initiated logout, disconnecting
an agency from the account page, and the staff pages that register clients."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import AccessDeniedError, InvalidRequestError, scope_to_list
from authlib.oidc.core.errors import ConsentRequiredError, InteractionRequiredError, LoginRequiredError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from taxgov.common.access.rules import PUBLIC, SIGNED_IN, access_rule
from taxgov.identity.oidc import access, actions, claims, queries, returning, server
from taxgov.identity.oidc.forms import ClientRegistrationForm
from taxgov.identity.oidc.models import AuthMethod, Client
from taxgov.identity.signin.views import passed_second_step, require_fresh_second_step, sign_in_facts
from taxgov.identity.verification.queries import verified_identity


@access_rule(PUBLIC)
@require_GET
@cache_control(public=True, max_age=300)
def discovery(request: HttpRequest) -> JsonResponse:
    issuer = queries.issuer(request)
    return JsonResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/openid/authorize",
            "token_endpoint": f"{issuer}/openid/token",
            "userinfo_endpoint": f"{issuer}/openid/userinfo",
            "jwks_uri": f"{issuer}/openid/jwks",
            "end_session_endpoint": f"{issuer}/openid/logout",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": [method.value for method in AuthMethod],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": list(claims.SCOPE_CLAIMS),
            "claims_supported": claims.supported_claims(),
            "acr_values_supported": claims.supported_acr_values(),
            "prompt_values_supported": ["none", "login", "consent"],
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
            "authorization_response_iss_parameter_supported": True,
            "ui_locales_supported": ["en", "es"],
        }
    )


@access_rule(PUBLIC)
@require_GET
@cache_control(public=True, max_age=300)
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"keys": [key.public_jwk for key in queries.published_keys(timezone.now())]})


# --- Authorization endpoint ---------------------------------------------------------------------

LOGIN_AFTER_KEY = "oidc.login_after"


def _canonical_request(request: HttpRequest) -> str:
    """The authorization request as a URL on this site, to come back to after signing in,
    verifying or consenting."""
    return f"{reverse('oidc:authorize')}?{request.GET.urlencode()}"


def _request_key(request: HttpRequest) -> str:
    return hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]


def _with_issuer(response: HttpResponseBase, issuer: str) -> HttpResponseBase:
    """RFC 9207: every authorization response names its issuer, errors included."""
    location = response.get("Location")
    if location:
        separator = "&" if "?" in location else "?"
        response["Location"] = f"{location}{separator}{urlencode({'iss': issuer})}"
    return response


def _refuse(request: HttpRequest, oidc: server.Provider, error: OAuth2Error) -> HttpResponseBase:
    """Send an error back to a client whose redirect URI checked out; otherwise tell the
    person here, and never redirect to an address not registered (RFC 6749 4.1.2.1)."""
    if error.redirect_uri:
        status, body, headers = error()
        return _with_issuer(oidc.handle_response(status, body, headers), oidc.issuer)
    return render(
        request,
        "oidc/error.html",
        {"error": error.error, "description": error.get_error_description()},
        status=400,
    )


def _needs_sign_in(request: HttpRequest, prompts: set[str], data: dict[str, str]) -> bool:
    """Whether the person must sign in (again) before a code is issued: nobody is signed in,
    the second step was skipped for a remembered browser, ``prompt=login`` asks for a new
    sign-in, or the last one is older than ``max_age``."""
    facts = sign_in_facts(request)
    if facts is None or not passed_second_step(request):
        return True
    signed_at = facts[0]
    login_after: dict[str, float] = request.session.get(LOGIN_AFTER_KEY, {})
    key = _request_key(request)
    if "login" in prompts:
        if key not in login_after:
            request.session[LOGIN_AFTER_KEY] = {**login_after, key: time.time()}
            return True
        if signed_at < login_after[key]:
            return True
    max_age = data.get("max_age", "")
    if max_age:
        if not max_age.isdigit():
            raise InvalidRequestError("'max_age' must be a number of seconds.")
        return time.time() - signed_at > int(max_age)
    return False


def _requested_acr(data: dict[str, str], client: Client) -> str:
    """The first ``acr_values`` entry this client may ask for; with none asked, the client's
    lowest allowed level. Asking only for levels it may not have is an error."""
    asked = data.get("acr_values", "").split()
    allowed = [value for value in claims.supported_acr_values() if value in client.acr_values]
    if not asked:
        return allowed[0]
    for value in asked:
        if value in allowed:
            return value
    raise InvalidRequestError("None of the 'acr_values' is allowed for this client.")


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponseBase:
    """OpenID Connect Core 3.1.2: sign in (again if asked), verify identity if the client asks
    for IAL2 and the person has not, consent once per agency, then a code to the client."""
    oidc = server.provider(request)
    user = request.user if request.user.is_authenticated else None
    grant = None
    try:
        grant = oidc.get_consent_grant(request, end_user=user)
        client: Client = grant.request.client.record
        data = grant.request.payload.data
        acr = _requested_acr(data, client)
        prompts = set(data.get("prompt", "").split())
        if _needs_sign_in(request, prompts, data):
            if "none" in prompts:
                raise LoginRequiredError(redirect_uri=grant.redirect_uri)
            require_fresh_second_step(request)
            return redirect(f"{settings.LOGIN_URL}?{urlencode({'next': _canonical_request(request)})}")
        assert user is not None  # noqa: S101 (_needs_sign_in found someone signed in)
        if acr == claims.acr_verified() and verified_identity(user.pk) is None:
            if "none" in prompts:
                raise InteractionRequiredError(redirect_uri=grant.redirect_uri)
            returning.remember_return(request, url=_canonical_request(request), agency=client.name)
            return redirect("verification:start")
        scopes = scope_to_list(grant.request.scope) or []
        if request.method == "POST":
            if request.POST.get("decision") != "allow":
                actions.do_refuse_consent(client, request=request)
                raise AccessDeniedError(redirect_uri=grant.redirect_uri)
            actions.do_grant_consent(user.pk, client, scopes, request=request)
        else:
            consent = queries.live_consent(user.pk, client)
            if "consent" in prompts or not queries.consent_covers(consent, scopes, client):
                if "none" in prompts:
                    raise ConsentRequiredError(redirect_uri=grant.redirect_uri)
                return render(request, "oidc/consent.html", _consent_context(request, client, scopes, acr))
        signed_at, amr = sign_in_facts(request) or (time.time(), [])
        oidc.sign_in = server.SignIn(acr=acr, amr=amr, auth_time=dt.datetime.fromtimestamp(signed_at, tz=dt.UTC))
    except OAuth2Error as error:
        error.state = request.GET.get("state")
        if grant is not None and not error.redirect_uri:
            error.redirect_uri = grant.redirect_uri
        return _refuse(request, oidc, error)
    returning.forget_return(request)
    request.session[LOGIN_AFTER_KEY] = {
        key: at for key, at in request.session.get(LOGIN_AFTER_KEY, {}).items() if key != _request_key(request)
    }
    issued: HttpResponseBase = oidc.create_authorization_response(request, grant_user=user, grant=grant)
    return _with_issuer(issued, oidc.issuer)


def _consent_context(request: HttpRequest, client: Client, scopes: list[str], acr: str) -> dict[str, Any]:
    return {
        "client": client,
        "shared": claims.shared_with(scopes, client.claims),
        "verified": acr == claims.acr_verified(),
        "action": _canonical_request(request),
    }


# --- Token and userinfo endpoints ---------------------------------------------------------------


@access_rule(PUBLIC)
@csrf_exempt  # a client's server calls it; it authenticates itself instead
@require_POST
def token(request: HttpRequest) -> HttpResponseBase:
    """RFC 6749 4.1.3 with the client authenticated by ``private_key_jwt`` or
    ``client_secret_basic``. A refused request leaves its code as it was; what survives the
    refusal is its audit event, the client assertion it spent, and, for a code presented a
    second time, the revocation of the tokens that code gave."""
    oidc = server.provider(request)
    with transaction.atomic():
        response: HttpResponseBase = oidc.create_token_response(request)
        refused = response.status_code != 200
        if refused:
            transaction.set_rollback(True)
        else:
            oidc.write_token()  # last: its audit event locks the chain until the commit
    if refused:
        error = json.loads(getattr(response, "content", b"") or b"{}").get("error", "")
        actions.do_note_refused_token_request(str(error), oidc.spent, request=request)
    if oidc.replayed_code is not None:
        actions.do_revoke_replayed_code(oidc.replayed_code)
    response["Cache-Control"] = "no-store"
    return response


def _bearer_error(error: str, description: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["WWW-Authenticate"] = f'Bearer error="{error}", error_description="{description}"'
    return response


@access_rule(PUBLIC)
@csrf_exempt  # a client's server calls it with a bearer token, never a browser's cookies
@require_http_methods(["GET", "POST"])
def userinfo(request: HttpRequest) -> HttpResponseBase:
    """OpenID Connect Core 5.3: the claims of the token's scopes (RFC 6750 bearer token)."""
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential:
        response = JsonResponse({}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="userinfo"'
        return response
    access = queries.live_access_token(credential.strip(), timezone.now())
    if access is None:
        return _bearer_error("invalid_token", "The access token is not valid.", 401)
    consent = queries.live_consent(access.user_id, access.client)
    granted = set(access.scope.split()) & set(consent.scopes if consent else [])
    allowed = sorted(set(access.client.claims) & set(consent.claims if consent else []))
    subject = queries.subject_for(access.user_id, access.client)
    response = JsonResponse(claims.released_claims(access.user, subject, granted, access.acr, allowed))
    response["Cache-Control"] = "no-store"
    return response


# --- RP-initiated logout -----------------------------------------------------------------------


LOGOUT_FIELDS = ("id_token_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales")


def _hinted_client(hint: str, now: dt.datetime) -> tuple[Client | None, str]:
    """The client and subject an ``id_token_hint`` names, if we signed it (it may have expired)."""
    try:
        keys = KeySet.import_key_set({"keys": [key.public_jwk for key in queries.published_keys(now)]})
        decoded = jwt.decode(hint, keys, algorithms=["RS256"])
    except (JoseError, ValueError):
        return None, ""
    audience = decoded.claims.get("aud")
    client_id = audience[0] if isinstance(audience, list) and audience else audience
    client = queries.enabled_client(str(client_id or ""))
    return client, str(decoded.claims.get("sub", ""))


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponseBase:
    """OpenID Connect RP-Initiated Logout 1.0. With a valid ``id_token_hint`` for the person
    signed in here, sign out at once; otherwise ask first, so no other site can sign people
    out. Back to the client only at a post-logout address it registered."""
    data = request.POST if request.method == "POST" else request.GET
    client, subject = _hinted_client(data.get("id_token_hint", ""), timezone.now())
    client_id = data.get("client_id", "")
    if client is None and client_id:
        client = queries.enabled_client(client_id)
    if client is not None and client_id and client.client_id != client_id:
        client = None
    target = data.get("post_logout_redirect_uri", "")
    if target and (client is None or target not in client.post_logout_redirect_uris):
        return render(request, "oidc/error.html", {"error": "invalid_request", "description": ""}, status=400)
    user = request.user if request.user.is_authenticated else None
    hinted_here = user is not None and client is not None and subject == queries.subject_for(user.pk, client)
    confirmed = request.method == "POST" and request.POST.get("decision") == "sign-out"
    if user is not None and not (hinted_here or confirmed):
        return render(
            request,
            "oidc/logout.html",
            {"client": client, "fields": {key: data[key] for key in LOGOUT_FIELDS if data.get(key)}},
        )
    if user is not None:
        actions.do_note_sign_out(client, request=request)
        auth_logout(request)
    if target:
        state = data.get("state")
        return redirect(f"{target}{'&' if '?' in target else '?'}{urlencode({'state': state})}" if state else target)
    messages.success(request, _("You signed out."))
    return redirect("home:index")


# --- Connected agencies on the account page ------------------------------------------------------


@access_rule(SIGNED_IN)
@require_POST
def disconnect(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    consent = access.own_consent(request, public_id)
    actions.do_revoke_consent(consent, request=request)
    messages.success(
        request,
        _("%(agency)s is no longer connected. It will ask you again the next time you sign in there.")
        % {"agency": consent.client.name},
    )
    return redirect("account:index")


# --- Staff: the registered clients --------------------------------------------------------------


@access_rule(access.CLIENT_MANAGER)
@require_GET
def clients(request: HttpRequest) -> HttpResponseBase:
    return render(request, "oidc/staff/clients.html", {"clients": queries.registered_clients()})


def _save_client(request: HttpRequest, form: ClientRegistrationForm) -> HttpResponseBase:
    secret = secrets.token_urlsafe(32) if form.makes_a_secret() else None
    client, created = actions.do_register_client(form.cleaned_data, secret=secret, request=request)
    if secret is not None:
        response = render(request, "oidc/staff/secret.html", {"client": client, "secret": secret})
        response["Cache-Control"] = "no-store"
        return response
    message = _("%(name)s is registered.") if created else _("%(name)s is changed.")
    messages.success(request, message % {"name": client.name})
    return redirect("oidc:clients")


@access_rule(access.CLIENT_MANAGER)
@require_http_methods(["GET", "POST"])
def new_client(request: HttpRequest) -> HttpResponseBase:
    form = ClientRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _save_client(request, form)
    return render(request, "oidc/staff/client_form.html", {"form": form, "client": None})


@access_rule(access.CLIENT_MANAGER)
@require_http_methods(["GET", "POST"])
def change_client(request: HttpRequest, client_id: str) -> HttpResponseBase:
    client = access.registered_client(request, client_id)
    form = ClientRegistrationForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        return _save_client(request, form)
    return render(request, "oidc/staff/client_form.html", {"form": form, "client": client})


@access_rule(access.CLIENT_MANAGER)
@require_POST
def switch_client(request: HttpRequest, client_id: str) -> HttpResponseBase:
    """Disable or enable the client, as the button said: a second click or a stale tab asks for
    what is already so, and changes nothing."""
    client = access.registered_client(request, client_id)
    wanted = request.POST.get("action")
    if wanted not in ("disable", "enable") or (wanted == "disable") != client.is_enabled:
        return redirect("oidc:clients")
    if wanted == "disable":
        revoked = actions.do_disable_client(client, request=request)
        messages.success(
            request,
            ngettext(
                "%(name)s is disabled. %(count)d access token was revoked.",
                "%(name)s is disabled. %(count)d access tokens were revoked.",
                revoked,
            )
            % {"name": client.name, "count": revoked},
        )
    else:
        actions.do_enable_client(client, request=request)
        messages.success(request, _("%(name)s is enabled.") % {"name": client.name})
    return redirect("oidc:clients")
