"""The settlement run, fanned out over the worker's processes."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from taxgov.federal.payments.actions import do_settle_batches, do_settle_payments
from taxgov.federal.payments.rail import payment_rail

# Processes a run fans out to besides its own: the federal worker runs two (Procfile.prod,
# ADR 0033). A run settles in batches each process claims for itself, so any number is safe.
HELPERS = 1


@shared_task(name="taxgov.federal.payments.tasks.settle_payments")
def settle_payments() -> dict[str, int]:
    """Hourly: debit and post the payments whose day has come, in batches settled by this task
    and its helpers in parallel; then submit the debits and return those sent back."""
    today = timezone.localdate()
    for _ in range(HELPERS):
        settle_payment_batches.delay(today.isoformat())
    result = do_settle_payments(payment_rail(), today)
    return {"processed": result.processed, "returned": result.returned}


@shared_task(name="taxgov.federal.payments.tasks.settle_payment_batches")
def settle_payment_batches(today: str) -> int:
    """A helper of a settlement run: settle batches of due payments until none is left."""
    return do_settle_batches(payment_rail(), dt.date.fromisoformat(today))
