"""Audit event tags of the business tax account, named ``source:subject:action``."""

from enum import StrEnum


class BusinessTag(StrEnum):
    REGISTERED = "federal:business:registered"
    REGISTRATION_REFUSED = "federal:business:registration_refused"
    REVALIDATED = "federal:business:revalidated"
    REVALIDATION_REFUSED = "federal:business:revalidation_refused"
    RATE_LIMITED = "federal:business:rate_limited"
    ROLE_GRANTED = "federal:business:role_granted"
    GRANT_UNMATCHED = "federal:business:grant_unmatched"
    ROLE_REMOVED = "federal:business:role_removed"
    SWITCHED = "federal:business:switched"
