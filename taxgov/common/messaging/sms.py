"""Text messages and voice calls behind one interface, chosen by TAXGOV_SMS_GATEWAY."""

from __future__ import annotations

import re
import urllib.parse
from typing import Protocol
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from taxgov.common.messaging.gateways import post

E164 = re.compile(r"\+[1-9]\d{6,14}")


class SmsGateway(Protocol):
    def send_sms(self, to: str, body: str, *, sender: str) -> None: ...

    def send_voice(self, to: str, text: str, *, sender: str) -> None: ...


class TwilioSmsGateway:
    """Twilio's REST API (and the many gateways that speak it). TAXGOV_TWILIO_API_URL lets
    tests point it at a local server."""

    def __init__(self, *, account_sid: str, auth_token: str, api_url: str, timeout: float = 10.0) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout

    def send_sms(self, to: str, body: str, *, sender: str) -> None:
        self._post("Messages.json", {"To": to, "From": sender, "Body": body})

    def send_voice(self, to: str, text: str, *, sender: str) -> None:
        # Say the text twice, slowly enough to write a code down.
        said = f'<Say>{escape(text)}</Say><Pause length="2"/><Say>{escape(text)}</Say>'
        self._post("Calls.json", {"To": to, "From": sender, "Twiml": f"<Response>{said}</Response>"})

    def _post(self, resource: str, fields: dict[str, str]) -> None:
        post(
            f"{self.api_url}/2010-04-01/Accounts/{urllib.parse.quote(self.account_sid)}/{resource}",
            urllib.parse.urlencode(fields).encode(),
            user=self.account_sid,
            password=self.auth_token,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=self.timeout,
            name="SMS gateway",
        )


def sms_gateway() -> SmsGateway:
    choice = settings.TAXGOV_SMS_GATEWAY
    if choice == "outbox":
        from taxgov.common.messaging.outbox import OutboxSmsGateway

        return OutboxSmsGateway()
    if choice == "twilio":
        if not (settings.TAXGOV_TWILIO_ACCOUNT_SID and settings.TAXGOV_TWILIO_AUTH_TOKEN):
            raise ImproperlyConfigured("Set TAXGOV_TWILIO_ACCOUNT_SID and TAXGOV_TWILIO_AUTH_TOKEN.")
        return TwilioSmsGateway(
            account_sid=settings.TAXGOV_TWILIO_ACCOUNT_SID,
            auth_token=settings.TAXGOV_TWILIO_AUTH_TOKEN,
            api_url=settings.TAXGOV_TWILIO_API_URL,
        )
    raise ImproperlyConfigured("TAXGOV_SMS_GATEWAY must be 'outbox' or 'twilio'.")
