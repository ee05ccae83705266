"""Audit event tags of professional profiles, authorizations and income verification."""

from enum import StrEnum


class AuthorizationTag(StrEnum):
    PROFESSIONAL_CREATED = "federal:professional:created"
    REQUESTED = "federal:authorization:requested"
    APPROVED = "federal:authorization:approved"
    REJECTED = "federal:authorization:rejected"
    REVOKED = "federal:authorization:revoked"
    WITHDRAWN = "federal:authorization:withdrawn"
    REPLACED = "federal:authorization:replaced"
    ACCOUNT_VIEWED = "federal:authorization:account_viewed"
    TRANSCRIPT_RELEASED = "federal:authorization:transcript_released"
    RATE_LIMITED = "federal:authorization:rate_limited"
    VERIFICATION_REQUESTED = "federal:income_verification:requested"
    VERIFICATION_APPROVED = "federal:income_verification:approved"
    VERIFICATION_REJECTED = "federal:income_verification:rejected"
    VERIFICATION_RELEASED = "federal:income_verification:released"
