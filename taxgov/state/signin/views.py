"""Log in, two-step verification (set up on the first log-in, asked on unrecognised devices),
log out, and recovering a username or password.

After the password, ``PendingLogin`` holds who is signing in; only a passed second step
(or a trusted device) calls ``login()``, which gives a new session id.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.hashers import check_password
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taxgov.common.access.rules import PUBLIC, SIGNED_IN, AccessRule, access_rule
from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email
from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.mfa import actions as mfa
from taxgov.common.mfa import totp
from taxgov.common.mfa.display import masked_destination
from taxgov.common.mfa.models import FactorKind, SecondFactor
from taxgov.common.mfa.pending import PendingLogin
from taxgov.common.mfa.queries import confirmed_factors, has_second_step
from taxgov.common.mfa.signin import (
    DEVICE_COOKIE,
    SETUP_FACTOR_KEY,
    check_code,
    complete_sign_in,
    minutes,
    send_code,
)
from taxgov.common.ratelimit import client_ip, rate_limiter
from taxgov.common.security.redirects import safe_next
from taxgov.state.accounts.actions import PasswordReusedError, do_change_password
from taxgov.state.accounts.models import User
from taxgov.state.accounts.normalize import email_fingerprint, normalize_secret_answer
from taxgov.state.accounts.tags import AccountTag
from taxgov.state.signin import forms


def _pending_or_signed_in(request: HttpRequest) -> bool:
    return request.user.is_authenticated or PendingLogin.load(request) is not None


def _to_login(request: HttpRequest) -> HttpResponseBase:
    messages.info(request, _("Log in to continue."))
    return redirect("signin:login")


# Between the password and the second step, or signed in and managing two-step methods.
SIGNING_IN = AccessRule("signing-in", allows=_pending_or_signed_in, deny=_to_login)


def _may_add_a_method(request: HttpRequest) -> bool:
    """Signed in, or at the first log-in of a logon that has no method yet. Someone who only
    knows the password must never add a method of their own to get past the second step."""
    if request.user.is_authenticated:
        return True
    pending = PendingLogin.load(request)
    return pending is not None and not has_second_step(pending.user_id)


ADDING_A_METHOD = AccessRule("adding-a-second-step", allows=_may_add_a_method, deny=_to_login)


def _current_user_id(request: HttpRequest) -> int:
    if request.user.is_authenticated:
        return int(request.user.pk)
    pending = PendingLogin.load(request)
    if pending is None:
        raise Http404
    return pending.user_id


def _factor_for(request: HttpRequest, factor_id: Any) -> SecondFactor:
    """A factor of the person signing in (or signed in); anyone else's is a 404."""
    factor = SecondFactor.objects.filter(pk=factor_id, user_id=_current_user_id(request)).first()
    if factor is None:
        raise Http404
    return factor


# --- Log in ------------------------------------------------------------------------------------


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = forms.LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        by_user, by_ip = rate_limiter("state.signin.user"), rate_limiter("state.signin.ip")
        user_key, ip = username.casefold(), client_ip(request)
        # Every try is counted before the password is checked (a success clears the username's
        # count), so parallel guesses cannot slip past the limit.
        if not (by_user.hit(user_key) and by_ip.hit(ip)):
            wait = max(by_user.resets_in(user_key), by_ip.resets_in(ip)).total_seconds()
            record_event(AccountTag.SIGNIN_LOCKED, request=request)
            form.add_error(
                None,
                _(
                    "This logon is locked for %(minutes)d minutes after too many failed log-in attempts. To get in "
                    "sooner, use Forgot username or password?"
                )
                % {"minutes": minutes(wait)},
            )
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                record_event(AccountTag.SIGNIN_FAILED, request=request)
                form.add_error(
                    None,
                    _(
                        "The username or password is not right. If you registered recently, follow the Activate "
                        "link in your approval e-mail first."
                    ),
                )
            else:
                by_user.clear(user_key)
                return _after_password(request, user)
    return render(request, "signin/login.html", {"form": form, "next": safe_next(request)})


def _after_password(request: HttpRequest, user: Any) -> HttpResponseBase:
    request.session.pop(SETUP_FACTOR_KEY, None)  # nothing half-set-up from an earlier attempt counts
    pending = PendingLogin.start(request, user.pk, safe_next(request))
    factors = confirmed_factors(user.pk)
    if not factors:
        return redirect("signin:setup")
    device = mfa.trusted_device(user.pk, request.COOKIES.get(DEVICE_COOKIE, ""))
    if device is not None:
        mfa.do_note_device_used(device)
        return _complete(request, user, pending)
    factor = next((f for f in factors if f.kind != FactorKind.TOTP), factors[0])
    return _challenge(request, pending, factor)


def _challenge(request: HttpRequest, pending: PendingLogin, factor: SecondFactor) -> HttpResponseBase:
    """Ask for a code from ``factor``, sending one unless it is an authenticator app."""
    pending.factor_id = factor.pk
    pending.save(request)
    if factor.kind != FactorKind.TOTP:
        send_code(request, factor)
    return redirect("signin:verify")


