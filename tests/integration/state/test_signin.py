"""Log in with two-step verification, trusted devices, lockout, recovery and the idle limit."""

from __future__ import annotations

import io
import re
import time

import pyotp
import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.urls import reverse

from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.mfa.models import SecondFactor, TrustedDevice
from taxgov.common.mfa.pending import PENDING_KEY
from taxgov.common.mfa.signin import DEVICE_COOKIE
from taxgov.common.security.idle import LAST_SEEN
from taxgov.state.accounts.models import AccessRole, TaxpayerAccess, User
from taxgov.state.accounts.normalize import email_fingerprint, normalize_secret_answer
from tests.integration.state.conftest import individual

pytestmark = pytest.mark.django_db
PASSWORD = "Harbor7Lights"


@pytest.fixture
def logon():
    user = User.objects.create_user(
        "good.elmo",
        PASSWORD,
        email="elmo@example.com",
        email_fingerprint=email_fingerprint("elmo@example.com"),
        full_name="LARRY MO",
        secret_question="first_pet",
        secret_answer=make_password(normalize_secret_answer("Rex")),
    )
    TaxpayerAccess.objects.create(user=user, taxpayer=individual("900-22-1234"), role=AccessRole.OWNER)
    return user


def latest_code(to: str) -> str:
    message = OutboxMessage.objects.filter(recipients__contains=to).first()
    return re.search(r"\b([0-9]{6})\b", message.body_text).group(1)


def log_in(client, password: str = PASSWORD):
    return client.post(reverse("signin:login"), {"username": "GOOD.ELMO", "password": password})


def set_up_email(client, capture):
    with capture(execute=True):
        client.post(reverse("signin:add_email"), {"email": "elmo@example.com"})
    return client.post(reverse("signin:verify"), {"code": latest_code("elmo@example.com")})


def test_first_log_in_requires_two_step_setup_then_lands_on_the_summary(
    client, logon, django_capture_on_commit_callbacks
):
    response = log_in(client)
    assert response["Location"] == reverse("signin:setup")
    assert client.get(reverse("portal:home"))["Location"].startswith(reverse("signin:login"))
    done = set_up_email(client, django_capture_on_commit_callbacks)
    assert done["Location"] == reverse("portal:home")
    page = client.get(reverse("portal:home")).content.decode()
    assert "Account Summary" in page
    assert "Larry Mo" in page
    assert SecondFactor.objects.get(user=logon).confirmed_at is not None


def test_later_log_ins_ask_for_a_code_until_the_device_is_trusted(client, logon, django_capture_on_commit_callbacks):
    log_in(client)
    set_up_email(client, django_capture_on_commit_callbacks)
    client.post(reverse("signin:logout"))

    with django_capture_on_commit_callbacks(execute=True):
        assert log_in(client)["Location"] == reverse("signin:verify")
    page = client.get(reverse("signin:verify")).content.decode()
    assert "e***@e******.com" in page
    assert "Trust this device" in page
    response = client.post(reverse("signin:verify"), {"code": latest_code("elmo@example.com"), "trust_device": "on"})
    assert response["Location"] == reverse("portal:home")
    assert DEVICE_COOKIE in response.cookies
    assert TrustedDevice.objects.filter(user=logon).count() == 1
    client.post(reverse("signin:logout"))

    assert log_in(client)["Location"] == reverse("portal:home")


def test_a_wrong_code_is_refused_and_a_used_code_cannot_be_replayed(client, logon, django_capture_on_commit_callbacks):
    log_in(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signin:add_email"), {"email": "elmo@example.com"})
    code = latest_code("elmo@example.com")
    wrong = "000000" if code != "000000" else "111111"
    assert "not right" in client.post(reverse("signin:verify"), {"code": wrong}).content.decode()
    client.post(reverse("signin:verify"), {"code": code})
    client.post(reverse("signin:logout"))
    log_in(client)
    page = client.post(reverse("signin:verify"), {"code": code}).content.decode()
    assert "not right" in page or "expired" in page


def test_authentication_app_setup_and_its_clock_and_replay_messages(client, logon):
    log_in(client)
    client.get(reverse("signin:setup_app"))
    page = client.get(reverse("signin:verify")).content.decode()
    assert "<svg" in page
    assert "<title>" in page
    factor = SecondFactor.objects.get(user=logon)
    app = pyotp.TOTP(factor.secret)
    out_of_sync = client.post(reverse("signin:verify"), {"code": app.at(time.time() - 300)}).content.decode()
    assert "clock is out of sync" in out_of_sync
    code = app.now()
    assert client.post(reverse("signin:verify"), {"code": code})["Location"] == reverse("portal:home")
    client.post(reverse("signin:logout"))
    log_in(client)
    assert "already used" in client.post(reverse("signin:verify"), {"code": code}).content.decode()


def test_five_wrong_passwords_lock_the_username(client, logon):
    for _ in range(5):
        assert "not right" in log_in(client, "Wrong1Password").content.decode()
    assert "locked" in log_in(client).content.decode()


def test_unknown_usernames_lock_the_same_way(client):
    """Nothing tells a username that exists from one that does not."""
    for _ in range(5):
        client.post(reverse("signin:login"), {"username": "nobody.here", "password": "Wrong1Password"})
    assert (
        "locked" in client.post(reverse("signin:login"), {"username": "nobody.here", "password": "x"}).content.decode()
    )


def test_a_logon_cannot_sign_in_before_activation(client, logon):
    logon.is_active = False
    logon.save()
    assert "Activate" in log_in(client).content.decode()


def test_forgot_username_sends_it_and_says_the_same_for_unknown_addresses(
    client, logon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("signin:forgot"), {"which": "username", "u-email": "elmo@example.com"}, follow=True)
        unknown = client.post(
            reverse("signin:forgot"), {"which": "username", "u-email": "who@example.com"}, follow=True
        )
    assert "If that e-mail address belongs" in known.content.decode()
    assert "If that e-mail address belongs" in unknown.content.decode()
    assert "good.elmo" in OutboxMessage.objects.get(recipients__contains="elmo@example.com").body_text
    assert not OutboxMessage.objects.filter(recipients__contains="who@example.com").exists()


def test_forgot_password_needs_the_link_and_the_secret_answer_and_refuses_reuse(
    client, logon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("signin:forgot"), {"which": "password", "p-username": "good.elmo", "p-email": "elmo@example.com"}
        )
    link = re.search(r"http://testserver(/reset/\S+/)", OutboxMessage.objects.first().body_text).group(1)
    wrong = client.post(
        link, {"secret_answer": "Fido", "password": "New1Password", "password_confirmation": "New1Password"}
    )
    assert "does not match" in wrong.content.decode()
    reused = client.post(link, {"secret_answer": " rex ", "password": PASSWORD, "password_confirmation": PASSWORD})
    assert "not used before" in reused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            link, {"secret_answer": " rex ", "password": "New1Password", "password_confirmation": "New1Password"}
        )
    assert done["Location"] == reverse("signin:login")
    logon.refresh_from_db()
    assert logon.check_password("New1Password")
    assert client.get(link).status_code == 404  # used: the token no longer matches


