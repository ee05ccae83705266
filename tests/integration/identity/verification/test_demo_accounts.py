"""The demo personas who already have an identity account get it from the demo data: the
published password and authenticator key work, and the identity is verified from their
synthetic records, so agencies receive their real (demo) SSN, name and birth date."""

from __future__ import annotations

import pyotp
import pytest
from django.contrib.auth import authenticate

from taxgov.common.mfa.models import SecondFactor
from taxgov.identity.accounts.models import User
from taxgov.identity.verification import demo
from taxgov.identity.verification.queries import verified_identity
from taxgov.synthetic.personas import PERSONAS
from taxgov.synthetic.population import Population

pytestmark = pytest.mark.django_db
WITH_ACCOUNTS = [persona for persona in PERSONAS if persona.identity_password]


def test_each_persona_with_an_account_can_sign_in_verified():
    assert {persona.key for persona in WITH_ACCOUNTS} >= {"jordan", "chris", "taylor"}
    demo.load_demo_data()
    population = Population()
    for persona in WITH_ACCOUNTS:
        person = population.person(persona.person_index)
        user = authenticate(username=person.email, password=persona.identity_password)
        assert isinstance(user, User), persona.key
        factor = SecondFactor.objects.get(user=user, confirmed_at__isnull=False)
        assert pyotp.TOTP(factor.secret).now() == pyotp.TOTP(persona.identity_totp_secret).now()
        verified = verified_identity(user.pk)
        assert verified is not None
        assert (verified.tin, verified.last_name, verified.date_of_birth) == (
            person.tin,
            person.last_name,
            person.date_of_birth.isoformat(),
        )


def test_loading_again_changes_nothing():
    demo.load_demo_data()
    again = demo.load_demo_data()
    assert again == "demo identity accounts: none new."
    assert User.objects.count() == len(WITH_ACCOUNTS)
