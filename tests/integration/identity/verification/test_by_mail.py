"""Verify by mail through the pages: from the phone step to a letter with a code, the code
entered (in any case, with or without its dash), wrong and expired codes, the letter limits,
details changed after a letter went out, and a case waiting for its letter kept by the
retention job."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from taxgov.common.audit.models import AuditEvent
from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.security.codes import normalize_letter_code
from taxgov.identity.verification import actions, queries
from taxgov.identity.verification.models import MailedCode, Outcome
from tests.integration.identity.verification.test_self_service import (
    DETAILS,
    PASSWORD,
    case,
    failing_code,
    step,
    through_selfie,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("records")]


def mail_step(name: str) -> str:
    return reverse("verification:mail_step", kwargs={"step": name})


def letters() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(channel=OutboxMessage.Channel.LETTER))


def mailed_code(message: OutboxMessage) -> str:
    return re.search(r"Your code: ([0-9A-Z]{5}-[0-9A-Z]{5})", message.body_text).group(1)


def at_the_phone_step(client):
    through_selfie(client)
    assert client.post(step("details"), DETAILS)["Location"] == step("phone")


def choose_mail(client):
    response = client.post(reverse("verification:choose_confirmation", kwargs={"by": "mail"}))
    assert response["Location"] == reverse("verification:mail_resume")
    assert client.get(response["Location"])["Location"] == mail_step("letter")


def send_letter(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(mail_step("letter"))


def test_verified_by_a_letter_to_the_address_on_record(signed_in, django_capture_on_commit_callbacks):
    at_the_phone_step(signed_in)
    assert "Get a letter by mail instead" in signed_in.get(step("phone")).content.decode()
    choose_mail(signed_in)
    page = signed_in.get(mail_step("letter")).content.decode()
    assert "12 Elm Street" in page
    assert "The code works for 21 days." in page

    assert send_letter(signed_in, django_capture_on_commit_callbacks)["Location"] == mail_step("letter-code")
    [letter] = letters()
    assert letter.recipients == "Alex Rivera, 12 Elm Street, Apt 4, Worcester, MA 01609"
    code = mailed_code(letter)
    printed = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(letter.attachment))).pages)
    assert code in printed
    assert "We will never call, email or text you to ask for this code." in printed
    email = OutboxMessage.objects.get(channel="email", subject="We mailed you a letter with a code")
    assert "01609" in email.body_text
    assert code not in email.body_text

    # The person signs in again days later: the start page says a letter is on its way.
    start = signed_in.get(reverse("verification:start")).content.decode()
    assert "We mailed you a letter with a code on" in start
    assert failing_code(signed_in.post(mail_step("letter-code"), {"code": "7K3QX-9MWD2"})) == "IDV-MAIL-001"
    typed = code.lower().replace("-", " ").replace("0", "o")
    assert signed_in.post(mail_step("letter-code"), {"code": typed})["Location"] == mail_step("password")
    signed_in.post(mail_step("password"), {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in.post(mail_step("finish"))["Location"] == reverse("verification:done")

    verified = queries.verified_identity(int(signed_in.session["_auth_user_id"]))
    assert verified is not None
    assert verified.confirm_by == "mail"
    assert verified.phone == ""
    assert MailedCode.objects.get().used_at is not None
    tags = list(AuditEvent.objects.filter(subject=f"verification:{verified.pk}").values_list("tag", flat=True))
    for tag in ("confirmation_chosen", "letter_sent", "letter_confirmed", "verified"):
        assert f"identity:verification:{tag}" in tags
    assert all(code not in str(event.extra) for event in AuditEvent.objects.all())


def test_an_expired_code_and_the_letter_limits(signed_in, django_capture_on_commit_callbacks):
    at_the_phone_step(signed_in)
    choose_mail(signed_in)
    send_letter(signed_in, django_capture_on_commit_callbacks)
    first = mailed_code(letters()[0])

    # A second letter the same day is refused; the page says when one may be sent.
    assert failing_code(send_letter(signed_in, django_capture_on_commit_callbacks)) == "IDV-MAIL-003"
    assert "you can ask for another letter." in signed_in.get(mail_step("letter")).content.decode()
    assert len(letters()) == 1

    MailedCode.objects.update(sent_at=timezone.now() - dt.timedelta(days=22), expires_at=timezone.now())
    verification = case(signed_in)
    verification.details_given_at = timezone.now() - dt.timedelta(days=23)
    verification.save(update_fields=["details_given_at"])
    assert failing_code(signed_in.post(mail_step("letter-code"), {"code": first})) == "IDV-MAIL-002"

    # Four letters in 30 days at most, a day apart.
    for _ in range(3):
        MailedCode.objects.update(sent_at=timezone.now() - dt.timedelta(days=1, minutes=1))
        assert send_letter(signed_in, django_capture_on_commit_callbacks)["Location"] == mail_step("letter-code")
    MailedCode.objects.update(sent_at=timezone.now() - dt.timedelta(days=2))
    assert MailedCode.objects.count() == 4
    assert failing_code(send_letter(signed_in, django_capture_on_commit_callbacks)) == "IDV-MAIL-003"
    # The newest letter's code still confirms.
    newest = mailed_code(letters()[0])
    assert signed_in.post(mail_step("letter-code"), {"code": newest})["Location"] == mail_step("password")


def test_changed_details_void_the_letters_and_unchanged_ones_keep_them(signed_in, django_capture_on_commit_callbacks):
    at_the_phone_step(signed_in)
    choose_mail(signed_in)
    send_letter(signed_in, django_capture_on_commit_callbacks)
    code = normalize_letter_code(mailed_code(letters()[0]))

    assert signed_in.post(mail_step("details"), DETAILS)["Location"] == mail_step("letter")
    assert queries.mailed_code(case(signed_in), code) is not None

    signed_in.post(mail_step("details"), {**DETAILS, "address_line2": "Apt 5"})
    verification = case(signed_in)
    assert verification.letter_sent_at is None
    assert queries.mailed_code(verification, code) is None
    assert signed_in.get(mail_step("letter-code"))["Location"] == mail_step("letter")


def test_switching_back_to_the_phone_keeps_the_letter(signed_in, django_capture_on_commit_callbacks):
    at_the_phone_step(signed_in)
    choose_mail(signed_in)
    send_letter(signed_in, django_capture_on_commit_callbacks)
    response = signed_in.post(reverse("verification:choose_confirmation", kwargs={"by": "phone"}))
    assert response["Location"] == reverse("verification:resume")
    assert signed_in.get(mail_step("letter-code"))["Location"] == reverse("verification:start")
    signed_in.post(reverse("verification:choose_confirmation", kwargs={"by": "mail"}))
    assert signed_in.get(mail_step("letter-code")).status_code == 200
    assert signed_in.post(reverse("verification:choose_confirmation", kwargs={"by": "fax"})).status_code == 404


def test_the_phone_problem_page_offers_a_letter(signed_in):
    at_the_phone_step(signed_in)
    page = signed_in.get(reverse("verification:problem", kwargs={"code": "IDV-PHN-001"})).content.decode()
    assert "Get a letter by mail instead" in page


def test_a_case_waiting_for_its_letter_keeps_its_place_when_its_photos_are_deleted(
    signed_in, django_capture_on_commit_callbacks
):
    at_the_phone_step(signed_in)
    choose_mail(signed_in)
    send_letter(signed_in, django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(days=3)
    assert actions.do_delete_expired_biometrics(later) == 1
    verification = case(signed_in)
    assert verification.biometrics_deleted_at == later
    assert not verification.evidence.exists()
    assert verification.outcome == Outcome.IN_PROGRESS
    assert signed_in.get(reverse("verification:mail_resume"))["Location"] == mail_step("letter-code")


def test_a_far_address_gets_thirty_days():
    assert queries.letter_valid_days("HI") == 30
    assert queries.letter_valid_days("PR") == 30
    assert queries.letter_valid_days("MA") == 21
