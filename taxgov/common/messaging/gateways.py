"""What the vendor gateways (SMS, post) share: the error their delivery tasks retry, and a
POST with basic authentication that turns every failure into that error."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request


class GatewayError(Exception):
    """The gateway refused or could not be reached; the delivery task retries."""


def post(
    url: str, body: bytes, *, user: str, password: str, headers: dict[str, str], timeout: float, name: str
) -> None:
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the URL is operator configuration
        url, data=body, headers={"Authorization": f"Basic {credentials}", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        error.close()
        raise GatewayError(f"{name} answered {error.code}") from None
    except OSError as error:
        raise GatewayError(f"{name} unreachable: {error.__class__.__name__}") from error
    if status >= 300:
        raise GatewayError(f"{name} answered {status}")
