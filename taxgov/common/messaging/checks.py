"""Start-up checks: a deployable that will send texts or letters must know how to send them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_sms_gateway(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    gateway = settings.TAXGOV_SMS_GATEWAY
    if gateway not in ("outbox", "twilio"):
        return [Error("TAXGOV_SMS_GATEWAY must be 'outbox' or 'twilio'.", id="taxgov.E001")]
    if gateway == "twilio" and not (settings.TAXGOV_TWILIO_ACCOUNT_SID and settings.TAXGOV_TWILIO_AUTH_TOKEN):
        return [Error("Set TAXGOV_TWILIO_ACCOUNT_SID and TAXGOV_TWILIO_AUTH_TOKEN.", id="taxgov.E002")]
    if gateway == "outbox" and settings.TAXGOV_ENV == "production":
        return [Error("The development outbox cannot send texts in production.", id="taxgov.E003")]
    return []


RETURN_ADDRESS_FIELDS = {"name", "line1", "line2", "city", "state", "postal_code"}


@register()
def check_postal_gateway(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    gateway = settings.TAXGOV_POSTAL_GATEWAY
    if gateway not in ("outbox", "lob"):
        return [Error("TAXGOV_POSTAL_GATEWAY must be 'outbox' or 'lob'.", id="taxgov.E004")]
    if gateway == "lob" and not (
        settings.TAXGOV_LOB_API_KEY and set(settings.TAXGOV_LETTER_RETURN_ADDRESS) == RETURN_ADDRESS_FIELDS
    ):
        return [
            Error(
                "Set TAXGOV_LOB_API_KEY and TAXGOV_LETTER_RETURN_ADDRESS (JSON with "
                + ", ".join(sorted(RETURN_ADDRESS_FIELDS))
                + ").",
                id="taxgov.E005",
            )
        ]
    if gateway == "outbox" and settings.TAXGOV_ENV == "production":
        return [Error("The development outbox cannot mail letters in production.", id="taxgov.E006")]
    return []
