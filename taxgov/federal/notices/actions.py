"""Reading notices, choosing how they are sent, and announcing new ones.

The daily announcement takes each new notice once, under its taxpayer's preferences row
lock: it records whether the paper copy is stopped and sends the "a notice is ready" email
(queued when the transaction commits), so a run interrupted or run twice emails no one twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email
from taxgov.federal.accounts.models import User
from taxgov.federal.notices import queries
from taxgov.federal.notices.models import NoticeDelivery, NoticePreferences, NoticeReading
from taxgov.federal.notices.tags import NoticeTag
from taxgov.ledger.models import Notice, Taxpayer


def do_mark_read(notice: Notice) -> None:
    """Opening or downloading a notice marks it read (once: the first time is kept)."""
    now = timezone.now()
    reading, created = NoticeReading.objects.get_or_create(
        taxpayer_id=notice.taxpayer_id, notice=notice, defaults={"read_at": now}
    )
    if not created and reading.read_at is None:  # marked unread since
        reading.read_at = now
        reading.save(update_fields=["read_at"])


def do_mark_unread(notice: Notice) -> None:
    NoticeReading.objects.filter(taxpayer_id=notice.taxpayer_id, notice=notice).update(read_at=None)


@transaction.atomic
def do_record_download(notice: Notice, *, user: User, request: HttpRequest | None = None) -> None:
    do_mark_read(notice)
    record_event(NoticeTag.DOWNLOADED, actor=f"user:{user.pk}", subject=f"notice:{notice.pk}", request=request)


def _since(was: dt.date | None, wanted: bool, today: dt.date) -> dt.date | None:
    """A choice kept on keeps the day it was turned on; turned on now, it starts today."""
    if not wanted:
        return None
    return was or today


@transaction.atomic
def do_change_preferences(
    taxpayer: Taxpayer,
    *,
    user: User,
    paperless: bool,
    email: bool,
    email_address: str,
    today: dt.date,
    request: HttpRequest | None = None,
) -> NoticePreferences:
    """Save the choices; emails go to ``email_address``, the verified identity's email claim.
    An audit event says what changed (never the address)."""
    if email and not email_address:
        raise ValueError("Email notification needs an email address.")
    preferences = NoticePreferences.objects.select_for_update().filter(taxpayer=taxpayer).first()
    if preferences is None:
        preferences = NoticePreferences(taxpayer=taxpayer, changed_by=user)
    before = (preferences.paperless_since is not None, preferences.email_since is not None, preferences.email)
    preferences.paperless_since = _since(preferences.paperless_since, paperless, today)
    preferences.email_since = _since(preferences.email_since, email, today)
    preferences.email = email_address if email else ""
    preferences.changed_by = user
    preferences.save()
    if before != (paperless, email, preferences.email):
        record_event(
            NoticeTag.PREFERENCES_CHANGED,
            actor=f"user:{user.pk}",
            subject=f"taxpayer:{taxpayer.pk}",
            request=request,
            extra={"paperless": paperless, "email": email, "email_address_changed": before[2] != preferences.email},
        )
    return preferences


@transaction.atomic
def do_announce_notice(notice_id: int, today: dt.date) -> NoticeDelivery | None:
    """Record how one new notice goes out and send its email; None if it was announced already."""
    notice = Notice.objects.get(pk=notice_id)
    preferences = NoticePreferences.objects.select_for_update().filter(taxpayer_id=notice.taxpayer_id).first()
    if NoticeDelivery.objects.filter(notice=notice).exists():
        return None
    emailed = preferences is not None and preferences.email_for(notice.issued_on)
    delivery = NoticeDelivery.objects.create(
        notice=notice,
        taxpayer_id=notice.taxpayer_id,
        announced_on=today,
        paperless=queries.goes_paperless(notice, preferences),
        emailed_at=timezone.now() if emailed else None,
    )
    if preferences is not None and emailed:
        send_email("federal_notice_ready", preferences.email, {})
    record_event(
        NoticeTag.ANNOUNCED,
        subject=f"notice:{notice.pk}",
        extra={"paperless": delivery.paperless, "emailed": emailed},
    )
    return delivery


@dataclass
class Announcement:
    announced: int = 0
    emailed: int = 0
    paperless: int = 0


def do_announce_new_notices(today: dt.date | None = None) -> Announcement:
    """The daily run (and ``manage.py announce_notices``); call it too after issuing notices.
    Each notice is its own transaction, so a run stopped half-way is finished by the next."""
    today = today or timezone.localdate()
    result = Announcement()
    for notice_id in queries.unannounced(today):
        delivery = do_announce_notice(notice_id, today)
        if delivery is not None:
            result.announced += 1
            result.emailed += delivery.emailed_at is not None
            result.paperless += delivery.paperless
    return result
