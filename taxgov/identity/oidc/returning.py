"""The way back to an agency that sent someone to verify their identity first.

The authorization endpoint keeps the agency's request in the session; the verification
pages offer "Continue to <agency>", which replays it once the person is verified.
"""

from __future__ import annotations

from django.http import HttpRequest

RETURN_KEY = "oidc.return_to"


def remember_return(request: HttpRequest, *, url: str, agency: str) -> None:
    request.session[RETURN_KEY] = {"url": url, "agency": agency}


def forget_return(request: HttpRequest) -> None:
    request.session.pop(RETURN_KEY, None)


def return_to_agency(request: HttpRequest) -> dict[str, str] | None:
    """``{"url", "agency"}`` while an agency waits for this person's verification, else None."""
    stored = request.session.get(RETURN_KEY)
    return stored if isinstance(stored, dict) else None
