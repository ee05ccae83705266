"""Audit event tags of the federal sign-in, named ``source:subject:action``."""

from enum import StrEnum


class FederalSigninTag(StrEnum):
    SIGNED_IN = "federal:signin:signed_in"
    SIGN_IN_FAILED = "federal:signin:failed"
    SIGNED_OUT = "federal:signin:signed_out"
