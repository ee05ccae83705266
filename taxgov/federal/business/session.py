"""Which account the session is acting for: the public id of an entity, or nothing (the
person's own). Only a choice is kept here; whether it still holds is checked on every request
(``taxgov.federal.profile.access.acting_role``)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from taxgov.ledger.models import Taxpayer

SESSION_KEY = "federal.business.acting_for"
CACHE_ATTRIBUTE = "_federal_acting_role"  # the role found for this request, once checked


def chosen(request: HttpRequest) -> uuid.UUID | None:
    """The chosen entity's public id; None for the person's own account (or a request without
    a session, which has made no choice)."""
    session = getattr(request, "session", None)
    stored = session.get(SESSION_KEY) if session is not None else None
    try:
        return uuid.UUID(str(stored)) if stored else None
    except ValueError:
        return None


def choose(request: HttpRequest, entity: Taxpayer) -> None:
    request.session[SESSION_KEY] = str(entity.public_id)
    forget_checked(request)


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    forget_checked(request)


def forget_checked(request: HttpRequest) -> None:
    if hasattr(request, CACHE_ATTRIBUTE):
        delattr(request, CACHE_ATTRIBUTE)
