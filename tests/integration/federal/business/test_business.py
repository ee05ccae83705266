"""The business tax account: registering as a Designated Official, switching accounts, acting for
the entity (balances, payments), naming and removing the people who act for it, and the yearly
revalidation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.federal.accounts.models import User
from taxgov.federal.business import actions, queries
from taxgov.federal.business.models import BusinessRole, RoleKind
from taxgov.federal.business.queries import Answers
from taxgov.federal.business.session import SESSION_KEY
from taxgov.federal.business.tags import BusinessTag
from taxgov.federal.payments import actions as payment_actions
from taxgov.federal.payments.models import Payment
from taxgov.federal.payments.queries import Purpose
from taxgov.federal.profile.access import INDIVIDUAL_ACCOUNT, MAY_MAKE_PAYMENTS, acting_role, taxpayer_of
from taxgov.federal.records.transcripts import module_name
from taxgov.ledger.actions import do_post_transaction
from taxgov.ledger.identifiers import tin_fingerprint
from taxgov.ledger.models import AccountType, Taxpayer, TaxPeriod
from taxgov.synthetic.population import Population
from tests.integration.federal.conftest import person
from tests.integration.federal.test_account import with_profile

pytestmark = pytest.mark.django_db
HOME = reverse("balances:home")
INDEX = reverse("business:index")
REGISTER = reverse("business:register")
PEOPLE = reverse("business:people")
NO_MATCH = b"We could not confirm that you can act for this business or estate."
ADDED = b"If this person has an Online Account, they can now act for the business."
ROUTING = "011000015"  # a valid ABA checksum
RIGHT = Answers(return_form="1065", postal_code="02155", title="managing_member")


@pytest.fixture
def bakery(population: Population, personas) -> Taxpayer:
    return Taxpayer.objects.get(tin_fingerprint=tin_fingerprint(population.business(0).ein))


@pytest.fixture
def chris(client, sign_in, population, personas) -> User:
    return with_profile(sign_in, population, personas, "chris", on=client)


def registration(population: Population, **changes: str) -> dict[str, str]:
    ein = population.business(0).ein
    return {
        "ein": f"{ein[:2]}-{ein[2:]}",
        "return_form": "1065",
        "postal_code": population.business(0).address.postal_code,
        "title": "managing_member",
        "attestation": "on",
        **changes,
    }


def official(user: User, entity: Taxpayer, validated_on: dt.date | None = None) -> BusinessRole:
    """A registered Designated Official (as ``do_register_official`` makes one)."""
    return BusinessRole.objects.create(
        user=user,
        entity=entity,
        role=RoleKind.DESIGNATED_OFFICIAL,
        title="managing_member",
        validated_on=validated_on or timezone.localdate(),
        attested_at=timezone.now(),
    )


def act_for(client: Client, entity: Taxpayer) -> None:
    answer = client.post(INDEX, {"account": str(entity.public_id)})
    assert answer.status_code == 302
    assert answer["Location"] == HOME


def grant(client: Client, population: Population, key: str, role: str, **changes: str):
    found = person(population, key)
    data = {"role": role, "ssn": found.tin, "last_name": found.last_name, **changes}
    return client.post(PEOPLE, data, follow=True)


def tags() -> list[str]:
    return list(AuditEvent.objects.order_by("sequence").values_list("tag", flat=True))


# --- registering as a Designated Official ---


def test_the_responsible_party_registers_and_acts_for_the_business(client, chris, bakery, population):
    answer = client.post(REGISTER, registration(population))
    assert answer["Location"] == HOME
    role = BusinessRole.objects.get()
    assert (role.user, role.entity, role.role, role.title) == (chris, bakery, "designated_official", "managing_member")
    assert role.validated_on == timezone.localdate()
    assert role.attested_at is not None
    assert role.granted_by is None
    event = AuditEvent.objects.get(tag=BusinessTag.REGISTERED)
    assert event.extra["attested"] is True
    assert event.subject == f"taxpayer:{bakery.pk}"
    page = client.get(HOME)
    ein = population.business(0).ein
    assert b"You are acting for <strong>Morgan Family Bakery LLC</strong> (EIN ending " + ein[-4:].encode() in (
        page.content
    )
    assert b"as Designated Official." in page.content
    assert ein.encode() not in page.content
    assert f"{ein[:2]}-{ein[2:]}".encode() not in page.content


@pytest.mark.parametrize(
    "changes",
    [
        {"ein": "00-0000001"},  # no business has it
        {"return_form": "1120"},
        {"postal_code": "02156"},
    ],
    ids=["ein", "return", "zip"],
)
def test_every_wrong_answer_gets_the_same_refusal(client, chris, bakery, population, changes):
    answer = client.post(REGISTER, registration(population, **changes))
    assert answer.status_code == 200
    assert NO_MATCH in answer.content
    assert not BusinessRole.objects.exists()
    assert tags()[-1] == BusinessTag.REGISTRATION_REFUSED


def test_someone_who_is_not_the_responsible_party_gets_the_same_refusal(client, sign_in, population, personas, bakery):
    with_profile(sign_in, population, personas, "alex", on=client)
    answer = client.post(REGISTER, registration(population))
    assert NO_MATCH in answer.content
    assert not BusinessRole.objects.exists()
    refused = AuditEvent.objects.get(tag=BusinessTag.REGISTRATION_REFUSED)
    assert refused.extra == {"reason": "not_responsible_party"}


def test_the_executor_registers_for_the_estate(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "dana", on=client)
    estate = population.estate(0)
    data = {"ein": estate.ein, "return_form": "1041", "postal_code": estate.address.postal_code, "title": "executor"}
    answer = client.post(REGISTER, {**data, "attestation": "on"})
    assert answer["Location"] == HOME
    assert BusinessRole.objects.get().entity.name == "Estate of Robert Hill"


def test_the_form_needs_the_attestation_and_a_real_ein(client, chris, population):
    answer = client.post(REGISTER, registration(population, attestation="", ein="12-345"))
    assert b"Enter the 9 digits of the EIN." in answer.content
    assert b"This field is required." in answer.content
    assert not AuditEvent.objects.filter(tag__startswith="federal:business").exists()


def test_registration_attempts_are_rate_limited(client, chris, population):
    for _attempt in range(5):
        assert NO_MATCH in client.post(REGISTER, registration(population, return_form="1120")).content
    answer = client.post(REGISTER, registration(population))
    assert answer.status_code == 429
    assert b"You tried too many times." in answer.content
    assert not BusinessRole.objects.exists()
    assert tags()[-1] == BusinessTag.RATE_LIMITED


def test_registering_again_revalidates_and_a_designated_user_becomes_an_official(client, chris, bakery, population):
    BusinessRole.objects.create(user=chris, entity=bakery, role=RoleKind.DESIGNATED_USER)
    client.post(REGISTER, registration(population))
    client.post(REGISTER, registration(population, title="president"))
    roles = BusinessRole.objects.order_by("pk")
    assert [(role.role, role.revoked_at is None) for role in roles] == [
        ("designated_user", False),
        ("designated_official", True),
    ]
    assert roles[1].title == "president"
    assert tags().count(BusinessTag.REVALIDATED) == 1


# --- switching ---


def test_switching_to_the_business_and_back(client, chris, bakery, personas):
    official(chris, bakery)
    page = client.get(INDEX)
    assert b"Your individual account" in page.content
    assert b"Act for Morgan Family Bakery LLC" in page.content
    act_for(client, bakery)
    assert client.session[SESSION_KEY] == str(bakery.public_id)
    home = client.get(HOME)
    assert b"Morgan Family Bakery LLC" in home.content
    assert home.context["taxpayer"] == bakery
    back = client.post(INDEX, {"account": "individual"})
    assert back["Location"] == HOME
    assert client.get(HOME).context["taxpayer"] == personas["chris"]
    switched = AuditEvent.objects.filter(tag=BusinessTag.SWITCHED).order_by("sequence")
    assert [event.extra["to"] for event in switched] == ["entity", "individual"]


def test_someone_without_a_role_cannot_switch_to_the_business(client, sign_in, population, personas, bakery):
    with_profile(sign_in, population, personas, "alex", on=client)
    assert client.post(INDEX, {"account": str(bakery.public_id)}).status_code == 404
    assert client.post(INDEX, {"account": "not-an-id"}).status_code == 404
    assert SESSION_KEY not in client.session


def test_the_balances_home_and_payment_activity_serve_the_business(client, chris, bakery, personas):
    role = official(chris, bakery)
    today = timezone.localdate()
    purpose = Purpose("estimated_tax", today.year)
    bank = payment_actions.BankAccount("checking", ROUTING, "123456789")
    for taxpayer, key in ((bakery, "bakery-payment-key-1"), (personas["chris"], "chris-payment-key-1")):
        payment_actions.do_make_payment(
            user=chris,
            taxpayer=taxpayer,
            purpose=purpose,
            amount=Decimal("10.00"),
            pay_on=today,
            bank=bank,
            idempotency_key=key,
        )
    act_for(client, bakery)
    home = client.get(HOME)
    latest = queries.latest_income_return(bakery)
    assert latest is not None
    assert latest.form == "1065"
    shown = home.context["summary"].latest_return  # any return: the 941 of the latest quarter
    assert shown.period.account.taxpayer == bakery
    assert f"{module_name(shown.period)}, as originally filed".encode() in home.content
    activity = client.get(reverse("payments:activity"))
    assert {payment.taxpayer_id for payment in activity.context["upcoming"]} == {bakery.pk}
    assert role.entity == taxpayer_of_client(client)


def taxpayer_of_client(client: Client) -> Taxpayer:
    """What ``taxpayer_of`` answers for the client's session."""
    request = RequestFactory().get(HOME)
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    request.session = client.session
    return taxpayer_of(request)


