"""The form renderer: ``{{ form }}`` draws USWDS fields, hints, errors and an error summary.

Django links hints and errors to inputs (``aria-describedby`` with ``<id>_helptext`` and
``<id>_error``) and marks invalid inputs with ``aria-invalid``; this module adds the USWDS
classes, and the templates under ``uswds/forms/`` draw the rest.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input

WIDGET_CLASSES: list[tuple[type[forms.Widget], str, str]] = [
    # (widget type, USWDS class, class added when the field has errors)
    (forms.CheckboxSelectMultiple, "usa-checkbox__input", ""),  # a RadioSelect subclass: test it first
    (forms.RadioSelect, "usa-radio__input", ""),
    (forms.CheckboxInput, "usa-checkbox__input", ""),
    (forms.Select, "usa-select", "usa-input--error"),
    (forms.Textarea, "usa-textarea", "usa-input--error"),
    (forms.FileInput, "usa-file-input", "usa-input--error"),
    (Input, "usa-input", "usa-input--error"),
]


def uswds_classes(widget: forms.Widget, *, has_errors: bool) -> str:
    for widget_type, css_class, error_class in WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return f"{css_class} {error_class}".strip() if has_errors else css_class
    return ""


class UswdsBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        css = uswds_classes(widget, has_errors=bool(self.errors))
        existing = str(attrs.get("class") or widget.attrs.get("class", ""))
        attrs["class"] = f"{existing} {css}".strip()
        return attrs

    @property
    def error_target_id(self) -> str:
        """Where the error summary's link for this field points: the input itself, or the first
        option of a radio or checkbox group (Django gives groups no single label target)."""
        return self.id_for_label or f"{self.auto_id}_0"

    @property
    def is_checkbox(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)


class UswdsFormRenderer(TemplatesSetting):
    form_template_name = "uswds/forms/form.html"
    field_template_name = "uswds/forms/field.html"
    bound_field_class = UswdsBoundField
