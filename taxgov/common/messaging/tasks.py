"""Delivery tasks: retried with back-off when the mail server or gateway fails."""

from __future__ import annotations

import base64
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from taxgov.common.messaging.gateways import GatewayError
from taxgov.common.messaging.post import PostalAddress, postal_gateway
from taxgov.common.messaging.sms import sms_gateway

RETRY_ON = (smtplib.SMTPException, OSError, GatewayError)


@shared_task(
    name="taxgov.common.messaging.tasks.deliver_email", autoretry_for=RETRY_ON, retry_backoff=30, max_retries=8
)
def deliver_email(*, sender: str, to: list[str], subject: str, text: str, html: str) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=sender, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(name="taxgov.common.messaging.tasks.deliver_sms", autoretry_for=RETRY_ON, retry_backoff=30, max_retries=8)
def deliver_sms(*, to: str, body: str) -> None:
    sms_gateway().send_sms(to, body, sender=settings.TAXGOV_SMS_FROM)


@shared_task(
    name="taxgov.common.messaging.tasks.deliver_voice", autoretry_for=RETRY_ON, retry_backoff=30, max_retries=8
)
def deliver_voice(*, to: str, text: str) -> None:
    sms_gateway().send_voice(to, text, sender=settings.TAXGOV_SMS_FROM)


@shared_task(
    name="taxgov.common.messaging.tasks.deliver_letter", autoretry_for=RETRY_ON, retry_backoff=60, max_retries=8
)
def deliver_letter(*, to: dict[str, str], pdf: str, text: str, reference: str) -> None:
    postal_gateway().send_letter(PostalAddress(**to), base64.b64decode(pdf), text=text, reference=reference)
