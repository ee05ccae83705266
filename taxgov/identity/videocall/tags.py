"""Audit event tags of video calls, named ``source:subject:action``."""

from enum import StrEnum


class VideoCallTag(StrEnum):
    JOINED_LINE = "identity:videocall:joined_line"
    LEFT_LINE = "identity:videocall:left_line"
    WILL_BE_NOTIFIED = "identity:videocall:will_be_notified"
    BOOKED = "identity:videocall:appointment_booked"
    RESCHEDULED = "identity:videocall:appointment_rescheduled"
    CANCELLED = "identity:videocall:appointment_cancelled"
    CHECKED_IN = "identity:videocall:checked_in"
    CALLED = "identity:videocall:called"
    ANSWERED = "identity:videocall:answered"
    NO_SHOW = "identity:videocall:no_show"
    DECIDED = "identity:videocall:decided"
    SHIFT_STARTED = "identity:videocall:shift_started"
    SHIFT_ENDED = "identity:videocall:shift_ended"
    EVIDENCE_VIEWED = "identity:videocall:evidence_viewed"
