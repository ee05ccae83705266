"""Switching accounts with a ``next`` that is not a path on this site goes home, as one to
another site does: a bare word reached ``redirect()``, which took it for a view name and failed
with a 500 (found by fuzzing, tests/resilience)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.integration.federal.test_account import with_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("next_url", ["balances", "business:index", "a\x00"])
def test_a_bare_word_next_goes_home(client, sign_in, population, personas, next_url):
    with_profile(sign_in, population, personas, "chris", on=client)
    answer = client.post(reverse("business:index"), {"account": "individual", "next": next_url})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("balances:home")
