"""Audit event tags of payments, named ``source:subject:action``."""

from enum import StrEnum


class PaymentTag(StrEnum):
    SCHEDULED = "federal:payment:scheduled"
    SENT = "federal:payment:sent"
    PROCESSED = "federal:payment:processed"
    CANCELED = "federal:payment:canceled"
    RETURNED = "federal:payment:returned"
    REFUSED = "federal:payment:refused"
