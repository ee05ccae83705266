"""Start-up checks: development tools never run in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_no_dev_tools_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The dev tools show every message sent and fill in security codes ("Populate")."""
    if settings.TAXGOV_ENV == "production" and settings.TAXGOV_DEV_TOOLS:
        return [Error("TAXGOV_DEV_TOOLS cannot be on in production.", id="taxgov.E007")]
    return []
