"""The account page: the sign-in methods, recovery codes and remembered browsers. Changes to
how a person signs in need a recent password (``signin:reauthenticate``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from taxgov.common.access.rules import SIGNED_IN, access_rule
from taxgov.common.mfa import actions as mfa
from taxgov.common.mfa import recovery
from taxgov.common.mfa.display import masked_destination
from taxgov.common.mfa.models import SecondFactor, TrustedDevice
from taxgov.common.mfa.queries import confirmed_factors, live_devices
from taxgov.identity.signin.views import recently_signed_in


def _user_id(request: HttpRequest) -> int:
    """The signed-in person's id (every view here requires SIGNED_IN)."""
    return int(request.user.pk or 0)


def _again(request: HttpRequest) -> HttpResponseBase:
    return redirect(f"{reverse('signin:reauthenticate')}?next={reverse('account:index')}")


@access_rule(SIGNED_IN)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user_id = _user_id(request)
    return render(
        request,
        "account/index.html",
        {
            "methods": [(factor, masked_destination(factor)) for factor in confirmed_factors(user_id)],
            "codes_left": recovery.codes_left(user_id),
            "devices": live_devices(user_id),
            "recent": recently_signed_in(request),
        },
    )


@access_rule(SIGNED_IN)
@require_POST
def remove_method(request: HttpRequest, factor_id: int) -> HttpResponseBase:
    if not recently_signed_in(request):
        return _again(request)
    factor = SecondFactor.objects.filter(pk=factor_id, user_id=_user_id(request)).first()
    if factor is None:
        raise Http404
    others = len(confirmed_factors(_user_id(request))) > 1 or recovery.codes_left(_user_id(request)) > 0
    if not others:
        messages.error(request, _("Add another way to sign in before you remove this one."))
        return redirect("account:index")
    try:
        mfa.do_remove_factor(factor, request=request)
    except mfa.LastFactorError:
        messages.error(request, _("Add another way to sign in before you remove this one."))
    else:
        messages.success(request, _("That sign-in method was removed."))
    return redirect("account:index")


@access_rule(SIGNED_IN)
@require_POST
def forget_browser(request: HttpRequest, device_id: int) -> HttpResponseBase:
    device = TrustedDevice.objects.filter(pk=device_id, user_id=_user_id(request), revoked_at__isnull=True).first()
    if device is None:
        raise Http404
    mfa.do_revoke_device(device, request=request)
    messages.success(request, _("That browser will be asked for a code next time."))
    return redirect("account:index")
