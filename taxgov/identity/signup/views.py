"""Create an account: e-mail, confirm it (code or link), password; the second step is set
up by the sign-in app (``signin:setup``) before the account can be used."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from taxgov.common.access.rules import PUBLIC, access_rule
from taxgov.common.mfa.pending import PendingLogin
from taxgov.common.mfa.queries import has_second_step
from taxgov.common.ratelimit import client_ip, rate_limiter
from taxgov.identity.accounts.models import User
from taxgov.identity.signup import actions
from taxgov.identity.signup.forms import ConfirmCodeForm, EmailForm, PasswordForm

EMAIL_KEY = "identity.signup.email"
USER_KEY = "identity.signup.user"


def _too_many(request: HttpRequest, name: str, *identifiers: str) -> bool:
    limiter = rate_limiter(name)
    if limiter.hit(*identifiers):
        return False
    wait = max(1, round(limiter.resets_in(*identifiers).total_seconds() / 60))
    messages.error(request, _("Too many tries. Wait %(minutes)d minutes and try again.") % {"minutes": wait})
    return True


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponseBase:
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not (
            _too_many(request, "identity.signup.ip", client_ip(request))
            or _too_many(request, "identity.signup.email", email.casefold())
        ):
            actions.do_start_sign_up(email, request=request)
            request.session[EMAIL_KEY] = email
            return redirect("signup:confirm")
    return render(request, "signup/start.html", {"form": form})


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponseBase:
    email = request.session.get(EMAIL_KEY)
    if not email:
        return redirect("signup:start")
    form = ConfirmCodeForm(request.POST or None)
    allowed = request.method == "POST" and form.is_valid()
    if allowed and not _too_many(request, "identity.signup.confirm", client_ip(request), email.casefold()):
        user = actions.do_confirm_by_code(email, form.cleaned_data["code"], request=request)
        if user is not None:
            request.session[USER_KEY] = user.pk
            return redirect("signup:password")
        form.add_error("code", _("That code is not right, or it has expired. Check it, or ask for a new one."))
    return render(request, "signup/confirm.html", {"form": form, "email": email})


@access_rule(PUBLIC)
@require_http_methods(["POST"])
def resend(request: HttpRequest) -> HttpResponseBase:
    email = request.session.get(EMAIL_KEY)
    if not email:
        return redirect("signup:start")
    if not _too_many(request, "identity.signup.email", email.casefold()):
        actions.do_start_sign_up(email, request=request)
        messages.success(request, _("We sent a new code."))
    return redirect("signup:confirm")


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def confirm_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """The link in the e-mail. A GET only shows a button, so mail scanners cannot use it."""
    if request.method == "POST":
        user = actions.do_confirm_by_link(token, request=request)
        if user is None:
            return render(request, "signup/link_invalid.html", status=404)
        request.session[USER_KEY] = user.pk
        return redirect("signup:password")
    return render(request, "signup/confirm_link.html")


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponseBase:
    user = User.objects.filter(pk=request.session.get(USER_KEY) or 0, email_confirmed_at__isnull=False).first()
    if user is None or user.has_usable_password() or has_second_step(user.pk):
        return redirect("signup:start")
    form = PasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        actions.do_set_first_password(user, form.cleaned_data["password"], request=request)
        request.session.pop(USER_KEY, None)
        request.session.pop(EMAIL_KEY, None)
        PendingLogin.start(request, user.pk, "", first_setup=True)
        return redirect("signin:setup")
    return render(request, "signup/password.html", {"form": form})
