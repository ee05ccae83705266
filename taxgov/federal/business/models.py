"""Who may act for a business or an estate in the online account.

A Designated Official (DO) can do everything for the entity, including deciding who else may
act for it; a Designated User (DU) can only look. A DO registers by answering for the entity
and signing an attestation, and signs again every year; one named by another DO signs before
acting. A role is never edited away: removing it sets ``revoked_at``, so the history of who
could act for an entity stays.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxgov.federal.accounts.models import User
from taxgov.ledger.models import Taxpayer


class RoleKind(models.TextChoices):
    DESIGNATED_OFFICIAL = "designated_official", _("Designated Official")
    DESIGNATED_USER = "designated_user", _("Designated User")


class Title(models.TextChoices):
    """What a Designated Official is in the entity: an officer or managing member who can bind it."""

    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice president")
    CEO = "ceo", _("Chief executive officer (CEO)")
    CFO = "cfo", _("Chief financial officer (CFO)")
    COO = "coo", _("Chief operating officer (COO)")
    SECRETARY = "secretary", _("Secretary")
    TREASURER = "treasurer", _("Treasurer")
    MANAGING_MEMBER = "managing_member", _("Managing member")
    GENERAL_PARTNER = "general_partner", _("General partner")
    SOLE_PROPRIETOR = "sole_proprietor", _("Sole proprietor")
    EXECUTOR = "executor", _("Executor or administrator")


class BusinessRole(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # A business or estate; indexed by federal_business_entity_role, whose first column it is.
    entity = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="+", db_index=False)
    role = models.CharField(max_length=19, choices=RoleKind.choices)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=16, choices=Title.choices, blank=True)  # Designated Officials
    validated_on = models.DateField(null=True, blank=True)  # a DO's last registration or revalidation
    attested_at = models.DateTimeField(null=True, blank=True)  # when the DO last signed the attestation
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "entity"], condition=Q(revoked_at__isnull=True), name="federal_business_one_active_role"
            ),
            # A Designated Official has signed (title, date, time), or was named by another one
            # and has not signed yet; a Designated User signs nothing.
            models.CheckConstraint(
                condition=(
                    Q(role="designated_official", validated_on__isnull=False, attested_at__isnull=False) & ~Q(title="")
                )
                | Q(
                    role__in=["designated_official", "designated_user"],
                    title="",
                    validated_on__isnull=True,
                    attested_at__isnull=True,
                ),
                name="federal_business_role_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False),
                name="federal_business_revoked_by_needs_revoked_at",
            ),
        ]
        indexes = [models.Index(fields=["entity", "role"], name="federal_business_entity_role")]

    def __str__(self) -> str:
        return f"business role {self.pk}"

    @property
    def is_official(self) -> bool:
        return self.role == RoleKind.DESIGNATED_OFFICIAL
