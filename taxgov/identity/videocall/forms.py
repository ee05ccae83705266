"""Video-call forms: validation only."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from taxgov.common.phones import to_e164
from taxgov.identity.videocall import queries
from taxgov.identity.videocall.models import CallResult, NotifyBy

SIGNAL_KINDS = ("ready", "offer", "answer", "candidate")
MAX_SIGNAL = 16 * 1024  # an SDP offer is a few kilobytes


class NotifyForm(forms.Form):
    notify_by = forms.ChoiceField(
        label=_("How should we tell you?"), choices=NotifyBy.choices, widget=forms.RadioSelect
    )
    phone = forms.CharField(
        label=_("Mobile number for the text"),
        max_length=25,
        required=False,
        help_text=_("Only if you chose a text message. For example: (617) 555-0123"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel-national"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("notify_by") == NotifyBy.SMS:
            number = to_e164(cleaned.get("phone") or "", "US")
            if number is None:
                self.add_error("phone", _("Enter a 10-digit U.S. mobile number."))
            cleaned["phone"] = number or ""
        else:
            cleaned["phone"] = ""
        return cleaned


class DayForm(forms.Form):
    """Which day's times to show (the booking page's first question)."""

    day = forms.DateField(input_formats=["%Y-%m-%d"])


TAKEN = _("That time is no longer free. Choose another.")


class SlotForm(forms.Form):
    slot = forms.ChoiceField(
        label=_("Choose a time"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": TAKEN, "required": _("Choose a time.")},
    )

    def __init__(self, *args: Any, now: dt.datetime, day: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        choices = []
        for when, seats in queries.slots(now, day):
            local = timezone.localtime(when)
            label = _("%(time)s (%(seats)d left)") % {"time": formats.time_format(local, "TIME_FORMAT"), "seats": seats}
            choices.append((local.isoformat(), label))
        cast(forms.ChoiceField, self.fields["slot"]).choices = choices

    def clean_slot(self) -> dt.datetime:
        when = dt.datetime.fromisoformat(self.cleaned_data["slot"])
        if not queries.is_bookable(self.now, when):
            raise ValidationError(TAKEN, code="taken")
        return when


class DecisionForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (CallResult.APPROVED, _("Approve: this is the person, and the documents are theirs")),
            (CallResult.DENIED, _("Deny")),
            (CallResult.MORE_DOCUMENTS, _("Ask for more documents")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The person reads this if you deny or ask for more documents. Do not write their SSN."),
    )


class FraudHoldForm(forms.Form):
    """Keep a case's photos past the retention period while fraud is looked into."""

    hold_reason = forms.CharField(
        label=_("Why keep the photos?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the fraud team and the audit log. Do not write the person's SSN."),
    )
    hold_days = forms.IntegerField(label=_("Keep them for how many days?"), min_value=1, max_value=365, initial=30)


class SignalForm(forms.Form):
    """A WebRTC message from the browser: its kind, and a small JSON body."""

    kind = forms.ChoiceField(choices=[(kind, kind) for kind in SIGNAL_KINDS])
    body = forms.CharField(required=False, max_length=MAX_SIGNAL, strip=False)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if body:
            try:
                json.loads(body)
            except ValueError:
                raise ValidationError("not JSON", code="invalid") from None
        return str(body)
