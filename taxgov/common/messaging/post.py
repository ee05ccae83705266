"""Letters by post behind one interface, chosen by TAXGOV_POSTAL_GATEWAY: the development
outbox, or Lob's print-and-mail API."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from taxgov.common.messaging.gateways import post


@dataclass(frozen=True)
class PostalAddress:
    name: str
    line1: str
    line2: str
    city: str
    state: str
    postal_code: str

    def lines(self) -> list[str]:
        return [line for line in (self.name, self.line1, self.line2) if line] + [
            f"{self.city}, {self.state} {self.postal_code}"
        ]

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class PostalGateway(Protocol):
    def send_letter(self, to: PostalAddress, pdf: bytes, *, text: str, reference: str) -> None:
        """Print ``pdf`` and mail it to ``to``; ``reference`` makes a retried send mail one
        letter; ``text`` is the letter in plain text, for a gateway that keeps a copy."""


class LobPostalGateway:
    """Lob's letters API (``POST /v1/letters``): first-class mail, black and white, the
    address printed in the envelope's window. TAXGOV_LOB_API_URL lets tests point it at a
    local server."""

    def __init__(self, *, api_key: str, api_url: str, sender: PostalAddress, timeout: float = 30.0) -> None:
        self.api_key = api_key
        self.api_url = api_url.rstrip("/")
        self.sender = sender
        self.timeout = timeout

    def send_letter(self, to: PostalAddress, pdf: bytes, *, text: str, reference: str) -> None:
        fields = {
            "description": reference,
            "color": "false",
            "mail_type": "usps_first_class",
            "use_type": "operational",
            "address_placement": "top_first_page",
            **_lob_address("to", to),
            **_lob_address("from", self.sender),
        }
        body, content_type = _multipart(fields, pdf)
        post(
            f"{self.api_url}/v1/letters",
            body,
            user=self.api_key,
            password="",
            headers={"Content-Type": content_type, "Idempotency-Key": reference},
            timeout=self.timeout,
            name="postal gateway",
        )


def _lob_address(prefix: str, address: PostalAddress) -> dict[str, str]:
    return {
        f"{prefix}[name]": address.name,
        f"{prefix}[address_line1]": address.line1,
        f"{prefix}[address_line2]": address.line2,
        f"{prefix}[address_city]": address.city,
        f"{prefix}[address_state]": address.state,
        f"{prefix}[address_zip]": address.postal_code,
    }


def _multipart(fields: dict[str, str], pdf: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
        if value
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="letter.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + pdf
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def postal_gateway() -> PostalGateway:
    choice = settings.TAXGOV_POSTAL_GATEWAY
    if choice == "outbox":
        from taxgov.common.messaging.outbox import OutboxPostalGateway

        return OutboxPostalGateway()
    if choice == "lob":
        if not settings.TAXGOV_LOB_API_KEY:
            raise ImproperlyConfigured("Set TAXGOV_LOB_API_KEY.")
        return LobPostalGateway(
            api_key=settings.TAXGOV_LOB_API_KEY,
            api_url=settings.TAXGOV_LOB_API_URL,
            sender=PostalAddress(**settings.TAXGOV_LETTER_RETURN_ADDRESS),
        )
    raise ImproperlyConfigured("TAXGOV_POSTAL_GATEWAY must be 'outbox' or 'lob'.")
