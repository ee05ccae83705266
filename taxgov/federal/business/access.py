"""How business views get a role: only the signed-in person's own, or one of the entity they
act for as a Designated Official; 404 otherwise, for a missing role and another's alike."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from taxgov.common.access.rules import AccessRule, deny_not_found
from taxgov.federal.business import queries
from taxgov.federal.business.models import BusinessRole
from taxgov.federal.profile.access import acting_role, signed_in_user


def _acting_as_official(request: HttpRequest) -> bool:
    role = acting_role(request)
    return role is not None and role.is_official


ACTING_OFFICIAL = AccessRule("federal-business-official", allows=_acting_as_official, deny=deny_not_found)


def acting_official(request: HttpRequest) -> BusinessRole:
    """The Designated Official role the request acts in (behind ``ACTING_OFFICIAL``)."""
    role = acting_role(request)
    if role is None or not role.is_official:
        raise Http404
    return role


def own_role(request: HttpRequest, entity_id: uuid.UUID) -> BusinessRole:
    """The signed-in person's active role for the entity with this public id."""
    role = queries.role_of_user(signed_in_user(request).pk, entity_id)
    if role is None:
        raise Http404
    return role


def entity_role(request: HttpRequest, role_id: uuid.UUID) -> BusinessRole:
    """An active role for the entity the request acts for as a Designated Official."""
    official = acting_official(request)
    found = BusinessRole.objects.filter(public_id=role_id, entity_id=official.entity_id, revoked_at__isnull=True)
    role = found.select_related("user__federal_profile__taxpayer").first()
    if role is None:
        raise Http404
    return role
