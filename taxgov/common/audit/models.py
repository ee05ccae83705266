"""The audit log rows and the record of each chain verification."""

from __future__ import annotations

from django.db import models

from taxgov.common.db import AppendOnlyModel


class AuditEvent(AppendOnlyModel):
    """One security or money event. Each row's hash covers the previous row's hash, so any
    change, deletion or insertion in the middle breaks every later link. The database
    refuses UPDATE and DELETE on this table (triggers in migration 0002)."""

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    tag = models.CharField(max_length=100)
    actor = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=100, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["tag", "occurred_at"]), models.Index(fields=["subject", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.tag}"


class AuditChainCheck(models.Model):
    """The outcome of one run of the chain verifier; the next run starts where this one ended."""

    checked_at = models.DateTimeField()
    first_sequence = models.PositiveBigIntegerField(null=True)
    last_sequence = models.PositiveBigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, blank=True)
    events_checked = models.PositiveIntegerField()
    intact = models.BooleanField()
    broken_at_sequence = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        get_latest_by = "checked_at"

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'intact' if self.intact else 'BROKEN'}"
