"""Create your profile: the verified identity matched to a taxpayer, or one clear no-match page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from taxgov.common.audit.actions import FORBIDDEN_EXTRA_KEYS
from taxgov.common.audit.models import AuditEvent
from taxgov.federal.accounts.models import User
from taxgov.federal.profile import queries
from taxgov.federal.profile.models import Profile
from taxgov.federal.profile.tags import ProfileTag
from tests.integration.federal.conftest import identity_of, person

pytestmark = pytest.mark.django_db
CREATE = "/account/profile/create/"
NOT_FOUND = "/account/profile/not-found/"


def assert_no_personal_data(event: AuditEvent, *values: str) -> None:
    assert not FORBIDDEN_EXTRA_KEYS & set(event.extra)
    stored = f"{event.actor} {event.subject} {event.extra}".lower()
    for value in values:
        assert value.lower() not in stored


def test_the_first_visit_shows_what_the_provider_verified(client, sign_in, population, personas):
    alex = person(population, "alex")
    sign_in(identity_of(alex, "sub-alex"))

    page = client.get(CREATE).content.decode()

    assert "Complete your profile" in page
    assert f"XXX-XX-{alex.tin[-4:]}" in page
    assert alex.tin not in page
    assert f"{alex.first_name} {alex.last_name}" in page
    assert "Create my profile" in page


def test_a_matching_identity_creates_the_profile(client, sign_in, population, personas):
    alex = person(population, "alex")
    user = sign_in(identity_of(alex, "sub-alex"))

    response = client.post(CREATE)

    assert response.status_code == 302
    assert response["Location"] == reverse("balances:home")
    profile = Profile.objects.get(user=user)
    assert profile.taxpayer == personas["alex"]
    event = AuditEvent.objects.get(tag=ProfileTag.CREATED)
    assert event.actor == f"user:{user.pk}"
    assert event.subject == f"taxpayer:{personas['alex'].pk}"
    assert_no_personal_data(event, alex.tin, alex.first_name, alex.last_name, alex.date_of_birth.isoformat())
    # Made once: the page now leads to the account.
    assert client.get(CREATE)["Location"] == reverse("balances:home")


def test_names_agree_whatever_the_case_accents_and_middle_name(client, sign_in, population, personas):
    jordan = person(population, "jordan")
    assert jordan.middle_name
    shouted = identity_of(
        jordan, "sub-jordan", given_name=f"  {jordan.first_name.upper()} {jordan.middle_name} ", family_name="Lée"
    )
    assert jordan.last_name == "Lee"
    user = sign_in(shouted)

    assert client.post(CREATE)["Location"] == reverse("balances:home")
    assert Profile.objects.get(user=user).taxpayer == personas["jordan"]


def test_normal_names_ignore_case_accents_and_punctuation():
    assert queries.normal_name("José  GARCÍA-López") == queries.normal_name("jose garcia lopez") == "jose garcia lopez"
    assert queries.normal_name("O'Brien") == "o brien"
    assert queries.normal_name("Zoë") == "zoe"


WRONG = {
    "ssn": {"ssn": "900491234"},
    "given_name": {"given_name": "Alexandra"},
    "family_name": {"family_name": "Riviera"},
    "birthdate": {"birthdate": dt.date(1956, 3, 20)},
}


@pytest.mark.parametrize("wrong", list(WRONG), ids=str)
def test_any_wrong_detail_gives_the_same_no_match_page(client, sign_in, population, personas, wrong):
    alex = person(population, "alex")
    user = sign_in(identity_of(alex, "sub-alex", **WRONG[wrong]))

    response = client.post(CREATE)

    assert response.status_code == 302
    assert response["Location"] == NOT_FOUND
    page = client.get(NOT_FOUND)
    assert page.status_code == 200
    text = page.content.decode()
    assert "We could not find your tax records" in text
    assert "(800) 555-0123" in text
    assert not Profile.objects.exists()
    event = AuditEvent.objects.get(tag=ProfileTag.NOT_MATCHED)
    assert event.subject == f"user:{user.pk}"
    assert event.extra["reason"] == ("not_on_file" if wrong == "ssn" else "details_differ")
    assert_no_personal_data(event, alex.tin, alex.first_name, alex.last_name, alex.date_of_birth.isoformat())


def test_the_no_match_page_says_nothing_about_which_detail_differed(sign_in, population, personas):
    alex = person(population, "alex")
    pages = set()
    for number, wrong in enumerate(WRONG):
        browser = Client()
        sign_in(identity_of(alex, f"sub-{number}", **WRONG[wrong]), on=browser)
        browser.post(CREATE)
        page = browser.get(NOT_FOUND).content.decode()
        pages.add(re.sub(r'(nonce|value)="[^"]*"', "", page))  # without the per-response tokens
    assert len(pages) == 1


def test_missing_claims_match_nobody(client, sign_in, population, personas):
    alex = person(population, "alex")
    sign_in(identity_of(alex, "sub-alex", ssn="", birthdate=None))

    assert client.post(CREATE)["Location"] == NOT_FOUND
    assert AuditEvent.objects.get(tag=ProfileTag.NOT_MATCHED).extra == {"reason": "claims_missing"}


def test_a_taxpayer_has_one_profile(sign_in, population, personas):
    alex = person(population, "alex")
    first, second = Client(), Client()
    owner = sign_in(identity_of(alex, "sub-first"), on=first)
    assert first.post(CREATE)["Location"] == reverse("balances:home")

    other = sign_in(identity_of(alex, "sub-second"), on=second)
    assert second.post(CREATE)["Location"] == NOT_FOUND

    assert list(Profile.objects.values_list("user", flat=True)) == [owner.pk]
    assert AuditEvent.objects.get(tag=ProfileTag.NOT_MATCHED).extra == {"reason": "already_linked"}
    with pytest.raises(IntegrityError):
        Profile.objects.create(user=other, taxpayer=personas["alex"])


def test_a_business_number_is_not_a_person(client, sign_in, population, personas):
    alex = person(population, "alex")
    chris_business = population.business(0)
    sign_in(identity_of(alex, "sub-alex", ssn=chris_business.ein))

    assert client.post(CREATE)["Location"] == NOT_FOUND
    assert AuditEvent.objects.get(tag=ProfileTag.NOT_MATCHED).extra == {"reason": "not_on_file"}


def test_attempts_are_rate_limited(client, sign_in, population, personas):
    alex = person(population, "alex")
    sign_in(identity_of(alex, "sub-alex", family_name="Nobody"))
    for _attempt in range(5):
        assert client.post(CREATE)["Location"] == NOT_FOUND

    refused = client.post(CREATE)

    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert AuditEvent.objects.filter(tag=ProfileTag.NOT_MATCHED).count() == 5
    assert AuditEvent.objects.filter(tag=ProfileTag.RATE_LIMITED).count() == 1
    # Even the right details wait for the limit.
    user = User.objects.get(subject="sub-alex")
    sign_in(identity_of(alex, "sub-alex"))
    assert client.post(CREATE).status_code == 429
    assert not Profile.objects.filter(user=user).exists()


def test_someone_with_a_profile_skips_the_no_match_page(client, sign_in, population, personas):
    sign_in(identity_of(person(population, "alex"), "sub-alex"))
    client.post(CREATE)
    assert client.get(NOT_FOUND)["Location"] == reverse("balances:home")


def test_the_ssn_may_come_with_dashes(client, sign_in, population, personas):
    alex = person(population, "alex")
    sign_in(identity_of(alex, "sub-alex", ssn=f"{alex.tin[:3]}-{alex.tin[3:5]}-{alex.tin[5:]}"))
    assert client.post(CREATE)["Location"] == reverse("balances:home")
