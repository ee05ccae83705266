"""Sign in (password, then the person's choice among their methods), set up methods (an
authentication app, a phone for text or voice codes, recovery codes), and the re-sign-in
that guards sensitive changes.

After the password, ``PendingLogin`` holds who is signing in; ``complete_sign_in`` is the
only place that signs anyone in, and only after a second step (or a remembered browser).
"""

from __future__ import annotations

import json
import time
import urllib.parse
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taxgov.common.access.rules import PUBLIC, SIGNED_IN, AccessRule, access_rule
from taxgov.common.audit.actions import record_event
from taxgov.common.mfa import actions as mfa
from taxgov.common.mfa import recovery, totp, webauthn
from taxgov.common.mfa.display import masked_destination
from taxgov.common.mfa.models import FactorKind, SecondFactor
from taxgov.common.mfa.pending import PendingLogin
from taxgov.common.mfa.queries import confirmed_factors, has_second_step, security_keys
from taxgov.common.mfa.signin import (
    DEVICE_COOKIE,
    SETUP_FACTOR_KEY,
    check_code,
    complete_sign_in,
    minutes,
    second_step_allowed,
    second_step_passed,
    send_code,
)
from taxgov.common.ratelimit import client_ip, rate_limiter
from taxgov.common.security.redirects import safe_next
from taxgov.identity.accounts import reset as account_reset
from taxgov.identity.accounts.models import User
from taxgov.identity.accounts.notices import do_notify_security_change
from taxgov.identity.signin import forms
from taxgov.identity.signin.tags import SigninTag
from taxgov.identity.signup.forms import normalized_password

REAUTHENTICATED_AT = "identity.reauthenticated_at"
FRESH_SECOND_STEP_KEY = "identity.signin.fresh_second_step"
SECOND_STEP_PASSED_KEY = "identity.signin.second_step_passed"
SIGN_IN_KEY = "identity.signin.facts"
# How the second step was done, as RFC 8176 authentication method references.
METHOD_REFERENCES = {FactorKind.TOTP: "otp", FactorKind.SMS: "sms", FactorKind.VOICE: "tel", FactorKind.EMAIL: "otp"}


def _pending(request: HttpRequest) -> PendingLogin | None:
    return PendingLogin.load(request)


def _to_sign_in(request: HttpRequest) -> HttpResponseBase:
    messages.info(request, _("Sign in to continue."))
    return redirect("signin:sign_in")


def _may_add_a_method(request: HttpRequest) -> bool:
    """Signed in with a recent password, or setting up the first methods of an account that
    had none when this sign-in gave its password: a password alone never adds a method to
    an account that has one."""
    if request.user.is_authenticated:
        return recently_signed_in(request)
    pending = _pending(request)
    return pending is not None and pending.first_setup


SIGNING_IN = AccessRule(
    "signing-in",
    allows=lambda request: request.user.is_authenticated or _pending(request) is not None,
    deny=_to_sign_in,
)


def _sign_in_again(request: HttpRequest) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return _to_sign_in(request)
    return redirect(f"{reverse('signin:reauthenticate')}?next={reverse('signin:setup')}")


ADDING_A_METHOD = AccessRule("adding-a-second-step", allows=_may_add_a_method, deny=_sign_in_again)


def require_fresh_second_step(request: HttpRequest) -> None:
    """For the next sign-in in this session a remembered browser does not count: an agency
    asking for identity-verified access always gets a second step done now (the OpenID
    Connect authorization endpoint calls this)."""
    request.session[FRESH_SECOND_STEP_KEY] = True


def _current_user_id(request: HttpRequest) -> int:
    if request.user.is_authenticated:
        return int(request.user.pk)
    pending = _pending(request)
    if pending is None:
        raise Http404
    return pending.user_id


def _factor_of(request: HttpRequest, factor_id: Any) -> SecondFactor:
    factor = SecondFactor.objects.filter(pk=factor_id or 0, user_id=_current_user_id(request)).first()
    if factor is None:
        raise Http404
    return factor


