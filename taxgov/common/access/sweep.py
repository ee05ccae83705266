"""Walks a URLconf and lists every route whose view declares no access rule."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from taxgov.common.access.rules import AccessRule, rules_of


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    view: Any
    rules: tuple[AccessRule, ...] | None


def iter_routes(urlconf: str | Any | None = None) -> Iterator[Route]:
    """Every route of the URLconf, includes followed, with the access rules of its view."""
    yield from _walk(get_resolver(urlconf).url_patterns, prefix="")


def _walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield Route(prefix + str(entry.pattern), entry.name, entry.callback, rules_of(entry.callback))


def unprotected_routes(urlconf: str | Any | None = None) -> list[Route]:
    return [route for route in iter_routes(urlconf) if route.rules is None]