def test_a_designated_official_pays_for_the_business(client, chris, bakery):
    """The bakery owes on its latest employment tax quarter (Form 941); the official pays that
    balance, which lands on the bakery's own withholding period, not on an income tax year."""
    quarter = TaxPeriod.objects.filter(account__taxpayer=bakery, account__account_type=AccountType.WITHHOLDING).last()
    assert quarter is not None
    do_post_transaction(
        quarter, code="290", amount=Decimal("310.00"), effective_date=quarter.due_date, idempotency_key="test-941-due"
    )
    official(chris, bakery)
    act_for(client, bakery)
    page = client.get(reverse("payments:make"))
    form = page.context["form"]
    choices = dict(form.fields["purpose"].choices)
    owing = f"balance_due:withholding:{quarter.end.isoformat()}"
    assert "Withholding tax, period ending" in choices[owing]
    assert not any(value.startswith(("estimated_tax", "extension")) for value in choices)  # a partnership
    data = {
        "purpose": owing,
        "amount": "25.00",
        "pay_on": timezone.localdate().strftime("%m/%d/%Y"),
        "bank_account_kind": "checking",
        "routing_number": ROUTING,
        "account_number": "123456789",
        "account_number_confirmation": "123456789",
        "idempotency_key": form["idempotency_key"].value(),
        "submit": "",
    }
    client.post(reverse("payments:make"), data)
    payment = Payment.objects.get()
    assert payment.taxpayer == bakery
    assert payment.made_by == chris
    assert payment.period == quarter


