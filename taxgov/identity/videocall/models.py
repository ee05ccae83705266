"""Video calls with an agent (NIST SP 800-63A trusted referee): a person waits in the live
line or books a time, an agent on duty answers, and the call ends in the agent's decision.

A call is ``waiting`` (in line, or booked), ``called`` (an agent is ready and the person has
a few minutes to join), ``in_call``, then ``ended`` with a result, or ``abandoned`` (left the
line, or never joined) or ``cancelled`` (an appointment cancelled or moved). The database
keeps one open call per case and no more appointments in a slot than it has seats.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taxgov.common.security.fields import EncryptedTextField
from taxgov.identity.verification.models import Verification


class CallState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Agent ready")
    IN_CALL = "in_call", _("On the call")
    ENDED = "ended", _("Ended")
    ABANDONED = "abandoned", _("Left before the call")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (CallState.WAITING, CallState.CALLED, CallState.IN_CALL)


class CallResult(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    MORE_DOCUMENTS = "more_documents", _("More documents asked for")


class NotifyBy(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class VideoCall(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="video_calls")
    state = models.CharField(max_length=9, choices=CallState.choices, default=CallState.WAITING)
    joined_at = models.DateTimeField(default=timezone.now)  # joined the line, or booked
    scheduled_for = models.DateTimeField(null=True, blank=True)  # an appointment's slot
    seat = models.PositiveSmallIntegerField(null=True, blank=True)  # which of the slot's seats
    checked_in_at = models.DateTimeField(null=True, blank=True)  # arrived for the appointment
    last_seen_at = models.DateTimeField(null=True, blank=True)  # the waiting page last asked
    language = models.CharField(max_length=8, default="en")  # for the messages we send
    notify_by = models.CharField(max_length=5, choices=NotifyBy.choices, blank=True)  # left; tell them
    notify_phone = EncryptedTextField(blank=True)  # E.164, for ``sms``
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="answered_calls"
    )
    called_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)  # the person joined the room
    ended_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=14, choices=CallResult.choices, blank=True)
    reason = EncryptedTextField(blank=True)  # the agent's words, shown to the person

    class Meta:
        permissions = [
            ("answer_video_calls", "Can answer identity-verification video calls"),
            ("see_video_call_figures", "Can see the video-call figures"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["verification"],
                condition=Q(state__in=["waiting", "called", "in_call"]),
                name="videocall_one_open_call_per_case",
            ),
            models.UniqueConstraint(
                fields=["scheduled_for", "seat"],
                condition=Q(state__in=["waiting", "called", "in_call"], scheduled_for__isnull=False),
                name="videocall_one_appointment_per_seat",
            ),
            models.CheckConstraint(
                condition=Q(scheduled_for__isnull=True, seat__isnull=True)
                | Q(scheduled_for__isnull=False, seat__isnull=False),
                name="videocall_appointment_has_a_seat",
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | ~Q(result=""), name="videocall_ended_call_has_a_result"
            ),
        ]
        indexes = [models.Index(fields=["state", "joined_at"]), models.Index(fields=["ended_at"])]

    def __str__(self) -> str:
        return f"video call {self.pk}"

    @property
    def is_appointment(self) -> bool:
        return self.scheduled_for is not None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class AgentShift(models.Model):
    """An agent on duty: the live line's estimated wait counts the agents with a shift open."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agent_shifts")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agent"], condition=Q(ended_at__isnull=True), name="videocall_one_open_shift_per_agent"
            )
        ]

    def __str__(self) -> str:
        return f"shift {self.pk}"


class Side(models.TextChoices):
    PERSON = "person", _("Person")
    AGENT = "agent", _("Agent")


class CallSignal(models.Model):
    """One WebRTC signalling message (an offer, an answer, an ICE candidate) passed through
    our server from one side of a call to the other; deleted when the call ends."""

    call = models.ForeignKey(VideoCall, on_delete=models.CASCADE, related_name="signals")
    sender = models.CharField(max_length=6, choices=Side.choices)
    kind = models.CharField(max_length=9)  # ready, offer, answer, candidate
    body = models.TextField(blank=True)  # JSON from the browser, at most a few kilobytes
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"signal {self.pk}"
