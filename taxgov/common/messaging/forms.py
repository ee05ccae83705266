from django import forms
from django.utils.translation import gettext_lazy as _


class TestEmailForm(forms.Form):
    to = forms.EmailField(
        label=_("Send a test email to"),
        help_text=_("Any address: nothing leaves this computer while the outbox is on."),
        max_length=254,
    )
