"""Fifty identical payment submissions at the same moment make one payment: the taxpayer's row
lock and the unique idempotency key hold under real concurrency (PostgreSQL, one connection
per request). The browser test tests/e2e/test_federal_payments.py does the same over HTTP
against the SQLite development server."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from taxgov.federal.payments.models import Payment
from tests.integration.federal.payments.test_payments import form
from tests.integration.federal.test_account import with_profile

SUBMISSIONS = 50


@pytest.fixture
def chris(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "chris", on=client)
    return personas["chris"]


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs a server database (the browser test covers SQLite)",
)
@pytest.mark.django_db(transaction=True)
def test_fifty_identical_submissions_at_once_make_one_payment(client, chris):
    data = {**form(client), "submit": ""}
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    start = threading.Barrier(SUBMISSIONS)

    def submit(_: int) -> tuple[int, str]:
        browser = Client()
        browser.cookies[settings.SESSION_COOKIE_NAME] = session
        try:
            start.wait()
            answer = browser.post(reverse("payments:make"), data)
            return answer.status_code, answer.get("Location", "")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        answers = list(pool.map(submit, range(SUBMISSIONS)))

    payment = Payment.objects.get()
    assert answers == [(302, reverse("payments:detail", args=[payment.public_id]))] * SUBMISSIONS
