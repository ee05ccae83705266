"""How factors and devices are shown: destinations masked, browsers named."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from taxgov.common.mfa.models import FactorKind, SecondFactor

BROWSERS = [
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("Linux", "Linux"),
]


def masked_email(address: str) -> str:
    """``elmo@dor.state.ma.us`` → ``e***@d**.s****.m*.us``: enough to recognise, not to read."""
    local, _, domain = address.partition("@")
    labels = domain.split(".")
    masked = [label[:1] + "*" * (len(label) - 1) for label in labels[:-1]] + labels[-1:]
    return f"{local[:1]}***@{'.'.join(masked)}"


def masked_phone(number: str) -> str:
    """The last four digits only."""
    digits = re.sub(r"\D", "", number)
    return f"(***) ***-{digits[-4:]}"


def masked_destination(factor: SecondFactor) -> str:
    if factor.kind == FactorKind.EMAIL:
        return masked_email(factor.destination)
    if factor.kind in (FactorKind.SMS, FactorKind.VOICE):
        return masked_phone(factor.destination)
    return ""


def describe_browser(user_agent: str) -> str:
    """``Chrome on Linux``, from a User-Agent header, for the list of trusted devices."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), None) or _("A browser")
    system = next((name for marker, name in SYSTEMS if marker in user_agent), "")
    return _("%(browser)s on %(system)s") % {"browser": browser, "system": system} if system else str(browser)
