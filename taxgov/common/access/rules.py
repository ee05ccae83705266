"""Access rules and the decorator that attaches them to views.

A view with no rule is refused by ``AccessRuleMiddleware`` and reported by the URL sweep,
so forgetting to declare access fails closed, in production and in the test suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

RULES_ATTRIBUTE = "taxgov_access_rules"
ViewT = TypeVar("ViewT", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    """A named condition on the request. ``deny`` answers the request the rule refuses."""

    name: str
    allows: Callable[[HttpRequest], bool]
    deny: Callable[[HttpRequest], HttpResponseBase]

    def __str__(self) -> str:
        return self.name


def deny_forbidden(request: HttpRequest) -> HttpResponseBase:
    """A rule's ``deny`` that answers 403: the page exists, and this person may not use it."""
    raise PermissionDenied


def deny_not_found(request: HttpRequest) -> HttpResponseBase:
    """A rule's ``deny`` that answers the ordinary 404, so the page's existence is not advertised."""
    raise Http404


def _sign_in(request: HttpRequest) -> HttpResponseBase:
    return redirect_to_login(request.get_full_path())


PUBLIC = AccessRule("public", allows=lambda request: True, deny=deny_forbidden)
SIGNED_IN = AccessRule("signed-in", allows=lambda request: request.user.is_authenticated, deny=_sign_in)
STAFF = AccessRule(
    "staff",
    allows=lambda request: request.user.is_authenticated and request.user.is_staff,
    deny=deny_forbidden,
)


def signed_in_user_id(request: HttpRequest) -> int:
    """The signed-in person's id, in a view behind the SIGNED_IN rule."""
    return int(str(request.user.pk))


# Development tools look like missing pages anywhere they are switched off.
DEV_TOOLS = AccessRule("dev-tools", allows=lambda request: bool(settings.TAXGOV_DEV_TOOLS), deny=deny_not_found)


def access_rule(*rules: AccessRule) -> Callable[[ViewT], ViewT]:
    """Declare the rules a view requires; all must allow. Works on functions and view classes."""
    if not rules:
        raise ValueError("access_rule() needs at least one rule; use PUBLIC for open pages.")

    def decorate(view: ViewT) -> ViewT:
        setattr(view, RULES_ATTRIBUTE, rules)
        return view

    return decorate


def rules_of(view: Callable[..., Any]) -> tuple[AccessRule, ...] | None:
    """The rules declared on a resolved view function (or on its class, for class-based views)."""
    rules = getattr(view, RULES_ATTRIBUTE, None)
    if rules is None:
        rules = getattr(getattr(view, "view_class", None), RULES_ATTRIBUTE, None)
    return rules
