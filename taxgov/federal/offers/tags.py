"""Audit event tags of the pre-qualifier, named ``source:subject:action``."""

from enum import StrEnum


class OfferTag(StrEnum):
    STARTED = "federal:offer_prequalification:started"
    REVIEWED = "federal:offer_prequalification:reviewed"
    DELETED = "federal:offer_prequalification:deleted"
