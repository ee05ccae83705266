from enum import StrEnum


class ProfileTag(StrEnum):
    CREATED = "federal:profile:created"
    NOT_MATCHED = "federal:profile:not_matched"
    RATE_LIMITED = "federal:profile:rate_limited"
