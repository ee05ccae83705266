"""The functions the rest of the code calls to send a message.

Messages are rendered now (in the active language) and handed to a durable task when the
current transaction commits, so a rolled-back action sends nothing and a failing mail
server or SMS gateway is retried by the worker.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from taxgov.common.letters import PrintedLetter
from taxgov.common.messaging import tasks
from taxgov.common.messaging.post import PostalAddress
from taxgov.common.messaging.sms import E164


def send_email(name: str, to: str | list[str], context: dict[str, Any], *, language: str | None = None) -> None:
    """Send the e-mail whose templates are ``emails/<name>/{subject.txt,body.txt,body.html}``."""
    recipients = [to] if isinstance(to, str) else list(to)
    full_context = {"brand": settings.TAXGOV_BRAND, **context}
    with translation.override(language or translation.get_language()):
        subject = " ".join(render_to_string(f"emails/{name}/subject.txt", full_context).split())
        text = render_to_string(f"emails/{name}/body.txt", full_context)
        html = render_to_string(f"emails/{name}/body.html", full_context)
    transaction.on_commit(
        lambda: tasks.deliver_email.delay(
            sender=settings.DEFAULT_FROM_EMAIL, to=recipients, subject=subject, text=text, html=html
        )
    )


def send_sms(to: str, body: str) -> None:
    _check_number(to)
    transaction.on_commit(lambda: tasks.deliver_sms.delay(to=to, body=body))


def send_voice(to: str, text: str) -> None:
    _check_number(to)
    transaction.on_commit(lambda: tasks.deliver_voice.delay(to=to, text=text))


def _check_number(number: str) -> None:
    if not E164.fullmatch(number):
        raise ValidationError("Phone numbers are sent in E.164 form, such as +16175550123.")


def send_letter(to: PostalAddress, letter: PrintedLetter, *, reference: str) -> None:
    """Print and mail ``letter`` (rendered now, in the active language) once the transaction
    commits; ``reference`` is unique per letter, so a retried delivery mails it once."""
    pdf, text = base64.b64encode(letter.pdf()).decode(), letter.text()
    transaction.on_commit(lambda: tasks.deliver_letter.delay(to=to.as_dict(), pdf=pdf, text=text, reference=reference))
