"""USWDS components as template tags with checked arguments.

{% alert "warning" heading=_("Heads up") text=message %}
{% step_indicator steps current_index %}
{% summary_box heading items %}               items: (label, url) pairs
{% data_table caption headers rows %}
{% button_group buttons %}                    buttons: Button(...) from taxgov.common.uswds.components
{% modal "modal-id" heading text confirm cancel %}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms, template

from taxgov.common.uswds.components import Button, Step, steps_with_status

register = template.Library()

ALERT_TYPES = ("info", "success", "warning", "error", "emergency")


@register.filter
def has_required_fields(form: forms.BaseForm) -> bool:
    return any(field.required and not field.widget.is_hidden for field in form.fields.values())


@register.inclusion_tag("uswds/components/alert.html")
def alert(kind: str, *, text: str, heading: str = "", slim: bool = False, role: str = "") -> dict[str, Any]:
    if kind not in ALERT_TYPES:
        raise template.TemplateSyntaxError(f"alert type must be one of {ALERT_TYPES}, not {kind!r}")
    if role not in ("", "alert", "status", "region"):
        raise template.TemplateSyntaxError(f"alert role {role!r} is not allowed")
    return {"kind": kind, "text": text, "heading": heading, "slim": slim, "role": role}


@register.inclusion_tag("uswds/components/step_indicator.html")
def step_indicator(steps: Sequence[str], current: int, *, counters: bool = True) -> dict[str, Any]:
    if not 0 <= current < len(steps):
        raise template.TemplateSyntaxError(f"current step {current} is outside the {len(steps)} steps")
    rows: list[Step] = steps_with_status(steps, current)
    return {"steps": rows, "current": rows[current], "number": current + 1, "total": len(steps), "counters": counters}


@register.inclusion_tag("uswds/components/summary_box.html")
def summary_box(heading: str, items: Sequence[tuple[str, str]], *, text: str = "") -> dict[str, Any]:
    return {"heading": heading, "items": items, "text": text}


@register.inclusion_tag("uswds/components/table.html")
def data_table(
    caption: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, numeric_columns: Sequence[int] = ()
) -> dict[str, Any]:
    for row in rows:
        if len(row) != len(headers):
            raise template.TemplateSyntaxError("every table row needs one cell per header")
    return {"caption": caption, "headers": headers, "rows": rows, "numeric": set(numeric_columns)}


@register.inclusion_tag("uswds/components/button_group.html")
def button_group(buttons: Sequence[Button]) -> dict[str, Any]:
    return {"buttons": buttons}


@register.inclusion_tag("uswds/components/modal.html")
def modal(modal_id: str, heading: str, text: str, confirm: Button, cancel_label: str) -> dict[str, Any]:
    return {"id": modal_id, "heading": heading, "text": text, "confirm": confirm, "cancel_label": cancel_label}
