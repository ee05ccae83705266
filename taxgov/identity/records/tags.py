"""Audit event tags of the authoritative records, named ``source:subject:action``."""

from enum import StrEnum


class RecordsTag(StrEnum):
    LOADED = "identity:records:loaded"
