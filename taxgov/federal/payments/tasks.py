from celery import shared_task

from taxgov.federal.payments.actions import do_settle_payments
from taxgov.federal.payments.rail import payment_rail


@shared_task(name="taxgov.federal.payments.tasks.settle_payments")
def settle_payments() -> dict[str, int]:
    """Hourly: debit and post the payments whose day has come; return those sent back."""
    result = do_settle_payments(payment_rail())
    return {"processed": result.processed, "returned": result.returned}