def passed_second_step(request: HttpRequest) -> bool:
    """This session's sign-in passed a second step just now, not by a remembered browser
    (what staff pages ask for)."""
    return bool(request.session.get(SECOND_STEP_PASSED_KEY))


def sign_in_facts(request: HttpRequest) -> tuple[float, list[str]] | None:
    """When this session's person signed in (seconds since the epoch) and how (``amr``), for
    the OpenID Connect provider's ``auth_time``, ``max_age`` and ``amr``."""
    facts = request.session.get(SIGN_IN_KEY)
    if not request.user.is_authenticated or not isinstance(facts, dict):
        return None
    return float(facts["at"]), list(facts["amr"])


def _finish(
    request: HttpRequest, *, second_step: str, remember: bool = False, remembered: bool = False
) -> HttpResponseBase:
    pending = _pending(request)
    if pending is None:
        return _to_sign_in(request)
    user = User.objects.get(pk=pending.user_id)
    response = complete_sign_in(request, user, pending, default_url=reverse("account:index"), trust=remember)
    request.session.pop(FRESH_SECOND_STEP_KEY, None)
    request.session[REAUTHENTICATED_AT] = time.time()
    request.session[SECOND_STEP_PASSED_KEY] = not remembered
    request.session[SIGN_IN_KEY] = {"at": time.time(), "amr": ["pwd"] if remembered else ["pwd", second_step]}
    return response


# --- Sign in -----------------------------------------------------------------------------------


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponseBase:
    """Each try counts per account and per address before the password is checked; a
    success clears the account's count, so the limit is on consecutive failures."""
    if request.user.is_authenticated:
        return redirect("account:index")
    form = forms.SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = User.objects.normalize_sign_in_name(form.cleaned_data["email"])
        by_account, by_ip = rate_limiter("identity.signin.account"), rate_limiter("identity.signin.ip")
        if not (by_account.hit(email) and by_ip.hit(client_ip(request))):
            wait = max(by_account.resets_in(email), by_ip.resets_in(client_ip(request))).total_seconds()
            record_event(SigninTag.LOCKED, request=request)
            form.add_error(
                None,
                _("Too many sign-in attempts. Try again in %(minutes)d minutes, or reset your password.")
                % {"minutes": minutes(wait)},
            )
        else:
            user = authenticate(request, username=email, password=normalized_password(form.cleaned_data["password"]))
            if user is None:
                record_event(SigninTag.FAILED, request=request)
                form.add_error(None, _("The email or password is not right."))
            else:
                by_account.clear(email)
                return _after_password(request, user)
    return render(request, "signin/sign_in.html", {"form": form, "next": safe_next(request)})


def _after_password(request: HttpRequest, user: Any) -> HttpResponseBase:
    request.session.pop(SETUP_FACTOR_KEY, None)
    factors = confirmed_factors(user.pk)
    keys = security_keys(user.pk)
    first_setup = not factors and not keys and not recovery.codes_left(user.pk)
    PendingLogin.start(request, user.pk, safe_next(request), first_setup=first_setup)
    if first_setup:
        return redirect("signin:setup")
    device = mfa.trusted_device(user.pk, request.COOKIES.get(DEVICE_COOKIE, ""))
    if device is not None and not request.session.get(FRESH_SECOND_STEP_KEY):
        mfa.do_note_device_used(device)
        return _finish(request, second_step="", remembered=True)
    if len(factors) == 1 and not keys and not recovery.codes_left(user.pk):
        return _challenge(request, factors[0])
    if keys and not factors and not recovery.codes_left(user.pk):
        return redirect("signin:key")
    return redirect("signin:choose")


def _challenge(request: HttpRequest, factor: SecondFactor) -> HttpResponseBase:
    pending = _pending(request)
    if pending is None:
        return _to_sign_in(request)
    pending.factor_id = factor.pk
    pending.save(request)
    if factor.kind != FactorKind.TOTP:
        send_code(request, factor)
    return redirect("signin:verify")