# --- Designated Users and Officials named by an official ---


@pytest.fixture
def jordan_browser(sign_in, population, personas) -> Client:
    browser = Client()
    with_profile(sign_in, population, personas, "jordan", on=browser)
    return browser


def test_a_designated_user_sees_but_cannot_pay(client, chris, bakery, population, jordan_browser):
    official(chris, bakery)
    act_for(client, bakery)
    assert ADDED in grant(client, population, "jordan", "designated_user").content
    role = BusinessRole.objects.get(role=RoleKind.DESIGNATED_USER)
    assert role.granted_by == chris
    act_for(jordan_browser, bakery)
    assert jordan_browser.get(HOME).context["taxpayer"] == bakery
    assert b"as Designated User." in jordan_browser.get(HOME).content
    assert jordan_browser.get(reverse("payments:activity")).status_code == 200
    refused = jordan_browser.get(reverse("payments:make"))
    assert refused.status_code == 403
    assert b"Only a Designated Official can do this" in refused.content
    assert jordan_browser.post(reverse("payments:make"), {}).status_code == 403
    assert jordan_browser.get(PEOPLE).status_code == 404
    assert not Payment.objects.exists()


def test_the_answer_is_the_same_whether_or_not_the_person_has_an_account(client, chris, bakery, population):
    official(chris, bakery)
    act_for(client, bakery)
    no_account = grant(client, population, "sam", "designated_user")  # Sam has no profile
    wrong_name = grant(client, population, "chris", "designated_user", last_name="Rivera")
    assert ADDED in no_account.content
    assert ADDED in wrong_name.content
    assert BusinessRole.objects.count() == 1
    assert tags().count(BusinessTag.GRANT_UNMATCHED) == 2


