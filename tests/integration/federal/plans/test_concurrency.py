"""Applications at the same moment make one plan: the same form submitted ten times gives one
plan, and ten different forms (ten tabs) give one plan and nine refusals, because the taxpayer's
row lock makes applications one at a time (PostgreSQL, one connection per request)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from taxgov.federal.plans.models import PaymentPlan
from taxgov.ledger.models import Transaction
from tests.integration.federal.plans.test_plans import LONG, long_term_form
from tests.integration.federal.test_account import with_profile

SUBMISSIONS = 10
pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs a server database"
)


@pytest.fixture
def pat(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "pat", on=client)
    return personas["pat"]


def at_once(client, forms: list[dict[str, str]]) -> list[tuple[int, str]]:
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    start = threading.Barrier(len(forms))

    def submit(data: dict[str, str]) -> tuple[int, str]:
        browser = Client()
        browser.cookies[settings.SESSION_COOKIE_NAME] = session
        try:
            start.wait()
            answer = browser.post(LONG, {**data, "submit": ""})
            return answer.status_code, answer.get("Location", "")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return list(pool.map(submit, forms))


@pytest.mark.django_db(transaction=True)
def test_the_same_form_submitted_at_once_makes_one_plan(client, pat):
    answers = at_once(client, [long_term_form(client, direct_debit=False)] * SUBMISSIONS)
    plan = PaymentPlan.objects.get()
    assert answers == [(302, reverse("plans:detail", args=[plan.public_id]))] * SUBMISSIONS
    assert Transaction.objects.filter(code="360").count() == 1


@pytest.mark.django_db(transaction=True)
def test_different_forms_at_once_make_one_plan(client, pat):
    answers = at_once(client, [long_term_form(client, direct_debit=False) for _ in range(SUBMISSIONS)])
    plan = PaymentPlan.objects.get()
    assert answers.count((302, reverse("plans:detail", args=[plan.public_id]))) == 1
    assert answers.count((200, "")) == SUBMISSIONS - 1
    established = Transaction.objects.filter(code="971", action_code="063", period__account__taxpayer=pat)
    assert established.count() == plan.periods.count()
