"""Identity accounts: sign up (no enumeration), the second step of each kind, recovery
codes, remembered browsers, lockouts and the re-sign-in before changes."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.mfa.models import FactorKind, SecondFactor
from taxgov.common.mfa.signin import DEVICE_COOKIE
from taxgov.common.ratelimit import clear_all_counters
from taxgov.identity.accounts.models import AccountReset, EmailAddress, User
from taxgov.identity.accounts.notices import disavow_link
from taxgov.identity.accounts.reset import do_send_ready_resets
from taxgov.identity.signin.views import FRESH_SECOND_STEP_KEY

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
    client.post(reverse("signin:setup_app"))
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
    client.post(reverse("signin:setup_app"))
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
    client.post(reverse("signin:setup_app"))
    client.post(reverse("signin:verify"), {"code": pyotp.TOTP(SecondFactor.objects.get().secret).now()})
    client.post(reverse("signin:finish_setup"))
    client.post(reverse("signin:sign_out"))

    sign_in(client)
    for name in ("signin:setup", "signin:add_phone", "signin:recovery_codes"):
        assert client.get(reverse(name))["Location"] == reverse("signin:sign_in"), name
    assert client.post(reverse("signin:setup_app"))["Location"] == reverse("signin:sign_in")
    assert SecondFactor.objects.count() == 1
    # Finishing a "setup" is not a way in either.
    assert client.post(reverse("signin:finish_setup"))["Location"] == reverse("signin:sign_in")
    assert client.get(reverse("account:index")).status_code == 302


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
    client.post(reverse("signin:setup_app"))
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


def enrolled_with_app(client, send) -> pyotp.TOTP:
    sign_up(client, send)
    client.post(reverse("signin:setup_app"))
    app = pyotp.TOTP(SecondFactor.objects.get(kind=FactorKind.TOTP).secret)
    client.post(reverse("signin:verify"), {"code": app.now()})
    client.post(reverse("signin:finish_setup"))
    return app


def test_forgot_password_resets_it_keeps_the_second_step_and_says_nothing_to_strangers(client, send):
    enrolled_with_app(client, send)
    client.post(reverse("signin:sign_out"))
    send(client.post, reverse("account:forgot_password"), {"email": "nobody@example.com"})
    assert last_message("nobody@example.com") is None
    send(client.post, reverse("account:forgot_password"), {"email": EMAIL})
    link = re.search(r"http://testserver(/password/reset/\S+/)", last_message(EMAIL).body_text).group(1)
    new = "a brand new passphrase"
    assert send(client.post, link, {"password": new, "password_confirmation": new})["Location"] == reverse(
        "signin:sign_in"
    )
    assert "password of your account was changed" in last_message(EMAIL).body_text
    assert client.get(link).status_code == 404  # used
    assert sign_in(client, password=new)["Location"] == reverse("signin:verify")


def test_this_wasnt_me_locks_the_password_and_sends_a_reset_link(client, send):
    enrolled_with_app(client, send)
    factor = SecondFactor.objects.get()
    session = client.session
    session["identity.reauthenticated_at"] = time.time()
    session.save()
    send(client.get, reverse("signin:add_phone"))
    send(client.post, reverse("signin:add_phone"), {"country": "US", "number": "6175550125", "delivery": "sms"})
    send(client.post, reverse("signin:verify"), {"code": code_in(last_message("+16175550125"))})
    notice = last_message(EMAIL)
    assert "A way to sign in was added" in notice.body_text
    disavow = re.search(r"http://testserver(/this-wasnt-me/\S+/)", notice.body_text).group(1)
    assert client.get(disavow).status_code == 200
    send(client.post, disavow)
    user = User.objects.get(email=EMAIL)
    assert not user.has_usable_password()
    assert "Reset your" in last_message(EMAIL).subject
    assert client.get(reverse("account:index")).status_code == 302
    assert SecondFactor.objects.filter(pk=factor.pk).exists()


def test_lost_every_second_step_waits_then_removes_them(client, send, settings):
    enrolled_with_app(client, send)
    client.post(reverse("signin:sign_out"))
    sign_in(client)
    send(client.post, reverse("signin:request_reset"))
    cancel = re.search(r"http://testserver(/account-reset/cancel/\S+/)", last_message(EMAIL).body_text).group(1)
    assert cancel
    assert do_send_ready_resets("http://testserver") == 0  # still waiting
    AccountReset.objects.update(ready_at=AccountReset.objects.get().requested_at)
    send(do_send_ready_resets, "http://testserver")
    complete = re.search(r"http://testserver(/account-reset/complete/\S+/)", last_message(EMAIL).body_text).group(1)
    assert "That password is not right" in client.post(complete, {"password": "not the password"}).content.decode()
    assert client.post(complete, {"password": PASSWORD})["Location"] == reverse("signin:setup")
    assert not SecondFactor.objects.exists()
    assert client.get(reverse("signin:add_phone")).status_code == 200  # the new first setup


def test_history_my_data_and_delete(client, send):
    enrolled_with_app(client, send)
    history = client.get(reverse("account:history")).content.decode()
    assert "security:second_factor:verified" in history
    data = client.get(reverse("account:download")).json()
    assert data["email"] == EMAIL
    assert data["sign_in_methods"][0]["kind"] == "totp"
    assert "secret" not in str(data).lower()
    assert "required" in client.post(reverse("account:delete"), {}).content.decode().lower()
    send(client.post, reverse("account:delete"), {"confirm": "on"})
    assert not User.objects.filter(email=EMAIL).exists()
    assert "was deleted" in last_message(EMAIL).subject


def test_add_confirm_and_sign_in_with_another_email_address(client, send):
    app = enrolled_with_app(client, send)
    send(client.post, reverse("account:add_email"), {"email": "nia.work@example.com"})
    link = re.search(r"http://testserver(/account/emails/confirm/\S+/)", last_message("nia.work@example.com").body_text)
    client.post(link.group(1))
    address = EmailAddress.objects.get(email="nia.work@example.com")
    assert address.confirmed_at is not None
    send(client.post, reverse("account:make_primary", kwargs={"address_id": address.pk}))
    assert User.objects.get(pk=address.user_id).email == "nia.work@example.com"
    assert "changed to nia.work@example.com" in last_message(EMAIL).body_text
    client.post(reverse("signin:sign_out"))
    assert sign_in(client, email="nia.work@example.com")["Location"] == reverse("signin:verify")
    assert app.now()


def test_adding_an_address_of_another_account_reveals_nothing(client, send):
    """Both additions look the same (a pending row); only a free address gets a link."""
    other = User.objects.create_user("someone.else@example.com", "another long passphrase")
    User.objects.filter(pk=other.pk).update(email_confirmed_at=timezone.now())
    enrolled_with_app(client, send)
    taken = send(client.post, reverse("account:add_email"), {"email": "someone.else@example.com"}, follow=True)
    free = send(client.post, reverse("account:add_email"), {"email": "free.address@example.com"}, follow=True)
    assert "someone.else@example.com (waiting for confirmation)" in taken.content.decode()
    assert "free.address@example.com (waiting for confirmation)" in free.content.decode()
    assert "Someone tried to create" in last_message("someone.else@example.com").subject
    assert "Confirm this email" in last_message("free.address@example.com").subject


def test_signing_in_gives_a_new_session_id(client, send):
    enrolled_with_app(client, send)
    client.post(reverse("signin:sign_out"))
    client.get(reverse("signin:sign_in"))
    sign_in(client)
    before = client.session.session_key
    factor = SecondFactor.objects.get()
    app = pyotp.TOTP(factor.secret)
    factor.refresh_from_db()
    code = app.at(time.time() + 30) if factor.last_totp_step == app.timecode(time.time()) else app.now()
    client.post(reverse("signin:verify"), {"code": code})
    assert client.session.session_key != before


def test_sessions_end_after_fifteen_minutes_idle_and_twelve_hours_in_all(client, send):
    enrolled_with_app(client, send)
    session = client.session
    session["taxgov.last_seen"] = time.time() - 16 * 60
    session.save()
    assert client.get(reverse("account:index"))["Location"].startswith(reverse("signin:sign_in"))
    enrolled = User.objects.get(email=EMAIL)
    client.force_login(enrolled)
    session = client.session
    session["taxgov.signed_in_at"] = time.time() - 12 * 3600 - 1
    session.save()
    assert client.get(reverse("account:index"))["Location"].startswith(reverse("signin:sign_in"))


def test_a_remembered_browser_never_skips_the_second_step_for_verified_access(client, send):
    sign_up(client, send)
    send(client.post, reverse("signin:add_phone"), {"country": "US", "number": "(617) 555-0126", "delivery": "sms"})
    client.post(reverse("signin:verify"), {"code": code_in(last_message("+16175550126"))})
    client.post(reverse("signin:finish_setup"))
    client.post(reverse("signin:sign_out"))
    send(sign_in, client)
    client.post(reverse("signin:verify"), {"code": code_in(last_message("+16175550126")), "remember": "on"})
    client.post(reverse("signin:sign_out"))

    session = client.session
    session[FRESH_SECOND_STEP_KEY] = True  # what the authorization endpoint sets for identity-verified access
    session.save()
    assert send(sign_in, client)["Location"] == reverse("signin:verify")


def test_after_this_wasnt_me_sign_up_cannot_take_the_account_over(client, send):
    enrolled_with_app(client, send)
    send(client.post, reverse("account:forgot_password"), {"email": EMAIL})
    user = User.objects.get(email=EMAIL)
    disavow = re.search(r"(/this-wasnt-me/\S+/)", disavow_link(RequestFactory().get("/"), user, "x")).group(1)
    send(client.post, disavow)
    assert client.post(disavow).status_code == 404  # the link works once

    other = client.__class__()
    send(other.post, reverse("signup:start"), {"email": EMAIL, "agree": "on"})
    assert "Someone tried to create" in last_message(EMAIL).subject
    assert other.get(reverse("signup:password")).status_code == 302
    assert User.objects.get(email=EMAIL).email_confirmed_at is not None
    assert SecondFactor.objects.filter(user__email=EMAIL).count() == 1


def test_an_unfinished_first_setup_gives_no_rights_to_a_later_sign_in(client, send):
    sign_up(client, send)
    client.post(reverse("signin:setup_app"))
    app = pyotp.TOTP(SecondFactor.objects.get().secret)
    client.post(reverse("signin:verify"), {"code": app.now()})  # a method now exists, setup not finished
    sign_in(client)  # a new password sign-in in the same browser
    assert client.get(reverse("signin:add_phone"))["Location"] == reverse("signin:sign_in")
    assert client.post(reverse("signin:finish_setup"))["Location"] == reverse("signin:sign_in")


def test_odd_input_is_refused_not_crashed(client, send):
    enrolled_with_app(client, send)
    client.post(reverse("signin:sign_out"))
    sign_in(client)
    assert client.post(reverse("signin:choose"), {"factor": "abc"}).status_code == 404
    for body in (b"not json", b'"a string"', b'{"credential": "x"}', b'{"credential": {"id": "x", "response": 1}}'):
        client.post(reverse("signin:key_options_sign_in"), b"{}", content_type="application/json")
        response = client.post(reverse("signin:key_verify"), body, content_type="application/json")
        assert response.status_code == 400, body
