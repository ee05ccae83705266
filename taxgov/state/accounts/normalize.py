"""Normal forms for what logons are matched on: e-mail addresses (by fingerprint, without
decrypting) and secret answers (whatever their letter case and spacing)."""

from __future__ import annotations

from taxgov.common.security import pii

EMAIL_CONTEXT = "state_accounts.User.email"


def email_fingerprint(email: str) -> str:
    return pii.fingerprint(email.strip().casefold(), context=EMAIL_CONTEXT)


def normalize_secret_answer(answer: str) -> str:
    return " ".join(answer.split()).casefold()
