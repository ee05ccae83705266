from enum import StrEnum


class AccountTag(StrEnum):
    SIGNED_IN = "security:signin:succeeded"
    SIGNIN_FAILED = "security:signin:failed"
    SIGNIN_LOCKED = "security:signin:locked"
    SIGNED_OUT = "security:signin:signed_out"
    TIMED_OUT = "security:signin:timed_out"
    PASSWORD_CHANGED = "security:password:changed"  # noqa: S105 (an event name)
    PASSWORD_RESET_REQUESTED = "security:password:reset_requested"  # noqa: S105 (an event name)
    PASSWORD_RESET = "security:password:reset"  # noqa: S105 (an event name)
    USERNAME_REMINDER_SENT = "security:username:reminder_sent"
    PROFILE_CHANGED = "account:profile:changed"
    ACCESS_CHANGED = "account:access:changed"
    ACCESS_REQUESTED = "account:access:requested"
    ACCESS_DECIDED = "account:access:decided"
