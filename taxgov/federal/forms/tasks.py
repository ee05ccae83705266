from celery import shared_task

from taxgov.federal.forms.actions import do_process_submissions


@shared_task(name="taxgov.federal.forms.tasks.process_forms")
def process_forms() -> dict[str, int]:
    """Periodic: take in the forms submitted online, then accept or reject them."""
    result = do_process_submissions()
    return {"received": result.received, "accepted": result.accepted, "rejected": result.rejected}
