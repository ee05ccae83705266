"""The development outbox: an e-mail backend, an SMS gateway and a postal gateway that
store instead of send."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend

from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.messaging.post import PostalAddress


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            html = ""
            if isinstance(message, EmailMultiAlternatives):
                html = next((str(content) for content, mimetype in message.alternatives if mimetype == "text/html"), "")
            OutboxMessage.objects.create(
                channel=OutboxMessage.Channel.EMAIL,
                sender=message.from_email,
                recipients=", ".join(message.to),
                subject=str(message.subject),
                body_text=str(message.body),
                body_html=html,
            )
        return len(email_messages)


class OutboxSmsGateway:
    def send_sms(self, to: str, body: str, *, sender: str) -> None:
        OutboxMessage.objects.create(channel=OutboxMessage.Channel.SMS, sender=sender, recipients=to, body_text=body)

    def send_voice(self, to: str, text: str, *, sender: str) -> None:
        OutboxMessage.objects.create(channel=OutboxMessage.Channel.VOICE, sender=sender, recipients=to, body_text=text)


class OutboxPostalGateway:
    def send_letter(self, to: PostalAddress, pdf: bytes, *, text: str, reference: str) -> None:
        OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.LETTER,
            sender="",
            recipients=", ".join(to.lines()),
            subject=reference,
            body_text=text,
            attachment=pdf,
        )
