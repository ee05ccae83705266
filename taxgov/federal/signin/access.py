"""Access rules of the federal account: what a page needs from the sign-in behind the session.

When the session has less than a page needs (no sign-in, or a sign-in without a verified
identity), the person goes back through the provider asking for more (step-up) and returns
to the page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from taxgov.common.access.rules import AccessRule
from taxgov.federal.signin import identity


def _has_verified_identity(request: HttpRequest) -> bool:
    if not request.user.is_authenticated:
        return False
    signed_in = identity.current(request)
    return signed_in is not None and signed_in.verified and signed_in.subject == request.user.get_username()


def _step_up(request: HttpRequest) -> HttpResponseBase:
    query = urlencode({"next": request.get_full_path(), "level": "verified"})
    return HttpResponseRedirect(f"{reverse('federal_signin:start')}?{query}")


VERIFIED_IDENTITY = AccessRule("verified-identity", allows=_has_verified_identity, deny=_step_up)
