from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """Branding and mode flags every page template needs."""
    return {
        "brand": settings.TAXGOV_BRAND,
        "demo_mode": settings.TAXGOV_DEMO_MODE,
        "dev_tools": settings.TAXGOV_DEV_TOOLS,
        "deployable": settings.TAXGOV_DEPLOYABLE,
        "idle_timeout": settings.TAXGOV_IDLE_TIMEOUT,
    }
