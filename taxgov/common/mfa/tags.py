from enum import StrEnum


class MfaTag(StrEnum):
    FACTOR_ADDED = "security:second_factor:added"
    FACTOR_REMOVED = "security:second_factor:removed"
    CODE_SENT = "security:second_factor:code_sent"
    VERIFIED = "security:second_factor:verified"
    FAILED = "security:second_factor:failed"
    DEVICE_TRUSTED = "security:trusted_device:added"
    DEVICE_REVOKED = "security:trusted_device:revoked"
    RECOVERY_CODES_CREATED = "security:recovery_codes:created"
    RECOVERY_CODE_USED = "security:recovery_codes:used"
    SIGNED_IN = "security:signin:succeeded"
