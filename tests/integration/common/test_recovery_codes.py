"""Recovery codes: ten, shown once, single use, stored hashed, tolerant of how they are typed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from taxgov.common.mfa.models import RecoveryCode
from taxgov.common.mfa.recovery import codes_left, do_generate_recovery_codes, do_use_recovery_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return get_user_model().objects.create_user("codes@example.com", "correct horse battery staple")


def test_ten_codes_each_working_once(person):
    codes = do_generate_recovery_codes(person.pk)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(len(code) == 14 for code in codes)  # XXXX-XXXX-XXXX
    stored = [row.code_hash for row in RecoveryCode.objects.all()]
    assert not any(code.replace("-", "") in hashed for code in codes for hashed in stored)
    assert do_use_recovery_code(person.pk, codes[0].lower().replace("-", " "))
    assert not do_use_recovery_code(person.pk, codes[0])
    assert codes_left(person.pk) == 9


def test_a_new_set_ends_the_old_one_and_wrong_codes_fail(person):
    old = do_generate_recovery_codes(person.pk)
    do_generate_recovery_codes(person.pk)
    assert not do_use_recovery_code(person.pk, old[1])
    assert not do_use_recovery_code(person.pk, "not a code")
    other = get_user_model().objects.create_user("other@example.com", "correct horse battery staple")
    theirs = do_generate_recovery_codes(other.pk)
    assert not do_use_recovery_code(person.pk, theirs[0])
