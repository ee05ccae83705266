from celery import shared_task

from taxgov.federal.notices.actions import do_announce_new_notices


@shared_task(name="taxgov.federal.notices.tasks.announce_new_notices")
def announce_new_notices() -> dict[str, int]:
    """Daily: email those who asked about their new notices, and record which go paperless."""
    result = do_announce_new_notices()
    return {"announced": result.announced, "emailed": result.emailed, "paperless": result.paperless}
