"""``{% acting_banner %}``: on every signed-in page, who the person is acting for, if not themselves."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from taxgov.federal.business.queries import revalidation_due
from taxgov.federal.profile.access import acting_role

register = template.Library()


@register.filter
def ein_last4(ein: str) -> str:
    """The last four digits of an EIN, the only part shown on screen."""
    digits = "".join(ch for ch in str(ein) if ch.isdigit())
    return digits[-4:] if len(digits) == 9 else ""


@register.inclusion_tag("business/_banner.html", takes_context=True)
def acting_banner(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    role = acting_role(request) if request is not None else None
    return {"role": role, "due": revalidation_due(role, timezone.localdate()) if role else None}
