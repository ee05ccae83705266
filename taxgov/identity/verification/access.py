"""How views get verification cases: only the signed-in person's own."""

from __future__ import annotations

from django.http import HttpRequest

from taxgov.common.access.rules import signed_in_user_id
from taxgov.identity.verification.models import Outcome, Verification


def case_in_progress(request: HttpRequest) -> Verification | None:
    """The signed-in person's case still in progress, if any (there is at most one)."""
    return (
        Verification.objects.filter(user_id=signed_in_user_id(request), outcome=Outcome.IN_PROGRESS)
        .order_by("-created_at")
        .first()
    )
