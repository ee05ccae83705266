"""Payments a logon may see: those of the taxpayers (and accounts) it has active access to."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from taxgov.state.accounts.models import AccessStatus, TaxpayerAccess, User
from taxgov.state.payments.models import Payment


def visible_payments(user: User) -> QuerySet[Payment]:
    grants = TaxpayerAccess.objects.filter(user=user, status=AccessStatus.ACTIVE)
    scope = Q(pk__in=[])
    for grant in grants:
        scope |= Q(taxpayer_id=grant.taxpayer_id) if grant.account_id is None else Q(account_id=grant.account_id)
    return Payment.objects.filter(scope).select_related("period__account", "taxpayer")


def payment_for(user: User, public_id: uuid.UUID) -> Payment:
    payment = visible_payments(user).filter(public_id=public_id).first()
    if payment is None:
        raise Http404
    return payment
