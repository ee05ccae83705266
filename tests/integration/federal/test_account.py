"""The signed-in account: who may open it, what the home shows, the other sections, the profile."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taxgov.federal.accounts.models import User
from taxgov.federal.profile.access import taxpayer_of
from taxgov.federal.profile.models import Profile
from taxgov.federal.signin.identity import SignedInIdentity
from taxgov.ledger import actions as ledger
from taxgov.ledger.actions import NewAddress
from taxgov.ledger.models import AccountType, NoticeKind, Taxpayer
from taxgov.ledger.templatetags.ledger import money
from tests.integration.federal.conftest import SignIn, identity_of, person, remember, today

pytestmark = pytest.mark.django_db
HOME = "/account/"
SECTIONS = (
    "/account/payments/",
    "/account/records/",
    "/account/notices/",
    "/account/forms/",
    "/account/authorizations/",
)
SIGNED_IN_PAGES = (HOME, *SECTIONS, "/account/profile/")


def with_profile(sign_in: SignIn, population, personas, key: str, *, on: Client | None = None) -> User:
    user = sign_in(identity_of(person(population, key), f"sub-{key}"), on=on)
    Profile.objects.create(user=user, taxpayer=personas[key])
    return user


def payoff_command(taxpayer: Taxpayer, as_of: dt.date) -> dict[str, str]:
    out = io.StringIO()
    call_command("payoff", "--taxpayer", str(taxpayer.public_id), "--as-of", as_of.isoformat(), stdout=out)
    return json.loads(out.getvalue())


# --- who may open the account ---


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("federal_signin:start")
    assert parse_qs(location.query)["next"] == [path]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_a_sign_in_without_a_verified_identity_steps_up(client, sign_in, population, path):
    sign_in(identity_of(person(population, "alex"), "sub-alex", verified=False))
    response = client.get(path)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("federal_signin:start")
    assert parse_qs(location.query) == {"next": [path], "level": ["verified"]}


def test_a_session_without_the_providers_identity_steps_up(client):
    client.force_login(User.objects.create(subject="sub-nobody"))
    assert urlsplit(client.get(HOME)["Location"]).path == reverse("federal_signin:start")


def test_an_identity_of_another_subject_steps_up(client, sign_in, population):
    user = sign_in(identity_of(person(population, "alex"), "sub-alex"))
    other = User.objects.create(subject="sub-other")
    client.force_login(other)  # a new session: the identity stored above is gone
    remember(client, identity_of(person(population, "alex"), user.subject))
    assert urlsplit(client.get(HOME)["Location"]).path == reverse("federal_signin:start")


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_without_a_profile_every_page_leads_to_creating_one(client, sign_in, population, path):
    sign_in(identity_of(person(population, "alex"), "sub-alex"))
    assert client.get(path)["Location"] == reverse("profile:create")


def test_each_person_sees_only_their_own_account(sign_in, population, personas):
    alex_browser, pat_browser = Client(), Client()
    with_profile(sign_in, population, personas, "alex", on=alex_browser)
    with_profile(sign_in, population, personas, "pat", on=pat_browser)
    alex, pat = personas["alex"], personas["pat"]

    alex_page = alex_browser.get(HOME).content.decode()
    pat_page = pat_browser.get(HOME).content.decode()

    assert alex.display_name in alex_page
    assert pat.display_name not in alex_page
    assert pat.display_name in pat_page
    assert alex.display_name not in pat_page


def test_the_taxpayer_comes_only_from_the_users_own_profile(sign_in, population, personas):
    factory = RequestFactory()
    owner = with_profile(sign_in, population, personas, "alex")
    stranger = User.objects.create(subject="sub-stranger")
    request = factory.get(HOME)
    request.user = owner
    assert taxpayer_of(request) == personas["alex"]
    request.user = stranger
    with pytest.raises(Http404):
        taxpayer_of(request)


# --- the public landing page ---


def test_the_landing_page_offers_sign_in(client):
    page = client.get("/").content.decode()
    assert "Sign in or create account" in page
    assert f'href="{reverse("federal_signin:start")}"' in page


def test_the_landing_page_sends_someone_with_a_profile_to_their_account(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "alex")
    assert client.get("/")["Location"] == HOME


# --- the account home ---


@pytest.mark.parametrize("key", ["alex", "pat", "jordan"])
def test_the_payoff_is_the_payoff_commands(client, sign_in, population, personas, key):
    with_profile(sign_in, population, personas, key)
    expected = payoff_command(personas[key], today())
    assert Decimal(expected["total"]) > 0

    page = client.get(HOME).content.decode()

    assert money(Decimal(expected["total"])) in page
    for part in ("tax", "penalties", "interest"):
        assert money(Decimal(expected[part])) in page
    assert "Good through" in page


def test_the_home_shows_years_return_address_and_notices(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "pat")
    pat = person(population, "pat")

    page = client.get(HOME).content.decode()

    assert "Balance by tax year" in page
    assert "<caption>Individual income tax</caption>" in page
    assert "as originally filed" in page
    assert "Form 1040 for 2024, as originally filed" in page
    assert "Adjusted gross income" in page
    assert pat.current_address.line1 in page
    assert "Recent notices" in page
    assert "CP14: Balance due" in page or "CP501" in page or "LT11" in page
    assert "You have no pending or scheduled payments." in page
    assert "You do not have a payment plan." in page


def test_a_payment_plan_is_summarized_from_its_transaction_codes(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "jordan")
    page = client.get(HOME).content.decode()
    assert "You have a payment plan, in place since" in page
    assert "Your last payment on the plan:" in page


def test_someone_who_owes_nothing_is_told_so(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "sam")
    page = client.get(HOME).content.decode()
    assert "You do not owe anything as of" in page
    assert "No tax year has a balance." in page


def signed_in_with_history(sign_in, client, years: int = 1, payments: int = 1) -> Taxpayer:
    taxpayer = history_of(years, payments)
    user = sign_in(identity_of_taxpayer(taxpayer, f"sub-{taxpayer.pk}"), on=client)
    Profile.objects.create(user=user, taxpayer=taxpayer)
    return taxpayer


def post(taxpayer: Taxpayer, code: str, day: dt.date, amount: str = "0", action_code: str = "") -> None:
    period = taxpayer.accounts.get().periods.order_by("end").last()
    ledger.do_post_transaction(
        period,
        code=code,
        amount=Decimal(amount),
        effective_date=day,
        action_code=action_code,
        idempotency_key=f"{code}-{action_code}-{day}",
    )


def test_a_requested_plan_is_pending(client, sign_in):
    taxpayer = signed_in_with_history(sign_in, client)
    post(taxpayer, "971", dt.date(2025, 6, 2), action_code="043")
    page = client.get(HOME).content.decode()
    assert "We received your request for a payment plan for tax year 2024 on June 2, 2025." in page


def test_an_ended_plan_says_when(client, sign_in):
    taxpayer = signed_in_with_history(sign_in, client)
    post(taxpayer, "971", dt.date(2025, 6, 2), action_code="043")
    post(taxpayer, "971", dt.date(2025, 6, 20), action_code="063")
    post(taxpayer, "971", dt.date(2025, 9, 1), action_code="064")
    page = client.get(HOME).content.decode()
    assert "Your payment plan ended on Sept. 1, 2025." in page


def test_a_credit_is_listed_but_not_netted(client, sign_in):
    taxpayer = signed_in_with_history(sign_in, client, years=2)
    post(taxpayer, "670", dt.date(2025, 7, 1), "-6000.00")
    expected = payoff_command(taxpayer, today())
    page = client.get(HOME).content.decode()
    assert "2024 (credit)" in page
    assert "A credit is not subtracted from your payoff amount" in page
    assert money(Decimal(expected["total"])) in page


def test_the_home_reads_a_fixed_number_of_queries(client, sign_in):
    """A taxpayer with one year and one with six years of entries and notices cost the same."""
    counts = []
    for years, payments in ((1, 1), (6, 10)):
        taxpayer = history_of(years, payments)
        browser = Client()
        user = sign_in(identity_of_taxpayer(taxpayer, f"sub-{years}"), on=browser)
        Profile.objects.create(user=user, taxpayer=taxpayer)
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(HOME).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_home_stays_within_its_query_budget(client, sign_in, population, personas, django_assert_max_num_queries):
    with_profile(sign_in, population, personas, "pat")
    with django_assert_max_num_queries(15):
        assert client.get(HOME).status_code == 200


def history_of(years: int, payments: int) -> Taxpayer:
    """A person who owes on each of ``years`` years up to 2024, with payments and a notice each year."""
    tin = f"9000{years:05d}"
    taxpayer = ledger.do_register_taxpayer(
        kind="individual",
        tin_type="ssn",
        tin=tin,
        first_name="Casey",
        last_name=f"Years{years}",
        date_of_birth=dt.date(1980, 1, 1),
        address=NewAddress("1 Main St", "Boston", "MA", "02110", valid_from=dt.date(2010, 1, 1)),
        registered_on=dt.date(2010, 1, 1),
    )
    account = ledger.do_open_account(taxpayer, AccountType.INDIVIDUAL_INCOME, opened_on=dt.date(2010, 1, 1))
    for year in range(2024 - years + 1, 2025):
        period = ledger.do_open_period(
            account, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), due_date=dt.date(year + 1, 4, 15)
        )
        ledger.do_record_return(
            period,
            form="1040",
            filed_on=dt.date(year + 1, 4, 1),
            total_tax=Decimal("5000.00"),
            income_tax_after_credits=Decimal("5000.00"),
            total_payments=Decimal("4000.00"),
            filing_status="single",
            adjusted_gross_income=Decimal("60000.00"),
        )
        for number in range(payments):
            ledger.do_post_transaction(
                period,
                code="670",
                amount=Decimal("-50.00"),
                effective_date=dt.date(year + 1, 5, 1 + number),
                idempotency_key=f"{tin}-{year}-{number}",
            )
        ledger.do_issue_notice(taxpayer, kind=NoticeKind.BALANCE_DUE, issued_on=dt.date(year + 1, 5, 1), period=period)
    return taxpayer


def identity_of_taxpayer(taxpayer: Taxpayer, subject: str) -> SignedInIdentity:
    return SignedInIdentity(
        subject=subject,
        acr="urn:taxgov:acr:verified",
        verified=True,
        auth_time=0,
        given_name=taxpayer.first_name,
        family_name=taxpayer.last_name,
        birthdate=dt.date.fromisoformat(taxpayer.date_of_birth),
        ssn=taxpayer.tin,
    )


# --- the other sections and the profile ---


def test_the_profile_page_shows_the_records_and_the_sign_in_account(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "alex")
    alex = person(population, "alex")

    page = client.get("/account/profile/").content.decode()

    assert personas["alex"].display_name in page
    assert f"XXX-XX-{alex.tin[-4:]}" in page
    assert alex.tin not in page
    assert alex.current_address.line1 in page
    assert alex.email in page
    assert "Verified by your identity provider" in page


def test_the_account_reads_in_spanish(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "pat")
    page = client.get(HOME, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Cantidad para liquidar su deuda" in page
    assert "Saldo de la cuenta" in page
