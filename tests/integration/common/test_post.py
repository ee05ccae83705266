"""Letters by post: the development outbox keeps the printed PDF, and the Lob adapter sends
what Lob's letters API expects (checked against a local server, never the internet)."""

from __future__ import annotations

import base64
import email.parser
import email.policy
import io

import pytest
from pypdf import PdfReader

from taxgov.common.letters import PrintedLetter
from taxgov.common.messaging.api import send_letter
from taxgov.common.messaging.gateways import GatewayError
from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.messaging.post import LobPostalGateway, PostalAddress, postal_gateway
from tests.support.http import RecordingHandler, local_server

HOME = PostalAddress("Alex Rivera", "12 Elm Street", "Apt 4", "Worcester", "MA", "01609")
AGENCY = PostalAddress("VerifyID", "1 Main Street", "", "Boston", "MA", "02108")
LETTER = PrintedLetter(
    title="Your code",
    heading="VerifyID",
    subheading="One secure account",
    recipient=HOME.lines(),
    facts=[("Your code", "7K3QX-9MWD2")],
    paragraphs=["Sign in and enter the code."],
)


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.django_db
def test_a_letter_is_printed_to_the_outbox_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_letter(HOME, LETTER, reference="letter-1")

    message = OutboxMessage.objects.get(channel=OutboxMessage.Channel.LETTER)
    assert message.recipients == "Alex Rivera, 12 Elm Street, Apt 4, Worcester, MA 01609"
    assert message.subject == "letter-1"
    assert "Your code: 7K3QX-9MWD2" in message.body_text
    printed = pdf_text(bytes(message.attachment))
    assert "7K3QX-9MWD2" in printed
    assert "12 Elm Street" in printed


@pytest.mark.django_db
def test_a_rolled_back_letter_is_not_mailed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_letter(HOME, LETTER, reference="letter-2")
    assert len(callbacks) == 1
    assert not OutboxMessage.objects.exists()


class _FakeLob(RecordingHandler):
    def record(self, body: bytes) -> dict[str, object]:
        raw = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body
        form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
        fields = {
            part.get_param("name", header="content-disposition"): part.get_content() for part in form.iter_parts()
        }
        return {"path": self.path, "headers": dict(self.headers), "fields": fields}


@pytest.fixture
def lob_server():
    with local_server(_FakeLob, status=200) as server:
        yield server


def lob(server) -> LobPostalGateway:
    return LobPostalGateway(
        api_key="test_key", api_url=f"http://127.0.0.1:{server.server_port}/", sender=AGENCY, timeout=5
    )


@pytest.mark.slow
def test_lob_gets_the_pdf_both_addresses_and_an_idempotency_key(lob_server):
    pdf = LETTER.pdf()
    lob(lob_server).send_letter(HOME, pdf, text=LETTER.text(), reference="identity-letter-1")

    [request] = lob_server.requests
    assert request["path"] == "/v1/letters"
    assert request["headers"]["Authorization"] == "Basic " + base64.b64encode(b"test_key:").decode()
    assert request["headers"]["Idempotency-Key"] == "identity-letter-1"
    fields = request["fields"]
    assert fields["file"] == pdf
    assert fields["to[name]"] == "Alex Rivera"
    assert fields["to[address_line2]"] == "Apt 4"
    assert fields["to[address_zip]"] == "01609"
    assert fields["from[address_city]"] == "Boston"
    assert "from[address_line2]" not in fields  # empty fields are left out
    assert fields["mail_type"] == "usps_first_class"
    assert fields["use_type"] == "operational"


@pytest.mark.slow
def test_lob_refusing_a_letter_is_a_gateway_error_to_retry(lob_server):
    lob_server.status = 422
    with pytest.raises(GatewayError, match="postal gateway answered 422"):
        lob(lob_server).send_letter(HOME, b"%PDF", text="", reference="identity-letter-2")


def test_lob_unreachable_is_a_gateway_error_to_retry():
    gateway = LobPostalGateway(api_key="k", api_url="http://127.0.0.1:9/", sender=AGENCY, timeout=1)
    with pytest.raises(GatewayError, match="unreachable"):
        gateway.send_letter(HOME, b"%PDF", text="", reference="identity-letter-3")


def test_the_configured_gateway_is_built_from_settings(settings):
    settings.TAXGOV_POSTAL_GATEWAY = "lob"
    settings.TAXGOV_LOB_API_KEY = "live_key"
    settings.TAXGOV_LOB_API_URL = "https://api.lob.example"
    settings.TAXGOV_LETTER_RETURN_ADDRESS = AGENCY.as_dict()
    gateway = postal_gateway()
    assert isinstance(gateway, LobPostalGateway)
    assert gateway.sender == AGENCY
