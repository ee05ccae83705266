from enum import StrEnum


class SigninTag(StrEnum):
    FAILED = "security:signin:failed"
    LOCKED = "security:signin:locked"
    SIGNED_OUT = "security:signin:signed_out"
    METHOD_ADDED = "security:second_factor:confirmed"