def test_idle_sessions_end_after_thirty_minutes(client, logon, django_capture_on_commit_callbacks):
    log_in(client)
    set_up_email(client, django_capture_on_commit_callbacks)
    assert client.get(reverse("portal:home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("portal:home"))
    assert response["Location"].startswith(reverse("signin:login"))
    assert client.get(reverse("portal:home")).status_code == 302


def test_populate_is_offered_only_with_dev_tools(client, logon, settings, django_capture_on_commit_callbacks):
    log_in(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signin:add_email"), {"email": "elmo@example.com"})
    code = latest_code("elmo@example.com")
    assert code in client.get(reverse("signin:verify") + "?populate=1").content.decode()
    settings.TAXGOV_DEV_TOOLS = False
    page = client.get(reverse("signin:verify") + "?populate=1").content.decode()
    assert "Populate" not in page
    assert code not in page


def test_the_last_two_step_method_cannot_be_removed(client, logon, django_capture_on_commit_callbacks):
    log_in(client)
    set_up_email(client, django_capture_on_commit_callbacks)
    factor = SecondFactor.objects.get(user=logon)
    response = client.post(reverse("portal:remove_factor", kwargs={"factor_id": factor.pk}), follow=True)
    assert "Add another two-step verification method" in response.content.decode()
    assert SecondFactor.objects.filter(pk=factor.pk).exists()


def test_log_in_returns_to_the_page_asked_for(client, logon, django_capture_on_commit_callbacks):
    log_in(client)
    set_up_email(client, django_capture_on_commit_callbacks)
    client.post(reverse("signin:logout"))
    target = reverse("portal:profile")
    page = client.get(reverse("signin:login") + f"?next={target}").content.decode()
    assert f'name="next" value="{target}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        device_cookie_free = client.post(
            reverse("signin:login"), {"username": "good.elmo", "password": PASSWORD, "next": target}
        )
    assert device_cookie_free["Location"] == reverse("signin:verify")
    response = client.post(reverse("signin:verify"), {"code": latest_code("elmo@example.com")})
    assert response["Location"] == target


def test_log_in_refuses_to_send_people_elsewhere(client, logon):
    client.post(
        reverse("signin:login"), {"username": "good.elmo", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert client.session[PENDING_KEY]["next_url"] == ""


def test_createsuperuser_makes_a_staff_logon():
    call_command("createsuperuser", "--noinput", "--username", "staff.one", stdout=io.StringIO())
    staff = User.objects.get(username="staff.one")
    assert staff.is_staff
    assert staff.is_superuser


def test_a_password_alone_cannot_add_a_method_to_get_past_the_second_step(
    client, logon, django_capture_on_commit_callbacks
):
    log_in(client)
    set_up_email(client, django_capture_on_commit_callbacks)
    client.post(reverse("signin:logout"))

    log_in(client)  # an attacker who knows only the password
    for name in ("signin:setup", "signin:add_email", "signin:add_phone", "signin:setup_app"):
        assert client.get(reverse(name))["Location"] == reverse("signin:login"), name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signin:add_email"), {"email": "attacker@example.com"})
    assert not OutboxMessage.objects.filter(recipients__contains="attacker@example.com").exists()
    assert SecondFactor.objects.filter(user=logon).count() == 1
    assert client.get(reverse("portal:home"))["Location"].startswith(reverse("signin:login"))


def test_changing_the_password_in_the_profile_keeps_this_session(client, logon, django_capture_on_commit_callbacks):
    log_in(client)
    set_up_email(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("portal:profile"),
            {
                "section": "password",
                "password-current_password": PASSWORD,
                "password-password": "Lantern9Bay",
                "password-password_confirmation": "Lantern9Bay",
            },
        )
    assert client.get(reverse("portal:home")).status_code == 200
    logon.refresh_from_db()
    assert logon.check_password("Lantern9Bay")
