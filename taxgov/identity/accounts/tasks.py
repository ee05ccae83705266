from celery import shared_task
from django.conf import settings

from taxgov.identity.accounts.reset import do_send_ready_resets


@shared_task(name="taxgov.identity.accounts.tasks.send_ready_account_resets")
def send_ready_account_resets() -> int:
    return do_send_ready_resets(settings.TAXGOV_PUBLIC_URL or "http://localhost:8000")
