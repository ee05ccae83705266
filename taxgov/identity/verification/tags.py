"""Audit event tags of identity verification, named ``source:subject:action``."""

from enum import StrEnum


class VerificationTag(StrEnum):
    STARTED = "identity:verification:started"
    CONSENTED = "identity:verification:consented"
    STEP_FAILED = "identity:verification:step_failed"
    DOCUMENT_READ = "identity:verification:document_read"
    SELFIE_MATCHED = "identity:verification:selfie_matched"
    RECORDS_MATCHED = "identity:verification:records_matched"
    PHONE_CODE_SENT = "identity:verification:phone_code_sent"
    PHONE_CONFIRMED = "identity:verification:phone_confirmed"
    CONFIRMATION_CHOSEN = "identity:verification:confirmation_chosen"
    LETTER_SENT = "identity:verification:letter_sent"
    LETTER_CONFIRMED = "identity:verification:letter_confirmed"
    PASSWORD_CONFIRMED = "identity:verification:password_confirmed"  # noqa: S105 (an event name)
    VIDEO_CALL_CHOSEN = "identity:verification:video_call_chosen"
    SUBMITTED_FOR_VIDEO_CALL = "identity:verification:submitted_for_video_call"
    VERIFIED = "identity:verification:verified"
    NOT_VERIFIED = "identity:verification:not_verified"
    MORE_DOCUMENTS_ASKED = "identity:verification:more_documents_asked"
    BIOMETRICS_DELETED = "identity:verification:biometrics_deleted"
    FRAUD_HOLD_PLACED = "identity:verification:fraud_hold_placed"
    FRAUD_HOLD_RELEASED = "identity:verification:fraud_hold_released"
