"""Payments in the federal Online Account, as Jordan Lee (a demo persona with an identity
account): schedule a payment and cancel it, pay today and see it processed by the
settlement job, and see a payment the bank returned, with its penalty on the balance.
The form is filled with the keyboard only; every page is checked with axe, in English and
in Spanish."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_check, screenshot
from tests.e2e.federal import fill_by_keyboard, sign_in

FOLDER = "federal-payments"
ROUTING = "011000015"  # a valid ABA checksum
SUBMISSIONS = 50
RETURNED_ACCOUNT = "99000001"  # the demo banks return debits from 990000NN with code RNN (R01)


def fill_payment_by_keyboard(page: Page, amount: str, day: dt.date, account: str) -> None:
    """The first purpose, the amount, the date, checking and the bank numbers, by keyboard."""
    answers = {
        "purpose": page.locator("input[name=purpose]").first.get_attribute("value") or "",
        "amount": amount,
        "pay_on": day.strftime("%m/%d/%Y"),
        "bank_account_kind": "checking",
        "routing_number": ROUTING,
        "account_number": account,
        "account_number_confirmation": account,
    }
    fill_by_keyboard(page, page.get_by_role("heading", name="Make a payment"), answers, submit="review")


def make_payment(page: Page, amount: str, day: dt.date, account: str = "123456789", *, shots: str = "") -> str:
    page.get_by_role("link", name="Make a payment").first.click()
    expect(page.get_by_role("heading", name="Make a payment")).to_be_visible()
    if shots:
        axe_check(page)
        screenshot(page, FOLDER, f"{shots}-form")
    fill_payment_by_keyboard(page, amount, day, account)
    expect(page.get_by_role("heading", name="Review your payment")).to_be_visible()
    if shots:
        axe_check(page)
        screenshot(page, FOLDER, f"{shots}-review")
    page.get_by_role("button", name="Submit payment").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Payment \d{15}$"))).to_be_visible()
    if shots:
        axe_check(page)
        screenshot(page, FOLDER, f"{shots}-confirmation")
    return page.get_by_role("heading", level=1).inner_text().removeprefix("Payment ")


def payoff(page: Page) -> Decimal:
    page.get_by_role("link", name="Account Balance").click()
    shown = page.locator("#payoff-heading ~ p.font-heading-2xl").first.inner_text()
    return Decimal(shown.replace("$", "").replace(",", ""))


def status_of(page: Page) -> str:
    return page.locator("dt:text-is('Status') + dd").inner_text()


def test_schedule_and_cancel_pay_today_and_a_returned_payment(page: Page, live_servers):
    sign_in(page, live_servers, "jordan")
    today = dt.datetime.now(tz=ZoneInfo("America/New_York")).date()  # the servers' TIME_ZONE
    page.get_by_role("link", name="Payments", exact=True).click()
    expect(page.get_by_role("heading", name="Payment Activity")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "01-activity-empty")

    # A payment scheduled three weeks ahead can be canceled; nothing is taken.
    later = today + dt.timedelta(days=21)
    make_payment(page, "75.00", later, shots="02-scheduled")
    assert status_of(page) == "Scheduled"
    page.get_by_role("link", name="Cancel this payment").click()
    axe_check(page)
    screenshot(page, FOLDER, "03-cancel-confirm")
    page.get_by_role("button", name="Yes, cancel the payment").click()
    expect(page.get_by_text("The payment is canceled.")).to_be_visible()
    assert status_of(page) == "Canceled"
    axe_check(page)

    # Today's payment is pending until the settlement job debits it and posts TC 670.
    page.get_by_role("link", name="Payment Activity").click()
    paid = make_payment(page, "150.00", today, shots="04-today")
    assert status_of(page) == "Pending"
    settled = live_servers.manage("federal", "settle_payments")
    assert "processed 1," in settled, settled
    page.reload()
    assert status_of(page) == "Processed"

    # A payment from an account the bank returns: the amount is owed again, with a penalty.
    before = payoff(page)
    page.get_by_role("link", name="Payment Activity").click()
    returned = make_payment(page, "200.00", today, RETURNED_ACCOUNT)
    live_servers.manage("federal", "settle_payments")
    page.reload()
    assert status_of(page) == "Returned"
    alert = page.locator(".usa-alert--error")
    expect(alert).to_contain_text("Your bank returned this payment")
    expect(alert).to_contain_text("R01")
    expect(alert).to_contain_text("$25.00")  # IRC 6657: under $1,250, the lesser of $25 and the amount
    axe_check(page)
    screenshot(page, FOLDER, "05-returned")

    page.get_by_role("link", name="Payment Activity").click()
    for number, status in ((paid, "Processed"), (returned, "Returned")):
        expect(page.locator("tr", has_text=number)).to_contain_text(status)
    axe_check(page)
    screenshot(page, FOLDER, "06-activity")

    # The payoff is what it was before that payment plus the penalty (TC 671 undoes the TC 670,
    # TC 280 adds $25), and the pages read in Spanish too.
    assert payoff(page) == before + Decimal("25.00")
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Cantidad para liquidar su deuda")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "07-balance-es")
    page.get_by_role("link", name="Pagos", exact=True).click()
    axe_check(page)
    screenshot(page, FOLDER, "08-activity-es")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_fifty_identical_submissions_at_once_make_one_payment(page: Page, live_servers):
    """Double clicks, retries and tabs at their worst: the same filled-in form posted 50 times
    at the same moment to the development server (SQLite) gives every request the same
    payment, and Payment Activity lists one."""
    sign_in(page, live_servers, "chris")
    federal = live_servers["federal"]
    page.goto(federal + "/account/payments/new/")
    fields = {
        "purpose": page.locator("input[name=purpose]").first.get_attribute("value") or "",
        "amount": "64.00",
        "pay_on": dt.datetime.now(tz=ZoneInfo("America/New_York")).strftime("%m/%d/%Y"),
        "bank_account_kind": "checking",
        "routing_number": ROUTING,
        "account_number": "123456789",
        "account_number_confirmation": "123456789",
        "idempotency_key": page.locator("input[name=idempotency_key]").input_value(),
        "csrfmiddlewaretoken": page.locator("input[name=csrfmiddlewaretoken]").first.input_value(),
        "submit": "",
    }
    body = urllib.parse.urlencode(fields).encode()
    cookies = "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in page.context.cookies(federal))
    opener = urllib.request.build_opener(_NoRedirects)
    start = threading.Barrier(SUBMISSIONS)

    def submit(_: int) -> tuple[int, str]:
        """Post the form; a connection the development server's small listen queue resets
        before reading it is posted again, as a browser's retry would."""
        request = urllib.request.Request(  # noqa: S310 - the loopback test server
            federal + "/account/payments/new/", data=body, headers={"Cookie": cookies}
        )
        start.wait()
        for attempt in range(5):
            try:
                with opener.open(request, timeout=60) as answer:
                    return answer.status, ""
            except urllib.error.HTTPError as answer:
                return answer.code, answer.headers.get("Location", "")
            except (ConnectionResetError, urllib.error.URLError):
                time.sleep(0.2 * (attempt + 1))
        return 0, ""

    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        answers = list(pool.map(submit, range(SUBMISSIONS)))

    locations = {location for _status, location in answers}
    assert [status for status, _location in answers] == [302] * SUBMISSIONS
    assert len(locations) == 1
    page.goto(federal + "/account/payments/")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("$64.00")
