from celery import shared_task

from taxgov.state.registration.actions import do_delete_stale_drafts


@shared_task(name="taxgov.state.registration.tasks.delete_stale_drafts")
def delete_stale_drafts() -> int:
    return do_delete_stale_drafts()
