"""Sending e-mail, text messages and voice calls (taxgov.common.messaging)."""

from __future__ import annotations

import base64
import email
import email.policy
import socket
import urllib.parse

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import translation

from config.env import BASE_DIR
from taxgov.common.messaging.api import send_email, send_sms, send_voice
from taxgov.common.messaging.gateways import GatewayError
from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.messaging.sms import TwilioSmsGateway, sms_gateway
from tests.support.http import RecordingHandler, local_server

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox_backend")]

CONTEXT = {"home_url": "http://example.test/"}
SPANISH_CATALOGUE = BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.mo"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fails_after(action) -> None:
    """Run ``action`` in a transaction that then fails and rolls back."""
    with transaction.atomic():
        action()
        raise RuntimeError("the action failed")


def test_send_email_delivers_rendered_templates_to_the_outbox_on_commit(django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send_email("dev_test", "pat@example.com", CONTEXT)
        assert not OutboxMessage.objects.exists(), "nothing is sent before the transaction commits"

    assert len(callbacks) == 1
    message = OutboxMessage.objects.get()
    assert message.channel == OutboxMessage.Channel.EMAIL
    assert message.sender == settings.DEFAULT_FROM_EMAIL
    assert message.recipients == "pat@example.com"
    assert message.subject == f"Test message from {settings.TAXGOV_BRAND['agency_name']}"
    assert "Email delivery works." in message.body_text
    assert "http://example.test/" in message.body_text
    assert "<a" not in message.body_text
    assert '<a href="http://example.test/">' in message.body_html
    assert '<html lang="en">' in message.body_html


def test_send_email_delivers_to_every_recipient_of_a_list(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_email("dev_test", ["pat@example.com", "sam@example.com"], CONTEXT)

    assert OutboxMessage.objects.get().recipients == "pat@example.com, sam@example.com"


def test_send_email_escapes_context_in_html_part(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_email("dev_test", "pat@example.com", {"home_url": 'http://example.test/"><script>x</script>'})

    html = OutboxMessage.objects.get().body_html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_send_email_does_not_html_escape_subject_or_text_part(django_capture_on_commit_callbacks, settings):
    settings.TAXGOV_BRAND = {**settings.TAXGOV_BRAND, "agency_name": "Taxes & Revenue"}

    with django_capture_on_commit_callbacks(execute=True):
        send_email("dev_test", "pat@example.com", {"home_url": "http://example.test/?a=1&b=2"})

    message = OutboxMessage.objects.get()
    assert message.subject == "Test message from Taxes & Revenue"
    assert "http://example.test/?a=1&b=2" in message.body_text
    assert "&amp;" not in message.body_text
    assert 'href="http://example.test/?a=1&amp;b=2"' in message.body_html


def test_send_email_delivers_nothing_when_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        _fails_after(lambda: send_email("dev_test", "pat@example.com", CONTEXT))

    assert callbacks == []
    assert not OutboxMessage.objects.exists()


def test_send_email_renders_in_requested_language_and_restores_active_one(django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        send_email("dev_test", "pat@example.com", CONTEXT, language="es")
        assert translation.get_language() == "en"

    message = OutboxMessage.objects.get()
    assert '<html lang="es">' in message.body_html
    assert "http://example.test/" in message.body_text


@pytest.mark.skipif(not SPANISH_CATALOGUE.exists(), reason="the Spanish catalogue is not compiled (make messages)")
def test_send_email_in_spanish_uses_spanish_templates(django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        send_email("dev_test", "pat@example.com", CONTEXT, language="es")

    message = OutboxMessage.objects.get()
    assert message.subject == f"Mensaje de prueba de {settings.TAXGOV_BRAND['agency_name']}"
    assert "Este es un mensaje de prueba" in message.body_text
    assert "Este es un mensaje de prueba" in message.body_html
    assert "Email delivery works." not in message.body_text


@pytest.mark.parametrize("number", ["6175550123", "+0617555012", "+1 617 555 0123", "+1617", "+1617555012345678", ""])
def test_send_sms_rejects_number_not_in_e164_form(django_capture_on_commit_callbacks, number):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        send_sms(number, "Your code is 123456")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()


def test_send_sms_rejects_number_with_trailing_newline():
    with pytest.raises(ValidationError):
        send_sms("+16175550123\n", "Your code is 123456")


def test_send_sms_stores_text_message_in_outbox_on_commit(django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        send_sms("+16175550123", "Your code is 123456")
        assert not OutboxMessage.objects.exists()

    message = OutboxMessage.objects.get()
    assert message.channel == OutboxMessage.Channel.SMS
    assert message.recipients == "+16175550123"
    assert message.body_text == "Your code is 123456"
    assert message.sender == settings.TAXGOV_SMS_FROM


def test_send_voice_rejects_number_not_in_e164_form(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        send_voice("617-555-0123", "Your code is 1 2 3 4 5 6")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()


def test_send_voice_stores_voice_call_in_outbox_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_voice("+442071838750", "Your code is 1 2 3 4 5 6")

    message = OutboxMessage.objects.get()
    assert message.channel == OutboxMessage.Channel.VOICE
    assert message.recipients == "+442071838750"
    assert message.body_text == "Your code is 1 2 3 4 5 6"


def test_send_sms_delivers_nothing_when_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        _fails_after(lambda: send_sms("+16175550123", "Your code is 123456"))

    assert callbacks == []
    assert not OutboxMessage.objects.exists()


def test_sms_gateway_raises_improperly_configured_when_twilio_lacks_credentials(settings):
    settings.TAXGOV_SMS_GATEWAY = "twilio"
    settings.TAXGOV_TWILIO_ACCOUNT_SID = "AC123"
    settings.TAXGOV_TWILIO_AUTH_TOKEN = None

    with pytest.raises(ImproperlyConfigured, match="TWILIO"):
        sms_gateway()


def test_sms_gateway_raises_improperly_configured_when_choice_is_unknown(settings):
    settings.TAXGOV_SMS_GATEWAY = "carrier-pigeon"

    with pytest.raises(ImproperlyConfigured):
        sms_gateway()


# --- Real delivery against local servers -------------------------------------------------


class _SmtpCollector:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    collector = _SmtpCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, collector
    finally:
        controller.stop()


@pytest.mark.slow
def test_send_email_delivers_over_smtp_with_text_and_html_parts(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    controller, collector = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_TIMEOUT = 5

    with django_capture_on_commit_callbacks(execute=True):
        send_email("dev_test", "pat@example.com", CONTEXT)

    assert len(collector.envelopes) == 1
    envelope = collector.envelopes[0]
    assert envelope.mail_from == settings.DEFAULT_FROM_EMAIL
    assert envelope.rcpt_tos == ["pat@example.com"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == f"Test message from {settings.TAXGOV_BRAND['agency_name']}"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert "Email delivery works." in text.get_content()
    assert '<a href="http://example.test/">' in html.get_content()
    assert not OutboxMessage.objects.exists()


class _FakeTwilio(RecordingHandler):
    def record(self, body: bytes) -> dict[str, object]:
        return {
            "path": self.path,
            "authorization": self.headers.get("Authorization"),
            "content_type": self.headers.get("Content-Type"),
            "form": urllib.parse.parse_qs(body.decode(), strict_parsing=True),
        }


@pytest.fixture
def twilio_server():
    with local_server(_FakeTwilio, status=201) as server:
        yield server


def _gateway(server) -> TwilioSmsGateway:
    return TwilioSmsGateway(
        account_sid="AC123", auth_token="secret-token", api_url=f"http://127.0.0.1:{server.server_port}/", timeout=5
    )


@pytest.mark.slow
def test_twilio_gateway_posts_message_with_basic_auth_and_form_fields(twilio_server):
    _gateway(twilio_server).send_sms("+16175550123", "Your code is 123456", sender="+15555550100")

    [request] = twilio_server.requests
    assert request["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    assert request["authorization"] == "Basic " + base64.b64encode(b"AC123:secret-token").decode()
    assert request["content_type"] == "application/x-www-form-urlencoded"
    assert request["form"] == {"To": ["+16175550123"], "From": ["+15555550100"], "Body": ["Your code is 123456"]}


@pytest.mark.slow
def test_twilio_gateway_raises_gateway_error_when_server_answers_500(twilio_server):
    twilio_server.status = 500

    with pytest.raises(GatewayError, match="SMS gateway") as raised:
        _gateway(twilio_server).send_sms("+16175550123", "Your code is 123456", sender="+15555550100")

    assert "secret-token" not in str(raised.value)
    assert len(twilio_server.requests) == 1
    # The gateway closes the error response itself (an open socket would warn, an error here).
    assert raised.value.__cause__ is None


@pytest.mark.slow
def test_twilio_gateway_raises_gateway_error_when_server_is_unreachable():
    gateway = TwilioSmsGateway(
        account_sid="AC123", auth_token="secret-token", api_url=f"http://127.0.0.1:{_free_port()}", timeout=5
    )

    with pytest.raises(GatewayError):
        gateway.send_sms("+16175550123", "Your code is 123456", sender="+15555550100")


@pytest.mark.slow
def test_twilio_gateway_places_voice_call_with_escaped_twiml(twilio_server):
    _gateway(twilio_server).send_voice("+16175550123", "Code <1 & 2>", sender="+15555550100")

    [request] = twilio_server.requests
    assert request["path"] == "/2010-04-01/Accounts/AC123/Calls.json"
    assert request["form"]["To"] == ["+16175550123"]
    assert request["form"]["From"] == ["+15555550100"]
    [twiml] = request["form"]["Twiml"]
    assert twiml.startswith("<Response>")
    assert twiml.endswith("</Response>")
    assert twiml.count("<Say>Code &lt;1 &amp; 2&gt;</Say>") == 2
    assert "<1 &" not in twiml


@pytest.mark.slow
def test_send_sms_through_configured_twilio_gateway(twilio_server, settings, django_capture_on_commit_callbacks):
    settings.TAXGOV_SMS_GATEWAY = "twilio"
    settings.TAXGOV_TWILIO_ACCOUNT_SID = "AC123"
    settings.TAXGOV_TWILIO_AUTH_TOKEN = "secret-token"
    settings.TAXGOV_TWILIO_API_URL = f"http://127.0.0.1:{twilio_server.server_port}"
    settings.TAXGOV_SMS_FROM = "+15555550199"

    with django_capture_on_commit_callbacks(execute=True):
        send_sms("+16175550123", "Your code is 123456")

    [request] = twilio_server.requests
    assert request["form"]["From"] == ["+15555550199"]
    assert not OutboxMessage.objects.exists()
