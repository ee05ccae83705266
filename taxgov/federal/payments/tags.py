"""Audit event tags of payments, named ``source:subject:action``."""

from enum import StrEnum


class PaymentTag(StrEnum):
    SCHEDULED = "federal:payment:scheduled"
    PROCESSED = "federal:payment:processed"
    CANCELED = "federal:payment:canceled"
    RETURNED = "federal:payment:returned"
    # The nacha rail's files (ADR 0028): debits handed to the financial agent, returns read.
    FILE_SENT = "federal:payment_file:sent"
    RETURNS_READ = "federal:payment_file:returns_read"
    RETURN_FILE_REJECTED = "federal:payment_file:rejected"
