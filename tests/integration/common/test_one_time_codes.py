"""Codes sent by text, voice or e-mail (NIST SP 800-63B §5.1.3): 6 digits, 10 minutes,
single use, few tries, and a new code ends the old one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.mfa.actions import CodeResult, do_add_factor, do_check_code, do_send_code
from taxgov.common.mfa.models import FactorKind, OneTimeCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(settings, django_capture_on_commit_callbacks):
    settings.TAXGOV_SMS_GATEWAY = "outbox"
    user = get_user_model().objects.create_user("codes.person@example.com", "a long enough passphrase")
    factor = do_add_factor(user.pk, FactorKind.SMS, destination="+16175550190")

    def send() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            do_send_code(factor)
        return re.search(r"\b([0-9]{6})\b", OutboxMessage.objects.first().body_text).group(1)

    return factor, send


def test_a_code_works_once(phone):
    factor, send = phone
    code = send()
    assert do_check_code(factor, code) is CodeResult.OK
    assert do_check_code(factor, code) is CodeResult.EXPIRED


def test_a_code_expires_after_ten_minutes(phone):
    factor, send = phone
    code = send()
    OneTimeCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert do_check_code(factor, code) is CodeResult.EXPIRED


def test_five_wrong_tries_end_a_code_and_a_new_code_ends_the_old(phone):
    factor, send = phone
    first = send()
    second = send()
    assert do_check_code(factor, first) is CodeResult.WRONG
    wrong = "000000" if second != "000000" else "111111"
    for _ in range(4):
        do_check_code(factor, wrong)
    assert do_check_code(factor, second) is CodeResult.EXPIRED
