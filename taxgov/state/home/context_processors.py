from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """The agency's contact details, help links and announcement, for every state page."""
    return {"portal": settings.TAXGOV_STATE_PORTAL}
