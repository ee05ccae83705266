from celery import shared_task

from taxgov.state.payments.actions import do_post_due_payments


@shared_task(name="taxgov.state.payments.tasks.post_due_payments")
def post_due_payments() -> int:
    """Daily: scheduled payments whose day has come go on the ledger."""
    return do_post_due_payments()
