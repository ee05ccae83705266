"""Refuses every view that has not declared its access rules, and enforces those it has."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from taxgov.common.access.rules import rules_of

logger = logging.getLogger(__name__)


class AccessRuleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        rules = rules_of(view_func)
        if rules is None:
            logger.error("view %s.%s declares no access rule", view_func.__module__, view_func.__qualname__)
            raise PermissionDenied
        for rule in rules:
            if not rule.allows(request):
                return rule.deny(request)
        return None