def _complete(request: HttpRequest, user: Any, pending: PendingLogin, *, trust: bool = False) -> HttpResponseBase:
    return complete_sign_in(request, user, pending, default_url=reverse("portal:home"), trust=trust)


@access_rule(PUBLIC)
@require_POST
def cancel_login(request: HttpRequest) -> HttpResponse:
    """Leave half-way through the second step: the password step has to be done again."""
    PendingLogin.clear(request)
    request.session.pop(SETUP_FACTOR_KEY, None)
    return redirect("home:index")


@access_rule(SIGNED_IN)
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    record_event(AccountTag.SIGNED_OUT, request=request)
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect("home:index")


# --- Two-step verification ---------------------------------------------------------------------


@access_rule(ADDING_A_METHOD)
def setup(request: HttpRequest) -> HttpResponse:
    return render(request, "signin/setup.html", {"first_time": not request.user.is_authenticated})


def _start_setup(request: HttpRequest, factor: SecondFactor) -> None:
    request.session[SETUP_FACTOR_KEY] = factor.pk


@access_rule(ADDING_A_METHOD)
@require_http_methods(["GET", "POST"])
def add_email(request: HttpRequest) -> HttpResponse:
    form = forms.AddEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        factor = mfa.do_add_factor(
            _current_user_id(request), FactorKind.EMAIL, destination=form.cleaned_data["email"], request=request
        )
        _start_setup(request, factor)
        send_code(request, factor)
        return redirect("signin:verify")
    return render(request, "signin/add_email.html", {"form": form, "from_email": settings.DEFAULT_FROM_EMAIL})


@access_rule(ADDING_A_METHOD)
@require_http_methods(["GET", "POST"])
def add_phone(request: HttpRequest) -> HttpResponse:
    form = forms.AddPhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        factor = mfa.do_add_factor(
            _current_user_id(request), FactorKind.SMS, destination=form.cleaned_data["phone_number"], request=request
        )
        _start_setup(request, factor)
        send_code(request, factor)
        return redirect("signin:verify")
    return render(request, "signin/add_phone.html", {"form": form})


@access_rule(ADDING_A_METHOD)
@require_http_methods(["GET", "POST"])
def setup_app(request: HttpRequest) -> HttpResponse:
    """Show the QR code and the key; the first code from the app confirms it."""
    unconfirmed_apps = SecondFactor.objects.filter(
        user_id=_current_user_id(request), kind=FactorKind.TOTP, confirmed_at__isnull=True
    )
    factor = unconfirmed_apps.filter(pk=request.session.get(SETUP_FACTOR_KEY) or 0).first()
    if factor is None:
        factor = mfa.do_add_factor(_current_user_id(request), FactorKind.TOTP, request=request)
        _start_setup(request, factor)
    return redirect("signin:verify")


def _verifying(request: HttpRequest) -> tuple[SecondFactor, bool]:
    """The factor being checked, and whether this is setting one up (rather than signing in)."""
    setup_id = request.session.get(SETUP_FACTOR_KEY)
    if setup_id is not None and _may_add_a_method(request):
        return _factor_for(request, setup_id), True
    pending = PendingLogin.load(request)
    if pending is None or pending.factor_id is None:
        raise Http404
    return _factor_for(request, pending.factor_id), False


def _populated_code(factor: SecondFactor) -> str:
    """Development only: the code just sent, read back from the dev outbox (or the app's)."""
    if factor.kind == FactorKind.TOTP:
        return totp.current_code(factor.secret)
    sent = OutboxMessage.objects.filter(recipients__contains=factor.destination).first()
    found = re.search(r"\b([0-9]{6})\b", sent.body_text) if sent else None
    return found.group(1) if found else ""


@access_rule(SIGNING_IN)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponseBase:
    factor, setting_up = _verifying(request)
    offer_trust = not setting_up and not request.user.is_authenticated
    initial = {}
    if settings.TAXGOV_DEV_TOOLS and request.GET.get("populate"):
        initial["code"] = _populated_code(factor)
    form = forms.SecurityCodeForm(request.POST or None, initial=initial, offer_trust=offer_trust)
    if request.method == "POST" and form.is_valid():
        right, problem = check_code(request, factor, form.cleaned_data["code"])
        if right:
            return _verified(request, factor, setting_up, trust=form.cleaned_data.get("trust_device", False))
        form.add_error("code", problem)
    context: dict[str, Any] = {
        "form": form,
        "factor": factor,
        "setting_up": setting_up,
        "destination": masked_destination(factor),
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "other_factors": []
        if setting_up
        else [
            (other.pk, other.get_kind_display(), masked_destination(other))
            for other in confirmed_factors(factor.user_id)
            if other.pk != factor.pk
        ],
    }
    if factor.kind == FactorKind.TOTP and setting_up:
        uri = totp.provisioning_uri(
            factor.secret, account=_account_label(factor), issuer=settings.TAXGOV_BRAND["product_name"] or ""
        )
        context["qr_svg"] = totp.qr_svg(uri, title=_("QR code for your authentication app"))
        context["manual_key"] = totp.grouped(factor.secret)
    return render(request, "signin/verify.html", context)


