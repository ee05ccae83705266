"""A ``next`` that is not a path on this site is ignored, as one to another site is: a bare
word reached ``redirect()``, which took it for a view name and failed with a 500 (found by
fuzzing, tests/resilience)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from taxgov.identity.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "quiet river bend at dawn"


@pytest.mark.parametrize("next_url", ["account", "signin:setup", "https://evil.example/"])
def test_signing_in_again_goes_to_the_account_unless_next_is_a_path_here(client, next_url):
    client.force_login(User.objects.create_user(email="nia.okafor@example.com", password=PASSWORD))
    answer = client.post(reverse("signin:reauthenticate"), {"password": PASSWORD, "next": next_url})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("account:index")


def test_a_path_here_is_followed(client):
    client.force_login(User.objects.create_user(email="nia.okafor@example.com", password=PASSWORD))
    answer = client.post(reverse("signin:reauthenticate"), {"password": PASSWORD, "next": "/account/history/"})
    assert answer["Location"] == "/account/history/"
