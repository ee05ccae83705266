"""Identity accounts: sign up (no enumeration), the second step of each kind, recovery
codes, remembered browsers, lockouts and the re-sign-in before changes."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.urls import reverse

from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.mfa.models import FactorKind, SecondFactor
from taxgov.common.mfa.signin import DEVICE_COOKIE
from taxgov.common.ratelimit import clear_all_counters
from taxgov.identity.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "quiet river bend at dawn"
EMAIL = "nia.okafor@example.com"


@pytest.fixture(autouse=True)
def outbox_and_fresh_limits(settings):
    settings.EMAIL_BACKEND = "taxgov.common.messaging.outbox.OutboxEmailBackend"
    clear_all_counters()


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a request and deliver what it sends."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def last_message(to: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(recipients__contains=to).first()


def code_in(message: OutboxMessage) -> str:
    """The code in an e-mail or a text, or the one a phone call reads out digit by digit."""
    found = re.search(r"\b([0-9]{6})\b", message.body_text)
    return found.group(1) if found else "".join(re.findall(r"[0-9]", message.body_text))[:6]


def sign_up(client, send, email: str = EMAIL):
    send(client.post, reverse("signup:start"), {"email": email, "agree": "on"})
    client.post(reverse("signup:confirm"), {"code": code_in(last_message(email))})
    return client.post(reverse("signup:password"), {"password": PASSWORD, "password_confirmation": PASSWORD})


def sign_in(client, email: str = EMAIL, password: str = PASSWORD):
    return client.post(reverse("signin:sign_in"), {"email": email, "password": password})


def test_sign_up_with_an_authentication_app_then_sign_in_again(client, send):
    assert sign_up(client, send)["Location"] == reverse("signin:setup")
    client.get(reverse("signin:setup_app"))
    factor = SecondFactor.objects.get(kind=FactorKind.TOTP)
    app = pyotp.TOTP(factor.secret)
    assert "<svg" in client.get(reverse("signin:verify")).content.decode()
    assert client.post(reverse("signin:verify"), {"code": app.now()})["Location"] == reverse("signin:another")
    assert client.post(reverse("signin:finish_setup"))["Location"] == reverse("account:index")
    assert "Authentication App" in client.get(reverse("account:index")).content.decode()

    client.post(reverse("signin:sign_out"))
    assert sign_in(client)["Location"] == reverse("signin:verify")
    out_of_sync = client.post(reverse("signin:verify"), {"code": app.at(time.time() - 300)}).content.decode()
    assert "clock is out of sync" in out_of_sync
    factor.refresh_from_db()
    code = app.at(time.time() + 30) if factor.last_totp_step == app.timecode(time.time()) else app.now()
    assert client.post(reverse("signin:verify"), {"code": code})["Location"] == reverse("account:index")


def test_sign_up_says_the_same_for_an_address_that_has_an_account(client, send):
    sign_up(client, send)
    client.get(reverse("signin:setup_app"))
    factor = SecondFactor.objects.get()
    client.post(reverse("signin:verify"), {"code": pyotp.TOTP(factor.secret).now()})
    client.post(reverse("signin:finish_setup"))
    client.post(reverse("signin:sign_out"))

    other = client.__class__()
    fresh = send(other.post, reverse("signup:start"), {"email": "new.person@example.com", "agree": "on"}, follow=True)
    taken = send(other.post, reverse("signup:start"), {"email": EMAIL.upper(), "agree": "on"}, follow=True)
    assert fresh.status_code == taken.status_code == 200
    assert "we sent it a 6-digit code" in taken.content.decode()
    assert "Someone tried to create" in last_message(EMAIL).subject
    assert User.objects.filter(email__iexact=EMAIL).count() == 1


def test_text_message_codes_and_a_remembered_browser(client, send):
    sign_up(client, send)
    send(client.post, reverse("signin:add_phone"), {"country": "US", "number": "(617) 555-0123", "delivery": "sms"})
    client.post(reverse("signin:verify"), {"code": code_in(last_message("+16175550123"))})
    client.post(reverse("signin:finish_setup"))
    client.post(reverse("signin:sign_out"))

    assert send(sign_in, client)["Location"] == reverse("signin:verify")
    response = client.post(reverse("signin:verify"), {"code": code_in(last_message("+16175550123")), "remember": "on"})
    assert DEVICE_COOKIE in response.cookies
    client.post(reverse("signin:sign_out"))
    assert sign_in(client)["Location"] == reverse("account:index")


def test_recovery_codes_get_someone_with_a_lost_phone_back_in_once_each(client, send):
    sign_up(client, send)
    send(client.post, reverse("signin:add_phone"), {"country": "US", "number": "6175550124", "delivery": "voice"})
    client.post(reverse("signin:verify"), {"code": code_in(last_message("+16175550124"))})
    page = client.post(reverse("signin:recovery_codes")).content.decode()
    codes = re.findall(r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>", page)
    assert len(codes) == 10
    client.post(reverse("signin:finish_setup"))
    client.post(reverse("signin:sign_out"))

    send(sign_in, client)
    assert client.post(reverse("signin:choose"), {"factor": "recovery"})["Location"] == reverse("signin:recovery")
    assert client.post(reverse("signin:recovery"), {"code": codes[0]})["Location"] == reverse("account:index")
    client.post(reverse("signin:sign_out"))
    send(sign_in, client)
    assert "already used" in client.post(reverse("signin:recovery"), {"code": codes[0]}).content.decode()


def test_a_password_alone_cannot_add_a_method(client, send):
    sign_up(client, send)
    client.get(reverse("signin:setup_app"))
    client.post(reverse("signin:verify"), {"code": pyotp.TOTP(SecondFactor.objects.get().secret).now()})
    client.post(reverse("signin:finish_setup"))
    client.post(reverse("signin:sign_out"))

    sign_in(client)
    for name in ("signin:setup", "signin:add_phone", "signin:setup_app", "signin:recovery_codes"):
        assert client.get(reverse(name))["Location"] == reverse("signin:sign_in"), name
    assert SecondFactor.objects.count() == 1


def test_weak_passwords_are_refused_at_sign_up(client, send):
    send(client.post, reverse("signup:start"), {"email": EMAIL, "agree": "on"})
    client.post(reverse("signup:confirm"), {"code": code_in(last_message(EMAIL))})
    page = client.post(
        reverse("signup:password"), {"password": "password123!", "password_confirmation": "password123!"}
    ).content.decode()
    assert "appeared in data breaches" in page
    assert not User.objects.get(email=EMAIL).has_usable_password()


def test_wrong_confirmation_codes_are_limited(client, send):
    send(client.post, reverse("signup:start"), {"email": EMAIL, "agree": "on"})
    right = code_in(last_message(EMAIL))
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        client.post(reverse("signup:confirm"), {"code": wrong})
    assert "not right" in client.post(reverse("signup:confirm"), {"code": right}).content.decode()


def test_consecutive_failed_passwords_lock_the_account_for_a_while(client, send):
    sign_up(client, send)
    client.post(reverse("signin:sign_out"))
    for _ in range(10):
        assert "not right" in sign_in(client, password="wrong password here").content.decode()
    assert "Too many sign-in attempts" in sign_in(client).content.decode()


def test_removing_a_method_needs_a_recent_password_and_never_the_last(client, send):
    sign_up(client, send)
    client.get(reverse("signin:setup_app"))
    factor = SecondFactor.objects.get()
    client.post(reverse("signin:verify"), {"code": pyotp.TOTP(factor.secret).now()})
    client.post(reverse("signin:finish_setup"))
    page = client.post(reverse("account:remove_method", kwargs={"factor_id": factor.pk}), follow=True)
    assert "Add another way to sign in" in page.content.decode()
    session = client.session
    session["identity.reauthenticated_at"] = time.time() - 3600
    session.save()
    response = client.post(reverse("account:remove_method", kwargs={"factor_id": factor.pk}))
    assert response["Location"].startswith(reverse("signin:reauthenticate"))