def test_adding_and_removing_people_but_never_the_last_official(
    client, chris, bakery, population, personas, sign_in, jordan_browser
):
    mine = official(chris, bakery)
    with_profile(sign_in, population, personas, "alex", on=Client())
    act_for(client, bakery)
    grant(client, population, "jordan", "designated_user")
    grant(client, population, "alex", "designated_official")
    grant(client, population, "alex", "designated_official")  # again: nothing new
    page = client.get(PEOPLE)
    assert [role.role for role in page.context["roles"]] == [
        "designated_official",
        "designated_official",
        "designated_user",
    ]
    assert b"Has not signed yet" in page.content
    alex, jordan = (BusinessRole.objects.get(role=kind, granted_by=chris) for kind in RoleKind.values)
    assert client.get(reverse("business:remove", args=[jordan.public_id])).status_code == 200
    client.post(reverse("business:remove", args=[jordan.public_id]))
    client.post(reverse("business:remove", args=[alex.public_id]))
    assert list(BusinessRole.objects.filter(revoked_at=None)) == [mine]
    leaving = client.post(reverse("business:remove", args=[mine.public_id]), follow=True)
    assert b"must keep at least one Designated Official" in leaving.content
    mine.refresh_from_db()
    assert mine.revoked_at is None
    removed = AuditEvent.objects.filter(tag=BusinessTag.ROLE_REMOVED)
    assert sorted(event.extra["kind"] for event in removed) == ["designated_official", "designated_user"]
    assert tags().count(BusinessTag.ROLE_GRANTED) == 2
    assert client.get(reverse("business:remove", args=[jordan.public_id])).status_code == 404


def test_an_official_may_leave_when_another_remains_and_a_user_can_be_made_an_official(
    client, chris, bakery, population, jordan_browser
):
    mine = official(chris, bakery)
    act_for(client, bakery)
    grant(client, population, "jordan", "designated_user")
    grant(client, population, "jordan", "designated_official")
    jordan = BusinessRole.objects.get(revoked_at=None, role=RoleKind.DESIGNATED_OFFICIAL, granted_by=chris)
    assert BusinessRole.objects.filter(role=RoleKind.DESIGNATED_USER, revoked_by=chris).exists()
    answer = client.post(reverse("business:remove", args=[mine.public_id]))
    assert answer["Location"] == INDEX
    mine.refresh_from_db()
    assert mine.revoked_by == chris
    assert client.get(HOME).context["taxpayer"].kind == "individual"
    assert jordan.revoked_at is None


def test_an_official_named_by_another_confirms_before_acting(client, chris, bakery, population, jordan_browser):
    official(chris, bakery)
    act_for(client, bakery)
    grant(client, population, "jordan", "designated_official")
    role = BusinessRole.objects.get(granted_by=chris)
    assert b"Confirm your role" in jordan_browser.get(INDEX).content
    revalidate = reverse("business:revalidate", args=[bakery.public_id])
    assert jordan_browser.post(INDEX, {"account": str(bakery.public_id)})["Location"] == revalidate
    wrong = jordan_browser.post(revalidate, {"return_form": "1065", "postal_code": "99999", "title": "president"})
    assert b"This field is required." in wrong.content  # the attestation
    wrong = jordan_browser.post(
        revalidate, {"return_form": "1065", "postal_code": "99999", "title": "president", "attestation": "on"}
    )
    assert NO_MATCH in wrong.content
    assert tags()[-1] == BusinessTag.REVALIDATION_REFUSED
    right = {"return_form": "1065", "postal_code": "02155", "title": "president", "attestation": "on"}
    assert jordan_browser.post(revalidate, right)["Location"] == HOME
    role.refresh_from_db()
    assert (role.title, role.validated_on) == ("president", timezone.localdate())
    assert jordan_browser.get(HOME).context["taxpayer"] == bakery


