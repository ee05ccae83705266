"""Re-wraps every encrypted value's data key with the primary key of TAXGOV_PII_KEYS.

Run after putting a new key first in the list; when it reports 0 left, the old key can be
removed. Safe to interrupt and run again.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models.functions import Cast

from taxgov.common.audit.actions import record_event
from taxgov.common.audit.tags import EventTag
from taxgov.common.security import pii
from taxgov.common.security.fields import EncryptedTextField

BATCH = 500


class Command(BaseCommand):
    help = "Re-wrap encrypted personal data under the primary PII key."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if isinstance(field, EncryptedTextField):
                    total += self.rewrap_column(model, field)
        record_event(EventTag.PII_KEYS_ROTATED, extra={"rewrapped": total, "primary": pii.keyring().primary_id})
        self.stdout.write(f"Re-wrapped {total} value(s) under key {pii.keyring().primary_id}.")

    def rewrap_column(self, model: type[models.Model], field: EncryptedTextField) -> int:
        raw = model._default_manager.exclude(**{f"{field.name}__isnull": True}).annotate(
            stored=Cast(field.name, models.TextField())
        )
        done = 0
        for pk, stored in raw.values_list("pk", "stored").iterator(chunk_size=BATCH):
            if not pii.needs_rewrap(stored):
                continue
            with transaction.atomic():
                model._default_manager.filter(pk=pk).update(
                    **{field.name: models.Value(pii.rewrap(stored, context=field.pii_context), models.TextField())}
                )
            done += 1
        return done
