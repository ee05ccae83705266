"""What the online account keeps about the ledger's notices: whether the taxpayer has read
each one, how they want notices sent, and how each new notice went out.

The notices themselves (kind, date, period, amount, Letter ID) are the ledger's; nothing
here copies them.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from taxgov.common.security.fields import EncryptedTextField
from taxgov.federal.accounts.models import User
from taxgov.ledger.models import Notice, Taxpayer


class NoticeReading(models.Model):
    """A notice the taxpayer has opened or downloaded (``read_at``); "mark as unread" clears it."""

    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["taxpayer", "notice"], name="federal_notice_reading_unique"),
        ]

    def __str__(self) -> str:
        return f"reading of notice {self.notice_id}"


class NoticePreferences(models.Model):
    """How a taxpayer wants notices: no paper copy of those they can read online, and an email
    when a new one is ready. Each choice applies to notices issued on or after the day it was
    turned on (``*_since``; None is off)."""

    taxpayer = models.OneToOneField(Taxpayer, on_delete=models.PROTECT, related_name="+")
    paperless_since = models.DateField(null=True, blank=True)
    email_since = models.DateField(null=True, blank=True)
    # The email claim of the identity the person signed in with, when they asked for emails.
    email = EncryptedTextField(blank=True)
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notice preferences"

    def __str__(self) -> str:
        return f"notice preferences of taxpayer {self.taxpayer_id}"

    def paperless_for(self, day: dt.date) -> bool:
        return self.paperless_since is not None and self.paperless_since <= day

    def email_for(self, day: dt.date) -> bool:
        return self.email_since is not None and self.email_since <= day and bool(self.email)


class NoticeDelivery(models.Model):
    """How a new notice went out, decided once by the daily announcement: whether its paper
    copy was stopped (the print run skips it) and when the "a notice is ready" email went."""

    notice = models.OneToOneField(Notice, on_delete=models.PROTECT, related_name="+")
    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="+")
    announced_on = models.DateField()
    paperless = models.BooleanField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "notice deliveries"

    def __str__(self) -> str:
        return f"delivery of notice {self.notice_id}"
