"""The account home when someone acts for a business: it names the entity, says what the
entity owes and files, and lists its Form 941 quarters as tax periods, never in words meant
for an individual's own account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from taxgov.ledger.actions import do_issue_notice, do_post_transaction
from taxgov.ledger.models import AccountType, NoticeKind, Taxpayer, TaxPeriod
from tests.integration.federal.test_account import with_profile

pytestmark = pytest.mark.django_db
HOME = reverse("balances:home")
NAME = "Morgan Family Bakery LLC"
INDIVIDUAL_WORDING = (
    "You do not owe",
    "tax year",
    "Tax year",
    "You do not have a payment plan",
    "You have a payment plan",
    "Your last payment",
    "You have no pending or scheduled payments",
    "Your most recent return",
    "on file for you",
    "sent you",
    "Filing status",
    "Adjusted gross income",
    "Amount you owed",
    "1040",
    "See your profile",
)


def latest_quarter(acting_for_bakery: Taxpayer) -> TaxPeriod:
    return TaxPeriod.objects.filter(
        account__taxpayer=acting_for_bakery, account__account_type=AccountType.WITHHOLDING
    ).latest("end")


def ending(period: TaxPeriod) -> str:
    return formats.date_format(period.end, "DATE_FORMAT")


def post(period: TaxPeriod, code: str, amount: str, day: dt.date, action_code: str = "") -> None:
    do_post_transaction(
        period,
        code=code,
        amount=Decimal(amount),
        effective_date=day,
        action_code=action_code,
        idempotency_key=f"test-{code}-{action_code}-{day}",
    )


def assert_no_individual_wording(page: str) -> None:
    for words in INDIVIDUAL_WORDING:
        assert words not in page, words


def test_the_home_of_a_business_that_owes_nothing_names_it(client, acting_for_bakery):
    page = client.get(HOME).content.decode()
    quarter = latest_quarter(acting_for_bakery)
    assert f"{NAME} does not owe anything as of" in page
    assert "Balance by tax period" in page
    assert "No tax period has a balance." in page
    assert f"{NAME} does not have a payment plan." in page
    assert f"{NAME} has no pending or scheduled payments." in page
    assert "Most recent return" in page
    assert f"Form 941, quarter ending {ending(quarter)}, as originally filed" in page
    assert "Balance due" in page
    assert f"We have not sent {NAME} any notices." in page
    assert_no_individual_wording(page)


def test_a_quarter_that_owes_is_listed_by_form_and_quarter_with_its_plan_and_notice(client, acting_for_bakery):
    quarter = latest_quarter(acting_for_bakery)
    today = timezone.localdate()
    post(quarter, "290", "900.00", today - dt.timedelta(days=20))
    post(quarter, "971", "0", today - dt.timedelta(days=10), action_code="063")
    post(quarter, "670", "-100.00", today - dt.timedelta(days=5))
    do_issue_notice(
        acting_for_bakery, kind=NoticeKind.BALANCE_DUE, issued_on=today - dt.timedelta(days=15), period=quarter
    )
    page = client.get(HOME).content.decode()
    assert ">Tax period</th>" in page
    assert f"Form 941, quarter ending {ending(quarter)}" in page
    assert "Tax periods not listed have a zero balance." in page
    day = formats.date_format(today - dt.timedelta(days=10), "DATE_FORMAT")
    assert f"{NAME} has a payment plan, in place since {day}, for tax period {quarter.label}." in page
    assert "Last payment on the plan: $100.00 on" in page
    assert "CP14: Balance due" in page
    assert f"{NAME} does not owe anything" not in page
    assert_no_individual_wording(page)


def test_an_individual_home_keeps_its_own_words(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "sam", on=client)
    page = client.get(HOME).content.decode()
    assert "You do not owe anything as of" in page
    assert "Balance by tax year" in page
    assert "You do not have a payment plan." in page
    assert "See your profile" in page
    assert "Tax period" not in page
