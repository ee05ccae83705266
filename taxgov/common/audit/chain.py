"""How an audit event's hash is computed; shared by the writer and the verifier."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from django.conf import settings

GENESIS_HASH = "0" * 64


def event_hash(
    *,
    previous_hash: str,
    sequence: int,
    occurred_at: datetime,
    tag: str,
    actor: str,
    subject: str,
    ip_address: str | None,
    user_agent: str,
    extra: dict[str, Any],
) -> str:
    """HMAC-SHA256 over the previous hash and this event's fields, in a canonical JSON form.

    Keyed, so someone who can write to the database but lacks TAXGOV_AUDIT_CHAIN_KEY cannot
    forge a consistent chain after editing it.
    """
    body = json.dumps(
        [previous_hash, sequence, occurred_at.isoformat(), tag, actor, subject, ip_address, user_agent, extra],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hmac.new(settings.TAXGOV_AUDIT_CHAIN_KEY.encode(), body.encode(), hashlib.sha256).hexdigest()
