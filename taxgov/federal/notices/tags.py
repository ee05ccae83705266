"""Audit event tags of notices, named ``source:subject:action``."""

from enum import StrEnum


class NoticeTag(StrEnum):
    DOWNLOADED = "federal:notice:downloaded"
    ANNOUNCED = "federal:notice:announced"
    PREFERENCES_CHANGED = "federal:notice_preferences:changed"
