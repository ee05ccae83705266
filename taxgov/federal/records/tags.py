"""Audit event tags of records, named ``source:subject:action``."""

from enum import StrEnum


class RecordsTag(StrEnum):
    TRANSCRIPT_DOWNLOADED = "federal:transcript:downloaded"
