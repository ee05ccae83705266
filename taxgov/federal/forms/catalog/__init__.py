"""The forms taxpayers can submit online, by number. Adding one: declare it in a module here
and list it below (ADR 0025)."""

from __future__ import annotations

from taxgov.federal.forms.catalog.form_4547 import FORM_4547
from taxgov.federal.forms.declarations import OnlineForm

FORMS: dict[str, OnlineForm] = {form.code: form for form in (FORM_4547,)}


def find(code: str) -> OnlineForm | None:
    return FORMS.get(code)


def declaration(code: str) -> OnlineForm:
    """The form a submission was made with (declarations are never removed while it has any)."""
    form = FORMS.get(code)
    if form is None:
        raise LookupError(f"form {code!r} has submissions but no declaration")
    return form
