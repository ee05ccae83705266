"""Sign people out after ``TAXGOV_IDLE_TIMEOUT`` seconds without a request, and after
``TAXGOV_SESSION_MAX_AGE`` seconds in all. Pages warn two minutes before the idle limit
(``uswds/idle_warning.html``); "Stay logged in" posts to ``keep_alive``."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.common.audit.tags import EventTag

LAST_SEEN = "taxgov.last_seen"
SIGNED_IN_AT = "taxgov.signed_in_at"


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            last_seen = session.get(LAST_SEEN, now)
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            idle = now - last_seen > settings.TAXGOV_IDLE_TIMEOUT
            too_long = now - signed_in_at > settings.TAXGOV_SESSION_MAX_AGE
            if idle or too_long:
                record_event(EventTag.SESSION_TIMED_OUT, request=request, extra={"idle": idle})
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity. Log in again to continue.")
                    % {"minutes": settings.TAXGOV_IDLE_TIMEOUT // 60}
                    if idle
                    else _("You were logged out because you had been logged in for a long time. Log in again."),
                )
                return redirect_to_login(request.get_full_path())
            session[LAST_SEEN] = now
        return self.get_response(request)
