from enum import StrEnum


class RegistrationTag(StrEnum):
    STARTED = "registration:request:started"
    VERIFICATION_FAILED = "registration:verification:failed"
    VERIFICATION_PASSED = "registration:verification:passed"
    VERIFICATION_LIMITED = "registration:verification:rate_limited"
    SUBMITTED = "registration:request:submitted"
    APPROVED = "registration:request:approved"
    DENIED = "registration:request:denied"
    CANCELLED = "registration:request:cancelled"
    LOGON_ACTIVATED = "registration:logon:activated"
    STALE_DRAFTS_DELETED = "registration:request:stale_drafts_deleted"
