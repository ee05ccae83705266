"""The signed-in portal: the account summary, letters, and Manage My Profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taxgov.common.access.rules import SIGNED_IN, access_rule
from taxgov.common.mfa import actions as mfa
from taxgov.common.mfa.display import masked_destination
from taxgov.common.mfa.models import SecondFactor, TrustedDevice
from taxgov.common.mfa.queries import confirmed_factors, live_devices
from taxgov.common.phones import for_display
from taxgov.state.accounts import actions as accounts
from taxgov.state.accounts.models import User
from taxgov.state.portal import access, forms, queries
from taxgov.state.portal.access import signed_in_logon
from taxgov.state.portal.letters import letter_pdf


@access_rule(SIGNED_IN)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    summaries = [queries.summary(grant, today) for grant in access.active_grants(signed_in_logon(request))]
    return render(request, "portal/home.html", {"summaries": summaries, "today": today})


@access_rule(SIGNED_IN)
@require_GET
def letter(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access.notice_for(signed_in_logon(request), notice_id)
    response = HttpResponse(letter_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.letter_id or notice.kind}.pdf"'
    return response


def _contact_initial(user: User) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "full_name": user.full_name,
        "email": user.email,
        "phone_country": user.phone_country or "US",
    }
    if user.phone_number:
        initial["phone_entry"] = for_display(user.phone_number, home_country=user.phone_country or "US")
    return initial


@access_rule(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Manage My Profile: each section is its own form, told apart by ``section``."""
    user = signed_in_logon(request)
    section = request.POST.get("section")
    contact = forms.ContactDetailsForm(
        request.POST if section == "contact" else None, initial=_contact_initial(user), prefix="contact"
    )
    password = forms.ChangePasswordForm(request.POST if section == "password" else None, user=user, prefix="password")
    secret = forms.SecretQuestionForm(
        request.POST if section == "secret" else None,
        initial={"secret_question": user.secret_question},
        prefix="secret",
    )
    if section == "contact" and contact.is_valid():
        data = contact.cleaned_data
        accounts.do_update_contact_details(
            user,
            full_name=data["full_name"],
            phone_country=data["phone_country"],
            phone_number=data["phone_number"],
            email=data["email"],
            request=request,
        )
        messages.success(request, _("Your contact details were saved."))
        return redirect("portal:profile")
    if section == "password" and password.is_valid():
        try:
            accounts.do_change_password(user, password.cleaned_data["password"], request=request)
        except accounts.PasswordReusedError:
            password.add_error("password", _("Choose a password you have not used before."))
        else:
            update_session_auth_hash(request, user)  # stay signed in here; other sessions end
            messages.success(request, _("Your password was changed."))
            return redirect("portal:profile")
    if section == "secret" and secret.is_valid():
        accounts.do_set_secret_question(
            user,
            question=secret.cleaned_data["secret_question"],
            answer=secret.cleaned_data["secret_answer"],
            request=request,
        )
        messages.success(request, _("Your secret question was saved."))
        return redirect("portal:profile")
    factors = [(factor, masked_destination(factor)) for factor in confirmed_factors(user.pk)]
    return render(
        request,
        "portal/profile.html",
        {
            "contact_form": contact,
            "password_form": password,
            "secret_form": secret,
            "factors": factors,
            "devices": live_devices(user.pk),
        },
    )


@access_rule(SIGNED_IN)
@require_POST
def remove_factor(request: HttpRequest, factor_id: int) -> HttpResponse:
    factor = SecondFactor.objects.filter(pk=factor_id, user=signed_in_logon(request)).first()
    if factor is None:
        raise Http404
    try:
        mfa.do_remove_factor(factor, request=request)
    except mfa.LastFactorError:
        messages.error(request, _("Add another two-step verification method before you remove this one."))
    else:
        messages.success(request, _("The two-step verification method was removed."))
    return redirect("portal:profile")


@access_rule(SIGNED_IN)
@require_POST
def revoke_device(request: HttpRequest, device_id: int) -> HttpResponse:
    device = TrustedDevice.objects.filter(pk=device_id, user=signed_in_logon(request), revoked_at__isnull=True).first()
    if device is None:
        raise Http404
    mfa.do_revoke_device(device, request=request)
    messages.success(request, _("That device will be asked for a security code next time."))
    return redirect("portal:profile")
