"""The account page: the sign-in methods, recovery codes and remembered browsers. Changes to
how a person signs in need a recent password (``signin:reauthenticate``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taxgov.common.access.rules import PUBLIC, SIGNED_IN, access_rule, signed_in_user_id
from taxgov.common.audit.actions import record_event
from taxgov.common.mfa import actions as mfa
from taxgov.common.mfa import recovery
from taxgov.common.mfa.display import masked_destination
from taxgov.common.mfa.models import SecondFactor, TrustedDevice, WebAuthnCredential
from taxgov.common.mfa.pending import PendingLogin
from taxgov.common.mfa.queries import confirmed_factors, live_devices, security_keys
from taxgov.common.ratelimit import client_ip, rate_limiter
from taxgov.identity.accounts import actions, emails, notices, reset
from taxgov.identity.accounts.forms import DeleteForm, EmailOnlyForm
from taxgov.identity.accounts.models import EmailAddress, User
from taxgov.identity.accounts.queries import my_data, security_history
from taxgov.identity.accounts.tags import AccountTag
from taxgov.identity.oidc.queries import connected_agencies
from taxgov.identity.signin.forms import ReauthenticateForm
from taxgov.identity.signin.views import recently_signed_in
from taxgov.identity.signup.forms import PasswordForm, normalized_password
from taxgov.identity.verification.queries import verified_identity


def _again(request: HttpRequest, then: str = "account:index") -> HttpResponseBase:
    return redirect(f"{reverse('signin:reauthenticate')}?next={reverse(then)}")


def signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (the access rule ran before the view)
    return user


@access_rule(SIGNED_IN)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user_id = signed_in_user_id(request)
    return render(
        request,
        "account/index.html",
        {
            "methods": [(factor, masked_destination(factor)) for factor in confirmed_factors(user_id)],
            "keys": security_keys(user_id),
            "addresses": EmailAddress.objects.filter(user_id=user_id).order_by("created_at"),
            "codes_left": recovery.codes_left(user_id),
            "devices": live_devices(user_id),
            "recent": recently_signed_in(request),
            "verified": verified_identity(user_id),
            "connected": connected_agencies(user_id),
        },
    )


@access_rule(SIGNED_IN)
@require_POST
def remove_method(request: HttpRequest, factor_id: int) -> HttpResponseBase:
    if not recently_signed_in(request):
        return _again(request)
    factor = SecondFactor.objects.filter(pk=factor_id, user_id=signed_in_user_id(request)).first()
    if factor is None:
        raise Http404
    others = (
        len(confirmed_factors(signed_in_user_id(request))) > 1 or recovery.codes_left(signed_in_user_id(request)) > 0
    )
    if not others:
        messages.error(request, _("Add another way to sign in before you remove this one."))
        return redirect("account:index")
    try:
        mfa.do_remove_factor(factor, request=request)
    except mfa.LastFactorError:
        messages.error(request, _("Add another way to sign in before you remove this one."))
    else:
        notices.do_notify_security_change(
            signed_in_user(request), _("A way to sign in was removed from your account."), request=request
        )
        messages.success(request, _("That sign-in method was removed."))
    return redirect("account:index")


@access_rule(SIGNED_IN)
@require_POST
def forget_browser(request: HttpRequest, device_id: int) -> HttpResponseBase:
    device = TrustedDevice.objects.filter(
        pk=device_id, user_id=signed_in_user_id(request), revoked_at__isnull=True
    ).first()
    if device is None:
        raise Http404
    mfa.do_revoke_device(device, request=request)
    messages.success(request, _("That browser will be asked for a code next time."))
    return redirect("account:index")


@access_rule(SIGNED_IN)
@require_POST
def remove_key(request: HttpRequest, key_id: int) -> HttpResponseBase:
    if not recently_signed_in(request):
        return _again(request)
    key = WebAuthnCredential.objects.filter(pk=key_id, user_id=signed_in_user_id(request)).first()
    if key is None:
        raise Http404
    try:
        mfa.do_remove_security_key(key, request=request)
    except mfa.LastFactorError:
        messages.error(request, _("Add another way to sign in before you remove this one."))
    else:
        notices.do_notify_security_change(
            signed_in_user(request),
            _("A security key or face or touch unlock was removed from your account."),
            request=request,
        )
        messages.success(request, _("That sign-in method was removed."))
    return redirect("account:index")


# --- Forgot password, "this wasn't me" -------------------------------------------------------


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponseBase:
    form = EmailOnlyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limiter = rate_limiter("identity.password_reset")
        if limiter.hit(client_ip(request)) and limiter.hit(form.cleaned_data["email"].casefold()):
            actions.do_request_password_reset(form.cleaned_data["email"], request=request)
        messages.success(request, _("If that address has an account, we sent it a link to choose a new password."))
        return redirect("signin:sign_in")
    return render(request, "account/forgot_password.html", {"form": form})


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def reset_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponseBase:
    try:
        user = User.objects.filter(pk=int(force_str(urlsafe_base64_decode(uidb64)))).first()
    except (ValueError, TypeError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "account/link_invalid.html", status=404)
    form = PasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        actions.do_reset_password(
            user, form.cleaned_data["password"], request=request, what=_("The password of your account was changed.")
        )
        rate_limiter("identity.signin.account").clear(user.email)
        messages.success(request, _("Your password was changed. Sign in with it and your second step."))
        return redirect("signin:sign_in")
    return render(request, "account/reset_password.html", {"form": form})


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def disavow(request: HttpRequest, token: str) -> HttpResponseBase:
    """The link in every security notice. A GET shows a button, so mail scanners change nothing."""
    user = notices.user_from_disavow_token(token)
    if user is None:
        return render(request, "account/link_invalid.html", status=404)
    if request.method == "POST":
        actions.do_disavow(user, request=request)
        logout(request)
        return render(request, "account/disavowed.html")
    return render(request, "account/disavow.html")


# --- History, my data, delete ----------------------------------------------------------------


@access_rule(SIGNED_IN)
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    return render(request, "account/history.html", {"events": security_history(signed_in_user_id(request))})


@access_rule(SIGNED_IN)
@require_GET
def download(request: HttpRequest) -> HttpResponseBase:
    if not recently_signed_in(request):
        return _again(request, "account:download")
    user = signed_in_user(request)
    response = JsonResponse(my_data(user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-account-data.json"'
    record_event(AccountTag.DATA_DOWNLOADED, subject=f"user:{user.pk}", request=request)
    return response


@access_rule(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponseBase:
    if not recently_signed_in(request):
        return _again(request, "account:delete")
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = signed_in_user(request)
        logout(request)
        actions.do_delete_account(user, request=request)
        return render(request, "account/deleted.html")
    return render(request, "account/delete.html", {"form": form})


# --- Lost every second step: the delayed reset ------------------------------------------------


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def reset_cancel(request: HttpRequest, token: str) -> HttpResponseBase:
    found = reset.reset_from_token(token, "cancel")
    if found is None:
        return render(request, "account/link_invalid.html", status=404)
    if request.method == "POST":
        reset.do_cancel_account_reset(found, request=request)
        return render(request, "account/reset_cancel.html", {"cancelled": True})
    return render(request, "account/reset_cancel.html")


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def reset_complete(request: HttpRequest, token: str) -> HttpResponseBase:
    found = reset.reset_from_token(token, "complete")
    if found is None:
        return render(request, "account/link_invalid.html", status=404)
    if found.ready_at > timezone.now():
        return render(request, "account/reset_complete.html", {"not_yet": True})
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limiter = rate_limiter("identity.signin.account")
        if not limiter.hit(found.user.email):
            form.add_error(None, _("Too many attempts. Try again later."))
        elif not found.user.check_password(normalized_password(form.cleaned_data["password"])):
            form.add_error("password", _("That password is not right."))
        else:
            reset.do_complete_account_reset(found, request=request)
            PendingLogin.start(request, found.user_id, "", first_setup=True)
            return redirect("signin:setup")
    return render(request, "account/reset_complete.html", {"form": form})


# --- E-mail addresses ------------------------------------------------------------------------


def _address_of(request: HttpRequest, address_id: int) -> EmailAddress:
    found = EmailAddress.objects.filter(pk=address_id, user_id=signed_in_user_id(request)).first()
    if found is None:
        raise Http404
    return found


@access_rule(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def add_email(request: HttpRequest) -> HttpResponseBase:
    if not recently_signed_in(request):
        return _again(request, "account:add_email")
    form = EmailOnlyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not rate_limiter("identity.email.add").hit(str(signed_in_user_id(request))):
            form.add_error("email", _("You added many addresses today. Try again tomorrow."))
            return render(request, "account/add_email.html", {"form": form})
        try:
            emails.do_add_email(signed_in_user(request), form.cleaned_data["email"], request=request)
        except emails.EmailError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("If the address can be added, we sent it a link to confirm it."))
            return redirect("account:index")
    return render(request, "account/add_email.html", {"form": form})


@access_rule(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponseBase:
    if request.method == "POST":
        if emails.do_confirm_email(signed_in_user(request), token, request=request):
            messages.success(request, _("The email address was added."))
            return redirect("account:index")
        return render(request, "account/link_invalid.html", status=404)
    return render(request, "account/confirm_email.html")


@access_rule(SIGNED_IN)
@require_POST
def make_primary(request: HttpRequest, address_id: int) -> HttpResponseBase:
    if not recently_signed_in(request):
        return _again(request)
    try:
        emails.do_make_primary(signed_in_user(request), _address_of(request, address_id), request=request)
    except emails.EmailError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You now sign in with that address."))
    return redirect("account:index")


@access_rule(SIGNED_IN)
@require_POST
def remove_email(request: HttpRequest, address_id: int) -> HttpResponseBase:
    if not recently_signed_in(request):
        return _again(request)
    emails.do_remove_email(signed_in_user(request), _address_of(request, address_id), request=request)
    messages.success(request, _("The email address was removed."))
    return redirect("account:index")
