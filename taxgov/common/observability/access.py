"""Who may read ``/metrics``: a client on this host, or one with the deployable's metrics token.
Anyone else gets the ordinary 404, so the page's existence is not advertised."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest

from taxgov.common.access.rules import AccessRule, deny_not_found


def _from_loopback(request: HttpRequest) -> bool:
    """A loopback peer, and no proxy in between: a proxy on this host relays outside clients
    from 127.0.0.1 too, and says so in X-Forwarded-For or Forwarded."""
    if "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META:
        return False
    try:
        address = ipaddress.ip_address(str(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _has_token(request: HttpRequest) -> bool:
    token = settings.TAXGOV_METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


METRICS_READER = AccessRule(
    "metrics-reader", allows=lambda request: _from_loopback(request) or _has_token(request), deny=deny_not_found
)
