"""Fuzzing every route of the state portal (issue 9): no input gets a 5xx.

The visitors: someone part-way through Create My Logon, someone between the password and
the second step, an owner with a payment, a letter and a remembered browser who is also a
master administrator and a tax professional with a client, and a staff reviewer with a
request in the queue.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taxgov.common.access.sweep import iter_routes
from taxgov.common.mfa import actions as mfa
from taxgov.common.mfa.models import FactorKind, SecondFactor, TrustedDevice
from taxgov.common.ratelimit import clear_all_counters
from taxgov.ledger import actions as ledger
from taxgov.ledger.models import AccountType, Notice, NoticeKind
from taxgov.state.accounts.models import AccessRole, AccessStatus, TaxpayerAccess
from taxgov.state.payments.models import Payment
from taxgov.state.registration.flow import FLOWS
from taxgov.state.registration.models import RegistrationRequest, RequestStatus
from tests.integration.state.test_portal import logon, owing_taxpayer, pay
from tests.integration.state.test_registration import finish, step, walk_to_amount
from tests.integration.state.test_signin import PASSWORD
from tests.resilience.fuzzing import Fuzzer, Visitor, csrf_refusals, form_fields, tell

pytestmark = pytest.mark.django_db
BUDGET = 3600
MINIMUM_INPUTS = 3400  # each deployable's; the three runs together send over 10,000


def registering() -> Client:
    """Create My Logon answered up to the prior return amount."""
    browser = Client()
    owing_taxpayer("900-41-7001")
    walk_to_amount(browser, "900-41-7001")
    return browser


def between_password_and_second_step() -> Client:
    user = logon("half.way")
    user.set_password(PASSWORD)
    user.save()
    SecondFactor.objects.create(
        user=user, kind=FactorKind.EMAIL, destination="half.way@example.com", confirmed_at=timezone.now()
    )
    browser = Client()
    response = browser.post(reverse("signin:login"), {"username": "half.way", "password": PASSWORD})
    assert response["Location"] == reverse("signin:verify"), response
    return browser


def owner() -> Client:
    """An owner who owes, has paid, has a letter, runs a business's access and helps clients."""
    taxpayer, period = owing_taxpayer("900-41-7002")
    ledger.do_issue_notice(taxpayer, kind=NoticeKind.STATE_WELCOME, issued_on=dt.date(2026, 1, 5), with_letter_id=True)
    user = logon("the.owner", taxpayer=taxpayer, professional=True)
    business = ledger.do_register_taxpayer(
        kind="business",
        tin_type="ein",
        tin="00-4107003",
        name="Harbor Lights LLC",
        address=ledger.NewAddress("1 Pier", "Boston", "MA", "02110", valid_from=dt.date(2020, 1, 1)),
        registered_on=dt.date(2020, 1, 1),
    )
    ledger.do_open_account(business, AccountType.WITHHOLDING, opened_on=dt.date(2020, 1, 1))
    TaxpayerAccess.objects.create(user=user, taxpayer=business, role=AccessRole.MASTER_ADMINISTRATOR)
    logon("the.admin", taxpayer=business, role=AccessRole.TAX_ADMINISTRATOR)
    client_of_owner, _ = owing_taxpayer("900-41-7004")
    TaxpayerAccess.objects.create(user=user, taxpayer=client_of_owner, role=AccessRole.REPRESENTATIVE)
    TaxpayerAccess.objects.create(
        user=logon("a.preparer", professional=True),
        taxpayer=taxpayer,
        role=AccessRole.REPRESENTATIVE,
        status=AccessStatus.REQUESTED,
    )
    for kind, destination in ((FactorKind.EMAIL, "owner@example.com"), (FactorKind.SMS, "+16175550142")):
        SecondFactor.objects.create(user=user, kind=kind, destination=destination, confirmed_at=timezone.now())
    mfa.do_trust_device(user.pk, description="Firefox on Linux")
    browser = Client()
    browser.force_login(user)
    pay(browser, taxpayer, period, key=uuid.uuid4().hex, pay_on=timezone.localdate() + dt.timedelta(days=10))
    return browser


def reviewer() -> Client:
    """A staff member with a request to register an individual in the queue."""
    applicant = Client()
    applicant.post(
        step("individual", "taxpayer"),
        {
            "first_name": "Nia",
            "last_name": "Okafor",
            "id_type": "ssn",
            "tin_entry": "900-41-7005",
            "tin_confirmation": "900-41-7005",
            "date_of_birth": "04/28/1986",
        },
    )
    applicant.post(
        step("individual", "address"),
        {"address_line1": "5 Elm St", "city": "Worcester", "state": "MA", "postal_code": "01608"},
    )
    applicant.post(step("individual", "taxes"), {"new_account_types": ["sales"], "new_accounts_from": "01/01/2026"})
    finish(applicant, "individual", username="nia.okafor")
    assert RegistrationRequest.objects.filter(status=RequestStatus.SUBMITTED).exists()
    staff = logon("the.reviewer")
    staff.is_staff = True
    staff.save()
    browser = Client()
    browser.force_login(staff)
    return browser


def known_values() -> dict[str, list[str]]:
    """URL values of the records the visitors have, and every registration step."""
    return {
        "kind": sorted(FLOWS),
        "step": sorted({s.key for flow in FLOWS.values() for s in flow.steps}),
        "public_id": [str(i) for i in Payment.objects.values_list("public_id", flat=True)]
        + [str(i) for i in RegistrationRequest.objects.values_list("public_id", flat=True)],
        "taxpayer_id": [str(a.taxpayer.public_id) for a in TaxpayerAccess.objects.select_related("taxpayer")],
        "grant_id": [str(pk) for pk in TaxpayerAccess.objects.values_list("pk", flat=True)],
        "notice_id": [str(pk) for pk in Notice.objects.values_list("pk", flat=True)],
        "factor_id": [str(pk) for pk in SecondFactor.objects.values_list("pk", flat=True)],
        "device_id": [str(pk) for pk in TrustedDevice.objects.values_list("pk", flat=True)],
    }


def test_no_input_gets_a_server_error(pytestconfig):
    visitors = [
        Visitor("registering", registering()),
        Visitor("two-step", between_password_and_second_step()),
        Visitor("owner", owner()),
        Visitor("staff", reviewer()),
    ]
    clear_all_counters()
    steps = form_fields(*(s.form for flow in FLOWS.values() for s in flow.steps if s.form))
    fuzzer = Fuzzer(
        visitors, BUDGET, path_values=known_values(), fields={"sign-up/<str:kind>/<str:step>/": steps}
    ).run()
    tell(pytestconfig, fuzzer.summary())
    assert fuzzer.findings == [], fuzzer.summary()
    assert fuzzer.inputs >= MINIMUM_INPUTS
    assert set(fuzzer.covered) == {route.pattern for route in iter_routes()}


def test_posts_without_a_csrf_token_are_refused():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(logon("csrf.checked"))
    wrong = csrf_refusals([Client(enforce_csrf_checks=True), browser])
    assert wrong == []
