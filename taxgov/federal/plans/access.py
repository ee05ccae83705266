"""How plan views get a plan: only one of the signed-in taxpayer's; 404 otherwise."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from taxgov.federal.plans.models import PaymentPlan
from taxgov.federal.profile.access import taxpayer_of


def own_plan(request: HttpRequest, public_id: uuid.UUID) -> PaymentPlan:
    plan = (
        PaymentPlan.objects.filter(public_id=public_id, taxpayer=taxpayer_of(request))
        .select_related("taxpayer")
        .first()
    )
    if plan is None:
        raise Http404
    return plan
