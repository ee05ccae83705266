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

    @classmethod
    def start(cls, request: HttpRequest, user_id: int, next_url: str) -> PendingLogin:
        pending = cls(user_id=user_id, started=time.time(), next_url=next_url)
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