# --- who a session acts for ---


def test_a_stale_choice_after_removal_falls_back_to_the_individual(
    client, chris, bakery, population, personas, jordan_browser
):
    official(chris, bakery)
    act_for(client, bakery)
    grant(client, population, "jordan", "designated_user")
    act_for(jordan_browser, bakery)
    jordan = BusinessRole.objects.get(role=RoleKind.DESIGNATED_USER)
    client.post(reverse("business:remove", args=[jordan.public_id]))
    home = jordan_browser.get(HOME)
    assert home.context["taxpayer"] == personas["jordan"]
    assert b"You are acting for" not in home.content
    assert SESSION_KEY not in jordan_browser.session


def test_individual_pages_send_someone_acting_for_a_business_back(client, chris, bakery, personas):
    official(chris, bakery)
    act_for(client, bakery)
    request = RequestFactory().get("/account/forms/")
    request.user, request.session = chris, client.session
    assert not INDIVIDUAL_ACCOUNT.allows(request)
    assert MAY_MAKE_PAYMENTS.allows(request)
    denied = INDIVIDUAL_ACCOUNT.deny(request)
    assert denied["Location"] == f"{reverse('business:individual_only')}?next=%2Faccount%2Fforms%2F"
    page = client.get(denied["Location"])
    assert b"This page is for your individual account" in page.content
    assert b'name="next" value="/account/forms/"' in page.content
    back = client.post(INDEX, {"account": "individual", "next": "/account/forms/"})
    assert back["Location"] == "/account/forms/"
    elsewhere = client.post(INDEX, {"account": "individual", "next": "https://evil.example/"})
    assert elsewhere["Location"] == HOME
    assert taxpayer_of_client(client) == personas["chris"]


def test_the_acting_role_is_checked_once_per_request(client, chris, bakery, django_assert_max_num_queries):
    official(chris, bakery)
    act_for(client, bakery)
    request: HttpRequest = RequestFactory().get(HOME)
    request.user, request.session = chris, client.session
    request.session.keys()  # the session is read from the database once, as SessionMiddleware does
    with django_assert_max_num_queries(1):
        assert acting_role(request) is acting_role(request)


def test_the_business_home_stays_within_the_query_budget(client, chris, bakery, django_assert_max_num_queries):
    official(chris, bakery)
    act_for(client, bakery)
    with django_assert_max_num_queries(15):
        assert client.get(HOME).status_code == 200


# --- the yearly revalidation ---


@pytest.mark.parametrize(
    ("validated_on", "today", "must", "due"),
    [
        ("2026-01-10", "2026-06-14", False, False),  # before the window
        ("2026-01-10", "2026-06-15", False, True),  # the window opens: prompt
        ("2026-01-10", "2026-07-29", False, True),  # its last day
        ("2026-01-10", "2026-07-30", True, False),  # closed without revalidating
        ("2026-06-20", "2026-07-30", False, False),  # revalidated in the window
        ("2026-06-20", "2027-06-20", False, True),  # next year's window
        ("2026-06-20", "2027-07-30", True, False),
        ("2025-08-01", "2026-05-01", False, False),  # registered after last year's window
    ],
)
def test_the_revalidation_window(chris, bakery, validated_on, today, must, due):
    role = official(chris, bakery, validated_on=dt.date.fromisoformat(validated_on))
    day = dt.date.fromisoformat(today)
    assert queries.must_revalidate(role, day) is must
    assert (queries.revalidation_due(role, day) is not None) is due
    assert queries.may_act(role, day) is not must