@access_rule(SIGNING_IN)
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponseBase:
    """The person's choice among their methods (and their recovery codes)."""
    pending = _pending(request)
    if pending is None:
        return redirect("account:index")
    if request.method == "POST":
        if request.POST.get("factor") == "recovery":
            return redirect("signin:recovery")
        if request.POST.get("factor") == "key":
            return redirect("signin:key")
        chosen = request.POST.get("factor", "")
        if not chosen.isdigit():
            raise Http404
        factor = _factor_of(request, int(chosen))
        if factor.confirmed_at is None:
            raise Http404
        return _challenge(request, factor)
    methods = [(factor, masked_destination(factor)) for factor in confirmed_factors(pending.user_id)]
    return render(
        request,
        "signin/choose.html",
        {
            "methods": methods,
            "has_keys": bool(security_keys(pending.user_id)),
            "has_codes": recovery.codes_left(pending.user_id) > 0,
        },
    )


def _verifying(request: HttpRequest) -> tuple[SecondFactor, bool]:
    setup_id = request.session.get(SETUP_FACTOR_KEY)
    if setup_id is not None and _may_add_a_method(request):
        return _factor_of(request, setup_id), True
    pending = _pending(request)
    if pending is None or pending.factor_id is None:
        raise Http404
    return _factor_of(request, pending.factor_id), False


@access_rule(SIGNING_IN)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponseBase:
    factor, setting_up = _verifying(request)
    offer_remember = not setting_up and not request.user.is_authenticated
    initial = {}
    if settings.TAXGOV_DEV_TOOLS and setting_up and request.GET.get("populate") and factor.kind == FactorKind.TOTP:
        initial["code"] = totp.current_code(factor.secret)
    form = forms.CodeForm(request.POST or None, initial=initial, offer_remember=offer_remember)
    if request.method == "POST" and form.is_valid():
        right, problem = check_code(request, factor, form.cleaned_data["code"])
        if right:
            return _verified(request, factor, setting_up, remember=form.cleaned_data.get("remember", False))
        form.add_error("code", problem)
    context: dict[str, Any] = {
        "form": form,
        "factor": factor,
        "setting_up": setting_up,
        "destination": masked_destination(factor),
    }
    if factor.kind == FactorKind.TOTP and setting_up:
        account = User.objects.values_list("email", flat=True).get(pk=factor.user_id)
        uri = totp.provisioning_uri(factor.secret, account=account, issuer=settings.TAXGOV_BRAND["product_name"] or "")
        context["qr_svg"] = totp.qr_svg(uri, title=_("QR code for your authentication app"))
        context["manual_key"] = totp.grouped(factor.secret)
    return render(request, "signin/verify.html", context)


def _verified(request: HttpRequest, factor: SecondFactor, setting_up: bool, *, remember: bool) -> HttpResponseBase:
    request.session.pop(SETUP_FACTOR_KEY, None)
    if setting_up:
        record_event(SigninTag.METHOD_ADDED, subject=f"user:{_current_user_id(request)}", request=request)
        messages.success(request, _("Your new sign-in method works."))
        notify(request, _("A way to sign in was added to your account."))
        if request.user.is_authenticated:
            return redirect("account:index")
        return redirect("signin:another")
    return _finish(request, second_step=METHOD_REFERENCES[FactorKind(factor.kind)], remember=remember)


@access_rule(SIGNING_IN)
@require_POST
def resend(request: HttpRequest) -> HttpResponseBase:
    factor, _setting_up = _verifying(request)
    if factor.kind != FactorKind.TOTP and send_code(request, factor):
        messages.success(request, _("We sent a new code."))
    return redirect("signin:verify")


@access_rule(SIGNING_IN)
@require_http_methods(["GET", "POST"])
def recovery_code(request: HttpRequest) -> HttpResponseBase:
    """Sign in with a recovery code: for a lost phone or app."""
    pending = _pending(request)
    if pending is None:
        return redirect("account:index")
    form = forms.RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = second_step_allowed(request, pending.user_id)
        if refused:
            form.add_error("code", refused)
        elif recovery.do_use_recovery_code(pending.user_id, form.cleaned_data["code"], request=request):
            second_step_passed(request, pending.user_id)
            left = recovery.codes_left(pending.user_id)
            if left <= 2:
                messages.warning(
                    request,
                    _("You have %(left)d recovery codes left. Make a new set in your account.") % {"left": left},
                )
            return _finish(request, second_step="mfa")
        else:
            form.add_error("code", _("That recovery code is not right, or it was already used."))
    return render(request, "signin/recovery_code.html", {"form": form})


