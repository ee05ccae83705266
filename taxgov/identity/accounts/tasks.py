from celery import shared_task
from django.conf import settings

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email
from taxgov.identity.accounts.links import password_reset_link
from taxgov.identity.accounts.models import User
from taxgov.identity.accounts.reset import do_send_ready_resets
from taxgov.identity.accounts.tags import AccountTag


@shared_task(name="taxgov.identity.accounts.tasks.send_ready_account_resets")
def send_ready_account_resets() -> int:
    return do_send_ready_resets(settings.TAXGOV_PUBLIC_URL or "http://localhost:8000")


@shared_task(name="taxgov.identity.accounts.tasks.send_password_reset")
def send_password_reset(*, email: str, base_url: str) -> None:
    """A reset link to an account whose address was confirmed; for any other address,
    nothing (the page already said the same thing either way)."""
    user = User.objects.filter(email__iexact=User.objects.normalize_sign_in_name(email), is_active=True).first()
    if user is None or user.email_confirmed_at is None:
        return
    send_email(
        "password_reset",
        user.email,
        {"reset_url": password_reset_link(base_url, user), "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )
    record_event(AccountTag.RESET_REQUESTED, subject=f"user:{user.pk}")
