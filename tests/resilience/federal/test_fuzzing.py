"""Fuzzing every route of the federal online account (issue 9): no input gets a 5xx.

The visitors: an anonymous one, sent to the identity provider (played on loopback) to sign
in; someone signed in with a verified identity and no profile; Pat, who has a payment plan, a
scheduled payment and a power of attorney to decide; Alex, half way through the offer
pre-qualifier and an online form; Taylor, a tax professional who asked Pat for it; and
Chris, acting for the bakery as its Designated Official.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from taxgov.common.access.sweep import iter_routes
from taxgov.common.ratelimit import clear_all_counters
from taxgov.federal.authorizations.models import Authorization, IncomeVerification, TaxMatter
from taxgov.federal.business.models import BusinessRole
from taxgov.federal.forms.catalog import FORMS
from taxgov.federal.forms.flow import flow_for
from taxgov.federal.forms.models import Draft, Submission
from taxgov.federal.offers.flow import PREQUALIFIER
from taxgov.federal.offers.models import Prequalification
from taxgov.federal.payments.models import Payment
from taxgov.federal.plans.models import PaymentPlan
from taxgov.ledger.models import Notice, Taxpayer
from tests.integration.federal.authorizations.test_authorizations import become_professional, send
from tests.integration.federal.conftest import identity_of, person
from tests.integration.federal.forms.test_forms import fill
from tests.integration.federal.offers.test_prequalifier import answer, start
from tests.integration.federal.payments.test_payments import form as payment_form
from tests.integration.federal.payments.test_payments import submit as submit_payment
from tests.integration.federal.plans.test_plans import long_term_form, submit_long_term
from tests.integration.federal.signin.test_relying_party import FakeProvider, begin
from tests.integration.federal.test_account import with_profile
from tests.resilience.fuzzing import Fuzzer, Visitor, csrf_refusals, form_fields, tell

pytestmark = pytest.mark.django_db
BUDGET = 3600
MINIMUM_INPUTS = 3400  # each deployable's; the three runs together send over 10,000


def pat(sign_in, population, personas) -> Client:
    browser = Client()
    with_profile(sign_in, population, personas, "pat", on=browser)
    submit_long_term(browser, long_term_form(browser, direct_debit=False))
    later = (timezone.localdate() + dt.timedelta(days=20)).strftime("%m/%d/%Y")
    submit_payment(browser, payment_form(browser, pay_on=later))
    return browser


def alex(sign_in, population, personas) -> Client:
    browser = Client()
    with_profile(sign_in, population, personas, "alex", on=browser)
    answer(browser, start(browser), up_to="expenses")
    fill(browser)
    return browser


def taylor(sign_in, population, personas) -> Client:
    browser = Client()
    become_professional(browser, sign_in, population, "taylor")
    send(browser, population, personas, key="pat")
    return browser


def without_profile(sign_in, population) -> Client:
    browser = Client()
    sign_in(identity_of(person(population, "jordan"), "sub-jordan"), on=browser)
    return browser


def signing_in(provider: FakeProvider) -> tuple[Client, dict[str, set[str]]]:
    """Sent to the provider and not back yet; the callback's right answers, to fuzz around."""
    browser = Client()
    query = begin(browser, provider)
    return browser, {
        "state": {query["state"]},
        "code": {"the-code"},
        "iss": {provider.issuer},
        "error": {"access_denied"},
    }


def known_values() -> dict[str, list[str]]:
    """URL values of the visitors' records, every step of the flows, the matters and years."""
    records = (Payment, PaymentPlan, Prequalification, Draft, Submission, Authorization, IncomeVerification)
    this_year = timezone.localdate().year
    return {
        "public_id": [str(i) for model in records for i in model.objects.values_list("public_id", flat=True)],
        "role_id": [str(i) for i in BusinessRole.objects.values_list("public_id", flat=True)],
        "entity_id": [str(role.entity.public_id) for role in BusinessRole.objects.select_related("entity")],
        "step": sorted(
            {s.key for s in PREQUALIFIER.steps} | {s.key for f in FORMS.values() for s in flow_for(f).steps}
        ),
        "code": sorted(FORMS),
        "notice_id": [str(pk) for pk in Notice.objects.values_list("pk", flat=True)[:20]],
        "matter": list(TaxMatter.values),
        "year": [str(year) for year in range(this_year - 4, this_year + 1)],
    }


def step_fields(callback: dict[str, set[str]]) -> dict[str, dict[str, set[str]]]:
    offers = form_fields(*(s.form for s in PREQUALIFIER.steps if s.form))
    forms = form_fields(*(s.form for f in FORMS.values() for s in flow_for(f).steps if s.form))
    return {
        "account/offer-in-compromise/<uuid:public_id>/<slug:step>/": offers,
        "account/forms/<slug:code>/<slug:step>/": forms,
        "sign-in/callback/": callback,
    }


def test_no_input_gets_a_server_error(
    pytestconfig, client, acting_for_bakery: Taxpayer, sign_in, population, personas, fake_provider: FakeProvider
):
    clear_all_counters()
    anonymous, callback = signing_in(fake_provider)
    visitors = [
        Visitor("anonymous", anonymous),
        Visitor("no-profile", without_profile(sign_in, population)),
        Visitor("pat", pat(sign_in, population, personas)),
        Visitor("alex", alex(sign_in, population, personas)),
        Visitor("tax-pro", taylor(sign_in, population, personas)),
        Visitor("business", client),
    ]
    clear_all_counters()
    fuzzer = Fuzzer(visitors, BUDGET, path_values=known_values(), fields=step_fields(callback)).run()
    tell(pytestconfig, fuzzer.summary())
    assert fuzzer.findings == [], fuzzer.summary()
    assert fuzzer.inputs >= MINIMUM_INPUTS
    assert set(fuzzer.covered) == {route.pattern for route in iter_routes()}


def test_posts_without_a_csrf_token_are_refused(sign_in, population):
    browser = Client(enforce_csrf_checks=True)
    sign_in(identity_of(person(population, "jordan"), "sub-jordan"), on=browser)
    wrong = csrf_refusals([Client(enforce_csrf_checks=True), browser])
    assert wrong == []