@access_rule(PUBLIC)
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_event(SigninTag.SIGNED_OUT, request=request)
    logout(request)
    messages.success(request, _("You signed out."))
    return redirect("home:index")


# --- Setting up methods --------------------------------------------------------------------------


@access_rule(ADDING_A_METHOD)
def setup(request: HttpRequest) -> HttpResponse:
    return render(request, "signin/setup.html", {"first_time": not request.user.is_authenticated})


@access_rule(ADDING_A_METHOD)
@require_http_methods(["GET", "POST"])
def add_phone(request: HttpRequest) -> HttpResponseBase:
    form = forms.PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_id = _current_user_id(request)
        if SecondFactor.objects.filter(user_id=user_id, kind__in=[FactorKind.SMS, FactorKind.VOICE]).count() >= 5:
            form.add_error(None, _("An account can have 5 phones. Remove one first."))
        else:
            factor = mfa.do_add_factor(
                user_id,
                FactorKind(form.cleaned_data["delivery"]),
                destination=form.cleaned_data["e164"],
                request=request,
            )
            request.session[SETUP_FACTOR_KEY] = factor.pk
            send_code(request, factor)
            return redirect("signin:verify")
    return render(request, "signin/add_phone.html", {"form": form})


@access_rule(ADDING_A_METHOD)
@require_POST
def setup_app(request: HttpRequest) -> HttpResponseBase:
    factor = mfa.do_add_factor(_current_user_id(request), FactorKind.TOTP, request=request)
    request.session[SETUP_FACTOR_KEY] = factor.pk
    return redirect("signin:verify")


@access_rule(ADDING_A_METHOD)
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponseBase:
    """Make a new set (the old one stops working) and show it once, to print or download."""
    user_id = _current_user_id(request)
    if request.method == "POST":
        codes = recovery.do_generate_recovery_codes(user_id, request=request)
        notify(request, _("New recovery codes were made for your account; the old ones stopped working."))
        download = "data:text/plain;charset=utf-8," + urllib.parse.quote("\n".join(codes) + "\n")
        return render(
            request,
            "signin/recovery_codes.html",
            {"codes": codes, "download": download, "signing_up": not request.user.is_authenticated},
        )
    return render(request, "signin/recovery_codes_intro.html", {"left": recovery.codes_left(user_id)})


@access_rule(SIGNING_IN)
def another(request: HttpRequest) -> HttpResponseBase:
    """After the first method: offer a second one and recovery codes, then finish."""
    pending = _pending(request)
    if pending is None:
        return redirect("account:index")
    return render(request, "signin/another.html", {"has_codes": recovery.codes_left(pending.user_id) > 0})


@access_rule(SIGNING_IN)
@require_POST
def finish_setup(request: HttpRequest) -> HttpResponseBase:
    pending = _pending(request)
    if pending is None or not pending.first_setup:
        return _to_sign_in(request)  # only a first setup ends here; a password alone never does
    if not (has_second_step(pending.user_id) or recovery.codes_left(pending.user_id)):
        return redirect("signin:setup")
    return _finish(request, second_step="mfa")


# --- Re-sign-in before sensitive changes -------------------------------------------------------


def notify(request: HttpRequest, what: str) -> None:
    """The security notice (``accounts.actions``) to the person signed in or signing in."""
    do_notify_security_change(User.objects.get(pk=_current_user_id(request)), what, request=request)


def recently_signed_in(request: HttpRequest) -> bool:
    signed_at = request.session.get(REAUTHENTICATED_AT)
    return isinstance(signed_at, float) and time.time() - signed_at < settings.TAXGOV_REAUTHENTICATION_WINDOW