def test_designated_users_never_revalidate(chris, bakery):
    role = BusinessRole.objects.create(user=chris, entity=bakery, role=RoleKind.DESIGNATED_USER)
    assert not queries.must_revalidate(role, dt.date(2030, 8, 1))
    assert queries.revalidation_due(role, dt.date(2030, 7, 1)) is None


def test_a_lapsed_official_revalidates_before_acting(client, chris, bakery):
    today = timezone.localdate()
    lapsed = queries.last_closed_window(today).opens - dt.timedelta(days=1)
    role = official(chris, bakery, validated_on=lapsed)
    session = client.session
    session[SESSION_KEY] = str(bakery.public_id)
    session.save()
    assert client.get(HOME).context["taxpayer"].kind == "individual"  # the lapsed choice is dropped
    revalidate = reverse("business:revalidate", args=[bakery.public_id])
    assert client.post(INDEX, {"account": str(bakery.public_id)})["Location"] == revalidate
    assert b"Revalidate" in client.get(INDEX).content
    answer = client.post(
        revalidate, {"return_form": "1065", "postal_code": "02155", "title": "cfo", "attestation": "on"}
    )
    assert answer["Location"] == HOME
    role.refresh_from_db()
    assert role.validated_on == today
    assert client.get(revalidate)["Location"] == INDEX  # nothing to revalidate now


def test_the_window_prompts_officials_on_every_page(client, chris, bakery):
    official(chris, bakery)
    act_for(client, bakery)
    next_year = timezone.localdate().year + 1
    with mock.patch.object(timezone, "localdate", return_value=dt.date(next_year, 7, 1)):
        home = client.get(HOME)
        index = client.get(INDEX)
    prompt = f"Revalidate by July 29, {next_year}".encode()
    assert prompt in home.content
    assert prompt in index.content
    assert home.context["taxpayer"] == bakery


# --- the actions' own checks (a race the pages cannot show) ---


def test_an_official_removed_meanwhile_can_change_nothing(chris, bakery, sign_in, population, personas):
    mine = official(chris, bakery)
    other = official(with_profile(sign_in, population, personas, "jordan", on=Client()), bakery)
    actions.do_remove_role(other, mine)
    with pytest.raises(actions.BusinessRoleError):
        actions.do_remove_role(mine, other)
    with pytest.raises(actions.BusinessRoleError):
        actions.do_grant_role(mine, ssn="123456789", last_name="Lee", kind=RoleKind.DESIGNATED_USER)
    with pytest.raises(actions.BusinessRoleError):
        actions.do_revalidate_official(mine, answers=RIGHT, today=timezone.localdate())
    with pytest.raises(actions.BusinessRoleError):
        actions.do_remove_role(other, mine)  # already removed
    assert BusinessRole.objects.filter(revoked_at=None).get() == other


def test_naming_people_and_revalidating_are_rate_limited(client, chris, bakery, population):
    official(chris, bakery)
    act_for(client, bakery)
    for _attempt in range(10):
        assert ADDED in grant(client, population, "sam", "designated_user").content
    limited = client.post(PEOPLE, {"role": "designated_user", "ssn": "123-45-6789", "last_name": "Patel"})
    assert limited.status_code == 429
    assert b"You added too many people in a short time." in limited.content
    for _attempt in range(5):
        client.post(REGISTER, registration(population, return_form="1120"))
    BusinessRole.objects.update(validated_on=dt.date(2020, 1, 1))
    revalidate = reverse("business:revalidate", args=[bakery.public_id])
    answer = client.post(
        revalidate, {"return_form": "1065", "postal_code": "02155", "title": "cfo", "attestation": "on"}
    )
    assert answer.status_code == 429
    assert tags().count(BusinessTag.RATE_LIMITED) == 2


def test_only_officials_revalidate_and_manage_people(client, chris, bakery):
    BusinessRole.objects.create(user=chris, entity=bakery, role=RoleKind.DESIGNATED_USER)
    assert client.get(reverse("business:revalidate", args=[bakery.public_id]))["Location"] == INDEX
    assert client.get(PEOPLE).status_code == 404  # not acting for the business
    act_for(client, bakery)
    assert client.get(PEOPLE).status_code == 404  # a Designated User
    assert b"Manage who can act for" not in client.get(INDEX).content
