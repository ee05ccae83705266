"""Demo data: the identity accounts some personas already have (``Persona.identity_password``),
each with its published authenticator-app key and a verified identity from the synthetic
records, so a demo can sign in to the agencies as them without walking verification."""

from __future__ import annotations

from django.utils import timezone

from taxgov.common.mfa.models import FactorKind, SecondFactor
from taxgov.identity.accounts.models import User
from taxgov.identity.records.fingerprints import tin_fingerprint
from taxgov.identity.verification.models import Method, Outcome, Verification
from taxgov.synthetic.personas import PERSONAS
from taxgov.synthetic.population import Population

DEMO_DECIDER = "demo-data"


def load_demo_data() -> str:
    population = Population()
    made = []
    for persona in PERSONAS:
        if not (persona.identity_password and persona.identity_totp_secret):
            continue
        person = population.person(persona.person_index)
        if User.objects.filter(email=person.email).exists():
            continue
        now = timezone.now()
        user = User.objects.create_user(email=person.email, password=persona.identity_password, email_confirmed_at=now)
        SecondFactor.objects.create(
            user=user, kind=FactorKind.TOTP, secret=persona.identity_totp_secret, confirmed_at=now
        )
        address = person.current_address
        mobile = next((phone.number for phone in person.phones if phone.kind == "mobile"), "")
        Verification.objects.create(
            user=user,
            method=Method.SELF_SERVICE,
            outcome=Outcome.VERIFIED,
            first_name=person.first_name,
            last_name=person.last_name,
            tin=person.tin,
            tin_fingerprint=tin_fingerprint(person.tin),
            date_of_birth=person.date_of_birth.isoformat(),
            address_line1=address.line1,
            address_line2=address.line2,
            city=address.city,
            state=address.state,
            postal_code=address.postal_code,
            phone=mobile,
            phone_confirmed_at=now if mobile else None,
            records_matched_at=now,
            decided_at=now,
            decided_by=DEMO_DECIDER,
        )
        made.append(persona.key)
    return f"demo identity accounts: {', '.join(made) or 'none new'}."
