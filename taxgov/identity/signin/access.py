"""The rule of staff pages: a staff account with the page's permission, signed in with a
second step done in this session (a remembered browser is not enough for staff pages)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from taxgov.common.access.rules import AccessRule
from taxgov.identity.signin.views import passed_second_step, require_fresh_second_step


def staff_with(permission: str) -> AccessRule:
    """``permission`` as ``app_label.codename``. A staff member whose sign-in skipped the
    second step is signed out and asked to sign in again with it; anyone else gets a 403."""

    def may(request: HttpRequest) -> bool:
        user = request.user
        return user.is_authenticated and user.is_staff and user.has_perm(permission)

    def allows(request: HttpRequest) -> bool:
        return may(request) and passed_second_step(request)

    def deny(request: HttpRequest) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if may(request):
            next_url = request.get_full_path()
            logout(request)
            require_fresh_second_step(request)
            messages.info(request, _("Staff pages need your second step. Sign in again."))
            return redirect_to_login(next_url)
        raise PermissionDenied

    return AccessRule(f"staff:{permission}", allows=allows, deny=deny)
