"""What the session holds between the password and the second step, as a typed record
rather than loose keys. It expires, and it never makes anyone signed in."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from django.http import HttpRequest

PENDING_KEY = "taxgov.signin.pending"
PENDING_SECONDS = 15 * 60


@dataclass
class PendingLogin:
    """The password was right; the second step has not been passed yet."""

    user_id: int
    started: float
    next_url: str = ""
    factor_id: int | None = None  # the factor a code was sent to, or is being set up
    # The account had no second step when this sign-in gave its password (or it is a new
    # account, or its reset was completed): this sign-in may set up the first methods.
    first_setup: bool = False

    @classmethod
    def start(cls, request: HttpRequest, user_id: int, next_url: str, *, first_setup: bool = False) -> PendingLogin:
        """A new session id as well (no fixation before the second step); any earlier
        pending sign-in, with its permissions, is gone."""
        request.session.cycle_key()
        pending = cls(user_id=user_id, started=time.time(), next_url=next_url, first_setup=first_setup)
        pending.save(request)
        return pending

    @classmethod
    def load(cls, request: HttpRequest) -> PendingLogin | None:
        raw = request.session.get(PENDING_KEY)
        if not isinstance(raw, dict):
            return None
        try:
            pending = cls(**raw)
        except TypeError:
            return None
        if time.time() - pending.started > PENDING_SECONDS:
            cls.clear(request)
            return None
        return pending

    def save(self, request: HttpRequest) -> None:
        request.session[PENDING_KEY] = asdict(self)

    @staticmethod
    def clear(request: HttpRequest) -> None:
        request.session.pop(PENDING_KEY, None)
