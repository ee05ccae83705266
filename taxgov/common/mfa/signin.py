"""The parts of signing in with a second step that the state portal and the identity
provider share: sending and checking codes under their rate limits, the messages for each
outcome, and finishing the sign-in (new session id, audit event, trusted-device cookie)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from taxgov.common.audit.actions import record_event
from taxgov.common.mfa import actions as mfa
from taxgov.common.mfa.display import describe_browser
from taxgov.common.mfa.models import SecondFactor
from taxgov.common.mfa.pending import PendingLogin
from taxgov.common.mfa.tags import MfaTag
from taxgov.common.ratelimit import client_ip, rate_limiter

DEVICE_COOKIE = f"taxgov_{settings.TAXGOV_DEPLOYABLE}_device"
SETUP_FACTOR_KEY = "taxgov.signin.setup_factor"
CODE_MESSAGES = {
    mfa.CodeResult.WRONG: _("That security code is not right. Check it and try again."),
    mfa.CodeResult.EXPIRED: _(
        "That security code has expired or was tried too many times. Select Resend for a new one."
    ),
    mfa.CodeResult.OUT_OF_SYNC: _(
        "That code is from an authentication app whose clock is out of sync. Check that the time on your device is "
        "set automatically, then try again."
    ),
    mfa.CodeResult.REPLAYED: _("That code was already used. Wait for your app to show the next code."),
}


def minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


def send_code(request: HttpRequest, factor: SecondFactor) -> bool:
    """Send a code unless this person was sent too many; says so on the page if so."""
    limiter = rate_limiter("mfa.send")
    if not limiter.hit(str(factor.user_id)):
        wait = minutes(limiter.resets_in(str(factor.user_id)).total_seconds())
        messages.error(
            request, _("Too many codes were sent. Wait %(minutes)d minutes and try again.") % {"minutes": wait}
        )
        return False
    mfa.do_send_code(factor, request=request)
    return True


def second_step_allowed(request: HttpRequest, user_id: int) -> str:
    """Count a second-step try; "" if it may go ahead, else the message saying when to retry.
    Counted per account and address (so someone who knows only the password cannot lock
    the owner out from elsewhere), with a higher ceiling per account alone."""
    pair, account = rate_limiter("mfa.verify"), rate_limiter("mfa.verify.account")
    ids = (str(user_id), client_ip(request))
    if pair.hit(*ids) and account.hit(str(user_id)):
        return ""
    wait = max(pair.resets_in(*ids), account.resets_in(str(user_id))).total_seconds()
    return str(_("Too many codes were tried. Wait %(minutes)d minutes.") % {"minutes": minutes(wait)})


def second_step_passed(request: HttpRequest, user_id: int) -> None:
    rate_limiter("mfa.verify").clear(str(user_id), client_ip(request))


def check_code(request: HttpRequest, factor: SecondFactor, code: str) -> tuple[bool, str]:
    """Whether ``code`` is right for ``factor``, and the message to show when it is not."""
    refused = second_step_allowed(request, factor.user_id)
    if refused:
        return False, refused
    result = mfa.do_check_code(factor, code, request=request)
    if result is mfa.CodeResult.OK:
        second_step_passed(request, factor.user_id)
        return True, ""
    return False, str(CODE_MESSAGES[result])


def complete_sign_in(
    request: HttpRequest, user: Any, pending: PendingLogin, *, default_url: str, trust: bool = False
) -> HttpResponseRedirect:
    """Both steps passed: sign in with a new session id and, if asked, trust this browser."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    PendingLogin.clear(request)
    request.session.pop(SETUP_FACTOR_KEY, None)
    record_event(MfaTag.SIGNED_IN, actor=f"user:{user.pk}", request=request)
    response = HttpResponseRedirect(pending.next_url or default_url)
    if trust:
        token, _device = mfa.do_trust_device(
            user.pk, description=describe_browser(request.headers.get("User-Agent", "")), request=request
        )
        response.set_cookie(
            DEVICE_COOKIE,
            token,
            max_age=settings.TAXGOV_MFA["trusted_device_days"] * 86400,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
