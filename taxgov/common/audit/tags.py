"""Event tags of the shared kernel, named ``source:subject:action``.

Each deployable keeps its own tags beside its actions; ``record_event`` takes any of them.
"""

from enum import StrEnum


class EventTag(StrEnum):
    PII_KEYS_ROTATED = "security:pii_keys:rotated"
    AUDIT_CHAIN_BROKEN = "security:audit_chain:broken"
    DEV_TEST_EMAIL_SENT = "dev:outbox:test_email_sent"
    SESSION_TIMED_OUT = "security:session:timed_out"