@access_rule(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponseBase:
    form = forms.ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        limiter = rate_limiter("identity.signin.account")
        key = str(getattr(user, "email", ""))
        if not limiter.hit(key):
            form.add_error(None, _("Too many attempts. Sign out and sign in again later."))
        elif user.check_password(normalized_password(form.cleaned_data["password"])):
            limiter.clear(key)
            request.session[REAUTHENTICATED_AT] = time.time()
            return redirect(safe_next(request) or reverse("account:index"))
        else:
            form.add_error("password", _("That password is not right."))
    return render(request, "signin/reauthenticate.html", {"form": form, "next": safe_next(request)})


# --- Security keys and face or touch unlock (WebAuthn) ------------------------------------------


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


@access_rule(ADDING_A_METHOD)
@require_GET
def setup_key(request: HttpRequest) -> HttpResponse:
    return render(request, "signin/setup_key.html")


@access_rule(ADDING_A_METHOD)
@require_POST
def key_options(request: HttpRequest) -> HttpResponse:
    user_id = _current_user_id(request)
    email = User.objects.values_list("email", flat=True).get(pk=user_id)
    platform = bool(_json_body(request).get("platform"))
    options = webauthn.registration_options(request, user_id=user_id, user_name=email, platform=platform)
    return HttpResponse(options, content_type="application/json")


@access_rule(ADDING_A_METHOD)
@require_POST
def key_register(request: HttpRequest) -> HttpResponse:
    body = _json_body(request)
    platform = bool(body.get("platform"))
    default_name = _("Face or touch unlock") if platform else _("Security key")
    try:
        webauthn.do_register(
            request,
            user_id=_current_user_id(request),
            credential=body.get("credential") or {},
            name=str(body.get("name") or default_name),
            platform=platform,
        )
    except webauthn.WebAuthnError:
        return JsonResponse({"error": str(_("That did not work. Try again, or choose another method."))}, status=400)
    record_event(SigninTag.METHOD_ADDED, subject=f"user:{_current_user_id(request)}", request=request)
    notify(request, _("A security key or face or touch unlock was added to your account."))
    target = reverse("account:index") if request.user.is_authenticated else reverse("signin:another")
    return JsonResponse({"redirect": target})


@access_rule(SIGNING_IN)
@require_GET
def key_sign_in(request: HttpRequest) -> HttpResponseBase:
    if _pending(request) is None:
        return redirect("account:index")
    return render(request, "signin/key.html")


@access_rule(SIGNING_IN)
@require_POST
def key_sign_in_options(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        raise Http404
    return HttpResponse(
        webauthn.authentication_options(request, user_id=pending.user_id), content_type="application/json"
    )


@access_rule(SIGNING_IN)
@require_POST
def key_sign_in_verify(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        raise Http404
    refused = second_step_allowed(request, pending.user_id)
    if refused:
        return JsonResponse({"error": refused}, status=429)
    body = _json_body(request)
    try:
        webauthn.do_authenticate(request, user_id=pending.user_id, credential=body.get("credential") or {})
    except webauthn.WebAuthnError:
        return JsonResponse({"error": str(_("That did not work. Try again, or choose another method."))}, status=400)
    second_step_passed(request, pending.user_id)
    finished = _finish(request, second_step="hwk", remember=bool(body.get("remember")))
    answer = JsonResponse({"redirect": finished["Location"]})
    for name, morsel in finished.cookies.items():
        answer.cookies[name] = morsel
    return answer


@access_rule(SIGNING_IN)
@require_http_methods(["GET", "POST"])
def request_reset(request: HttpRequest) -> HttpResponseBase:
    """After the password: lost every second step, so start the delayed reset."""
    pending = _pending(request)
    if pending is None:
        return redirect("account:index")
    hours = settings.TAXGOV_ACCOUNT_RESET_WAIT_HOURS
    if request.method == "POST":
        if not rate_limiter("identity.account_reset").hit(str(pending.user_id)):
            messages.error(request, _("A reset was asked for several times today. Try again tomorrow."))
            return redirect("signin:request_reset")
        account_reset.do_request_account_reset(User.objects.get(pk=pending.user_id), request=request)
        PendingLogin.clear(request)
        return render(request, "account/reset_requested.html", {"hours": hours})
    return render(request, "account/request_reset.html", {"hours": hours})
