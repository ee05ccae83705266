"""Who may manage whose access: the owner or Master Administrator of a taxpayer manages the
other logons on it; a tax professional sees only their own requests and clients."""

from __future__ import annotations

from django.http import Http404

from taxgov.state.accounts.models import AccessRole, AccessStatus, TaxpayerAccess, User

MANAGERS = (AccessRole.OWNER, AccessRole.MASTER_ADMINISTRATOR)


def managed_taxpayer_grants(user: User) -> list[TaxpayerAccess]:
    """The user's own grants through which they manage a taxpayer's access."""
    return list(
        TaxpayerAccess.objects.filter(user=user, status=AccessStatus.ACTIVE, role__in=MANAGERS).select_related(
            "taxpayer"
        )
    )


def grant_managed_by(user: User, grant_id: int, *, master_only: bool = False) -> TaxpayerAccess:
    grant = TaxpayerAccess.objects.select_related("user", "taxpayer").filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    roles = (AccessRole.MASTER_ADMINISTRATOR,) if master_only else MANAGERS
    manages = TaxpayerAccess.objects.filter(
        user=user, taxpayer=grant.taxpayer, status=AccessStatus.ACTIVE, role__in=roles
    ).exists()
    if not manages:
        raise Http404
    return grant


def others_on(taxpayer_grant: TaxpayerAccess) -> list[TaxpayerAccess]:
    return list(
        TaxpayerAccess.objects.filter(taxpayer=taxpayer_grant.taxpayer)
        .exclude(pk=taxpayer_grant.pk)
        .exclude(status=AccessStatus.REVOKED)
        .select_related("user", "account")
        .order_by("status", "created_at")
    )


def client_grants(professional: User) -> list[TaxpayerAccess]:
    return list(
        TaxpayerAccess.objects.filter(user=professional, role=AccessRole.REPRESENTATIVE)
        .exclude(status=AccessStatus.REVOKED)
        .select_related("taxpayer")
        .order_by("status", "-created_at")
    )