def _account_label(factor: SecondFactor) -> str:
    return str(User.objects.values_list("username", flat=True).get(pk=factor.user_id))


def _verified(request: HttpRequest, factor: SecondFactor, setting_up: bool, *, trust: bool) -> HttpResponseBase:
    request.session.pop(SETUP_FACTOR_KEY, None)
    if request.user.is_authenticated:
        messages.success(request, _("Your two-step verification method was added."))
        return redirect("portal:profile")
    pending = PendingLogin.load(request)
    if pending is None:
        return _to_login(request)
    user = User.objects.get(pk=pending.user_id)
    return _complete(request, user, pending, trust=trust)


@access_rule(SIGNING_IN)
@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    factor, _setting_up = _verifying(request)
    if factor.kind != FactorKind.TOTP and send_code(request, factor):
        messages.success(request, _("A new security code was sent."))
    return redirect("signin:verify")


@access_rule(SIGNING_IN)
@require_POST
def use_factor(request: HttpRequest) -> HttpResponseBase:
    """At log-in, get the code another way (another phone, the app, e-mail)."""
    pending = PendingLogin.load(request)
    if pending is None:
        raise Http404
    factor = _factor_for(request, request.POST.get("factor"))
    if factor.confirmed_at is None:
        raise Http404
    return _challenge(request, pending, factor)


# --- Forgot username or password ---------------------------------------------------------------


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def forgot(request: HttpRequest) -> HttpResponseBase:
    """The same answer whether or not the details match a logon: nothing can be learned here."""
    which = request.POST.get("which")
    username_form = forms.ForgotUsernameForm(request.POST if which == "username" else None, prefix="u")
    password_form = forms.ForgotPasswordForm(request.POST if which == "password" else None, prefix="p")
    if which in ("username", "password"):
        limiter = rate_limiter("state.signin.recover")
        if not limiter.hit(client_ip(request)):
            messages.error(request, _("Too many requests. Try again in an hour, or call us."))
            return redirect("signin:forgot")
        if which == "username" and username_form.is_valid():
            _send_usernames(request, username_form.cleaned_data["email"])
            messages.success(request, _("If that e-mail address belongs to a logon, we sent its username there."))
            return redirect("signin:login")
        if which == "password" and password_form.is_valid():
            _send_reset_link(request, password_form.cleaned_data["username"], password_form.cleaned_data["email"])
            messages.success(
                request, _("If the username and e-mail address match a logon, we sent a link to reset the password.")
            )
            return redirect("signin:login")
    return render(request, "signin/forgot.html", {"username_form": username_form, "password_form": password_form})


def _send_usernames(request: HttpRequest, email: str) -> None:
    users = list(User.objects.filter(email_fingerprint=email_fingerprint(email), is_active=True))
    if users:
        send_email("username_reminder", email, {"usernames": [user.username for user in users]})
        record_event(AccountTag.USERNAME_REMINDER_SENT, subject=f"user:{users[0].pk}", request=request)


def _send_reset_link(request: HttpRequest, username: str, email: str) -> None:
    user = User.objects.filter(username__iexact=username, email_fingerprint=email_fingerprint(email)).first()
    if user is None or not user.is_active:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(reverse("signin:reset", kwargs={"uidb64": uid, "token": token}))
    send_email(
        "password_reset",
        user.email,
        {
            "name": user.full_name,
            "username": user.username,
            "reset_url": link,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )
    record_event(AccountTag.PASSWORD_RESET_REQUESTED, subject=f"user:{user.pk}", request=request)


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest, uidb64: str, token: str) -> HttpResponseBase:
    """The link from the e-mail, then the secret answer: both are needed to set a new password."""
    try:
        user = User.objects.filter(pk=int(force_str(urlsafe_base64_decode(uidb64)))).first()
    except (ValueError, TypeError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "signin/reset_invalid.html", status=404)
    form = forms.ResetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        limiter = rate_limiter("state.signin.secret_answer")
        answer = normalize_secret_answer(form.cleaned_data["secret_answer"])
        if not limiter.hit(str(user.pk)):
            form.add_error(None, _("Too many wrong answers. Call us to reset your password."))
        elif not user.secret_answer or not _answer_matches(user, answer):
            form.add_error("secret_answer", _("That answer does not match the one you gave."))
        else:
            try:
                do_change_password(user, form.cleaned_data["password"], request=request, reset=True)
            except PasswordReusedError:
                form.add_error("password", _("Choose a password you have not used before."))
            else:
                rate_limiter("state.signin.user").clear(user.username.casefold())
                messages.success(request, _("Your password was changed. Log in with your new password."))
                return redirect("signin:login")
    return render(request, "signin/reset.html", {"form": form})


def _answer_matches(user: User, answer: str) -> bool:
    return check_password(answer, user.secret_answer)
