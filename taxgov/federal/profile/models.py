from __future__ import annotations

from django.conf import settings
from django.db import models

from taxgov.ledger.models import Taxpayer


class Profile(models.Model):
    """Who a signed-in person is in the ledger. Made once, by ``do_create_profile``; a taxpayer
    has at most one profile, so a second sign-in account cannot reach the same records."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="federal_profile")
    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["taxpayer"], name="federal_profile_one_per_taxpayer"),
        ]

    def __str__(self) -> str:
        return f"profile {self.pk}"
