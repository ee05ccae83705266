from enum import StrEnum


class AccountTag(StrEnum):
    SECURITY_NOTICE_SENT = "account:notice:sent"
    DISAVOWED = "security:account:disavowed"
    RESET_REQUESTED = "security:password:reset_requested"
    RESET = "security:password:reset"
    DELETED = "account:account:deleted"
    DATA_DOWNLOADED = "account:data:downloaded"
    ACCOUNT_RESET_REQUESTED = "security:account_reset:requested"
    ACCOUNT_RESET_CANCELLED = "security:account_reset:cancelled"
    ACCOUNT_RESET_COMPLETED = "security:account_reset:completed"
    STAFF_ROLE_GIVEN = "security:staff_role:given"
    STAFF_ROLE_REMOVED = "security:staff_role:removed"
