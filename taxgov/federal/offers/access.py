"""How pre-qualifier views get a draft: only the signed-in user's own; 404 otherwise."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from taxgov.federal.offers.models import Prequalification
from taxgov.federal.profile.access import signed_in_user


def draft_of(request: HttpRequest) -> Prequalification | None:
    """The signed-in user's draft, if they have started one."""
    return Prequalification.objects.filter(user=signed_in_user(request)).first()


def own_draft(request: HttpRequest, public_id: uuid.UUID) -> Prequalification:
    found = Prequalification.objects.filter(public_id=public_id, user=signed_in_user(request)).first()
    if found is None:
        raise Http404
    return found
