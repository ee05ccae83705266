from enum import StrEnum


class SignupTag(StrEnum):
    STARTED = "account:signup:started"
    EXISTING_EMAIL = "account:signup:existing_email"
    CONFIRMED = "account:signup:email_confirmed"
    CONFIRMATION_FAILED = "account:signup:confirmation_failed"
    PASSWORD_SET = "account:signup:password_set"  # noqa: S105 (an event name)
    COMPLETED = "account:signup:completed"
