"""How payment views get a payment: only one of the signed-in taxpayer's; 404 otherwise."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from taxgov.federal.payments.models import Payment
from taxgov.federal.profile.access import taxpayer_of


def own_payment(request: HttpRequest, public_id: uuid.UUID) -> Payment:
    found = Payment.objects.filter(public_id=public_id, taxpayer=taxpayer_of(request))
    payment = found.select_related("period__account", "penalty").first()
    if payment is None:
        raise Http404
    return payment
