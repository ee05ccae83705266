"""Audit event tags of online forms, named ``source:subject:action``."""

from enum import StrEnum


class FormTag(StrEnum):
    DRAFT_STARTED = "federal:form:draft_started"
    DRAFT_DISCARDED = "federal:form:draft_discarded"
    SUBMITTED = "federal:form:submitted"
    RECEIVED = "federal:form:received"
    ACCEPTED = "federal:form:accepted"
    REJECTED = "federal:form:rejected"
