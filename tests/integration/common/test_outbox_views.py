"""The development outbox pages (taxgov.common.messaging.views)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from taxgov.common.audit.models import AuditEvent
from taxgov.common.audit.tags import EventTag
from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.ratelimit import rate_limiter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox_backend")]

OUTBOX_URL = "/dev/outbox/"
RATE_LIMITED = "Too many test emails. Try again in a minute."


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The test client always comes from 127.0.0.1: start and end with an empty counter."""
    limiter = rate_limiter("dev.outbox.test_email")
    limiter.clear("127.0.0.1")
    yield
    limiter.clear("127.0.0.1")


def _input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input named {name!r}"
    return match.group(0)


def _email(subject: str = "Hello", body_text: str = "Hi", body_html: str = "") -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.EMAIL,
        sender="no-reply@example.test",
        recipients="pat@example.com",
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )


def test_outbox_page_shows_the_test_email_form(client):
    response = client.get(OUTBOX_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Development outbox</h1>" in html
    assert 'method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label class="usa-label" for="id_to">Send a test email to' in html
    tag = _input_tag(html, "to")
    assert 'type="email"' in tag
    assert 'class="usa-input"' in tag
    assert 'aria-describedby="id_to_helptext"' in tag
    assert "No messages yet." in html


def test_outbox_page_lists_messages_with_links_to_them(client):
    message = _email(subject="Your code")

    html = client.get(OUTBOX_URL).content.decode()

    assert f'href="{reverse("outbox:detail", args=[message.pk])}"' in html
    assert "Your code" in html


def test_posting_valid_address_sends_email_records_event_and_redirects(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(OUTBOX_URL, {"to": "pat@example.com"})

    assert response.status_code == 302
    assert response.url == OUTBOX_URL
    message = OutboxMessage.objects.get()
    assert message.recipients == "pat@example.com"
    assert "http://testserver/" in message.body_text
    event = AuditEvent.objects.get(tag="dev:outbox:test_email_sent")
    assert event.tag == EventTag.DEV_TEST_EMAIL_SENT
    assert event.ip_address == "127.0.0.1"
    assert "pat@example.com" not in str(event.extra)

    page = client.get(response.url).content.decode()
    assert "Test email sent. It is at the top of the list." in page
    assert f'href="{reverse("outbox:detail", args=[message.pk])}"' in page


@pytest.mark.parametrize("address", ["not-an-address", ""])
def test_posting_invalid_address_shows_error_summary_and_marks_input(
    client, django_capture_on_commit_callbacks, address
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(OUTBOX_URL, {"to": address})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "usa-alert--error" in html
    assert '<a href="#id_to">Send a test email to:' in html
    assert "<title>Error: Development outbox" in html
    tag = _input_tag(html, "to")
    assert 'aria-invalid="true"' in tag
    describedby = re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
    assert "id_to_error" in describedby
    assert "id_to_helptext" in describedby
    assert re.search(r'class="[^"]*\busa-input--error\b', tag)
    assert 'class="usa-error-message" id="id_to_error"' in html
    assert 'class="usa-form-group usa-form-group--error"' in html
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert not AuditEvent.objects.exists()


def test_invalid_posts_do_not_count_towards_the_rate_limit(client, django_capture_on_commit_callbacks):
    for _ in range(6):
        client.post(OUTBOX_URL, {"to": "not-an-address"})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(OUTBOX_URL, {"to": "pat@example.com"})

    assert response.status_code == 302


def test_sixth_test_email_within_a_minute_is_refused(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [client.post(OUTBOX_URL, {"to": f"pat{n}@example.com"}).status_code for n in range(5)]
        refused = client.post(OUTBOX_URL, {"to": "pat5@example.com"})

    assert statuses == [302] * 5
    assert refused.status_code == 200
    html = refused.content.decode()
    assert RATE_LIMITED in html
    assert "There is a problem" in html
    assert OutboxMessage.objects.count() == 5
    assert not OutboxMessage.objects.filter(recipients="pat5@example.com").exists()
    assert AuditEvent.objects.filter(tag=EventTag.DEV_TEST_EMAIL_SENT).count() == 5


def test_rate_limit_counts_per_client_address(client, django_capture_on_commit_callbacks):
    other = "192.0.2.44"
    rate_limiter("dev.outbox.test_email").clear(other)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(5):
                client.post(OUTBOX_URL, {"to": f"pat{n}@example.com"})
            response = client.post(OUTBOX_URL, {"to": "sam@example.com"}, REMOTE_ADDR=other)
    finally:
        rate_limiter("dev.outbox.test_email").clear(other)

    assert response.status_code == 302


def test_message_detail_shows_body_with_links_and_escapes_markup(client):
    message = _email(body_text="Open http://example.test/path now <script>alert(1)</script>")

    response = client.get(reverse("outbox:detail", args=[message.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<a href="http://example.test/path"[^>]*>http://example.test/path</a>', html)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "pat@example.com" in html


def test_message_detail_links_to_html_part_only_when_there_is_one(client):
    with_html = _email(body_html="<p>Hi</p>")
    without_html = _email()

    assert (
        reverse("outbox:html", args=[with_html.pk])
        in client.get(reverse("outbox:detail", args=[with_html.pk])).content.decode()
    )
    assert "View the HTML version" not in client.get(reverse("outbox:detail", args=[without_html.pk])).content.decode()


def test_message_detail_answers_404_when_message_is_missing(client):
    assert client.get(reverse("outbox:detail", args=[999999])).status_code == 404


def test_message_html_is_served_in_a_csp_sandbox(client):
    message = _email(body_html='<p>Hi</p><script>alert("x")</script>')

    response = client.get(reverse("outbox:html", args=[message.pk]))

    assert response.status_code == 200
    assert response.content.decode() == message.body_html
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy
    assert "allow-scripts" not in policy
    assert "script-src" not in policy


def test_message_html_answers_404_for_a_text_message(client):
    sms = OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.SMS, sender="+15555550100", recipients="+16175550123", body_text="code"
    )

    assert client.get(reverse("outbox:html", args=[sms.pk])).status_code == 404


def test_outbox_refuses_other_methods(client):
    assert client.put(OUTBOX_URL).status_code == 405
    message = _email()
    assert client.post(reverse("outbox:detail", args=[message.pk])).status_code == 405


def test_outbox_pages_answer_404_when_dev_tools_are_off(client, settings, django_capture_on_commit_callbacks):
    message = _email(body_html="<p>Only in the HTML part</p>")
    settings.TAXGOV_DEV_TOOLS = False

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(OUTBOX_URL),
            client.post(OUTBOX_URL, {"to": "pat@example.com"}),
            client.get(reverse("outbox:detail", args=[message.pk])),
            client.get(reverse("outbox:html", args=[message.pk])),
        ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert "Page not found" in responses[0].content.decode()
    assert "Only in the HTML part" not in responses[3].content.decode()  # not "Hi": a random CSP nonce may hold it
    assert OutboxMessage.objects.count() == 1
    assert not AuditEvent.objects.exists()
