"""The only ways portal views reach tax data: through the signed-in logon's active grants.
Missing and not-yours are the same 404."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from taxgov.ledger.models import Notice, Taxpayer
from taxgov.state.accounts.models import AccessStatus, TaxpayerAccess, User


def signed_in_logon(request: HttpRequest) -> User:
    """The logon of a request whose view requires SIGNED_IN."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (the access rule ran before the view)
    return user


def active_grants(user: User) -> list[TaxpayerAccess]:
    return list(
        TaxpayerAccess.objects.filter(user=user, status=AccessStatus.ACTIVE)
        .select_related("taxpayer", "account")
        .order_by("created_at", "pk")
    )


def grant_for_taxpayer(user: User, public_id: uuid.UUID) -> TaxpayerAccess:
    grant = (
        TaxpayerAccess.objects.filter(user=user, status=AccessStatus.ACTIVE, taxpayer__public_id=public_id)
        .select_related("taxpayer", "account")
        .first()
    )
    if grant is None:
        raise Http404
    return grant


def notice_for(user: User, notice_id: int) -> Notice:
    """A letter of a taxpayer the logon may see (and, for a one-account grant, of that account)."""
    notice = Notice.objects.select_related("taxpayer", "period__account").filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    grant = TaxpayerAccess.objects.filter(user=user, status=AccessStatus.ACTIVE, taxpayer=notice.taxpayer).first()
    if grant is None:
        raise Http404
    if grant.account_id is not None and (notice.period is None or notice.period.account_id != grant.account_id):
        raise Http404
    return notice


def taxpayer_name(taxpayer: Taxpayer) -> str:
    if taxpayer.name:
        return taxpayer.name
    return " ".join(
        part for part in (taxpayer.first_name, taxpayer.middle_name, taxpayer.last_name, taxpayer.suffix) if part
    )
