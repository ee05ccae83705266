"""A development page showing every USWDS component and a sample form, so they can be seen,
tried with a keyboard and scanned by axe in the browser tests."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from taxgov.common.access.rules import DEV_TOOLS, access_rule
from taxgov.common.uswds.components import Button


class SampleForm(forms.Form):
    full_name = forms.CharField(
        label=gettext_lazy("Full name"), max_length=100, help_text=gettext_lazy("As it appears on your ID.")
    )
    email = forms.EmailField(label=gettext_lazy("Email address"))
    contact = forms.ChoiceField(
        label=gettext_lazy("How should we contact you?"),
        choices=[("email", gettext_lazy("Email")), ("text", gettext_lazy("Text message"))],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(label=gettext_lazy("Comments"), required=False, widget=forms.Textarea, max_length=500)
    agree = forms.BooleanField(label=gettext_lazy("I agree to the terms"))


@access_rule(DEV_TOOLS)
@require_http_methods(["GET", "POST"])
def component_gallery(request: HttpRequest) -> HttpResponse:
    form = SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form = SampleForm()
    context = {
        "form": form,
        "steps": [_("Account"), _("Contact"), _("Review")],
        "summary_items": [(_("Development outbox"), "/dev/outbox/"), (_("Home"), "/")],
        "table_headers": [_("Date"), _("Type"), _("Amount")],
        "table_rows": [["2026-04-15", _("Balance due"), "$1,250.00"], ["2026-06-15", _("Estimated tax"), "$400.00"]],
        "buttons": [Button(_("Continue")), Button(_("Back"), url="#main-content", style="outline")],
        "modal_confirm": Button(_("Yes, continue"), url="#main-content"),
    }
    return render(request, "uswds/gallery.html", context)
