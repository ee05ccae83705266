"""The visitors of the filing-season load test, for locust (`bench/load_test.py` runs it as a
library and gives it its ``PLAN``).

A virtual user is a stream of visits, each by a different person: the next visit's kind is
drawn by ``WEIGHTS``, after a pause of ``THINK_SECONDS``. Each visit has a browser of its own
(a cookie jar and one kept-alive connection) from an address of its own on loopback
(127.x.y.z): people reach the portals from many addresses, so the limits per address count
what they would in production instead of throttling one address. Loopback is a secure
context, as browsers treat it, so the production cookies (``Secure``) go back over plain
HTTP. Every request is a step of its visit with its own name in the statistics; an answer
other than the one a browser expects ends the visit as failed.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pyotp
from locust import User, between, task
from locust.clients import HttpSession
from requests import Response
from urllib3 import PoolManager

# Visits per kind, out of 12 (the report explains them).
WEIGHTS = {"sign-in": 3, "federal home": 6, "payment": 2, "state registration": 1}
THINK_SECONDS = (1, 3)
TIMEOUT = 60  # seconds for one request: a slower answer counts as a failure
ROUTING = "011000015"  # a valid ABA checksum (tests/integration/federal/payments)
STATE_PASSWORD = "Harbor7Lights"  # noqa: S105 (the state portal's rules: 8-15 characters, three classes)


@dataclass
class Plan:
    """Where each deployable answers, the paths to visit, and the people set up for the run:
    each account, payer and registrant serves one visit."""

    identity: str
    federal: str
    state: str
    identity_paths: dict[str, str]
    federal_paths: dict[str, str]
    state_paths: dict[str, str]
    password: str
    accounts: Iterator[list[str]]  # [email, TOTP secret]
    session_cookie: str
    home_sessions: Iterator[str]  # every signed-in session, round and round
    payers: Iterator[str]  # the same sessions, each once
    registrants: Iterator[list[str]]  # [SSN, "return" or "refund", amount]


PLAN: Plan | None = None
# Visits started, completed and failed per kind, and the answers that change data: what the
# database must show afterwards. Never reset: the database counts the whole run.
TALLY: Counter[str] = Counter()
ADDRESSES = (str(ipaddress.IPv4Address("127.1.0.0") + number) for number in itertools.count(1))
USERNAMES = (f"filer.{number}" for number in itertools.count(1))
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class VisitError(Exception):
    """The visit cannot go on; the failing request is already in the statistics."""


class Browser:
    """One person's browser: its cookies, its address, and the form token of the last page."""

    def __init__(self, user: User, base: str) -> None:
        pool = PoolManager(num_pools=1, maxsize=1, source_address=(next(ADDRESSES), 0))
        self.http = HttpSession(base, request_event=user.environment.events.request, user=user, pool_manager=pool)
        self.token = ""

    def signed_in(self, cookie: str, session: str) -> None:
        """Carry a session made at set-up (a federal sign-in through the identity provider)."""
        self.http.cookies.set(cookie, session, domain=urlsplit(self.http.base_url).hostname)

    def get(self, path: str, name: str, *, contains: str = "") -> Response:
        answer = self._send("GET", path, name, 200, contains=contains)
        found = _TOKEN.search(answer.text)
        self.token = found.group(1) if found else self.token
        return answer

    def post(self, path: str, name: str, data: dict[str, str], *, expect: int = 302, contains: str = "") -> Response:
        return self._send(
            "POST", path, name, expect, data={"csrfmiddlewaretoken": self.token, **data}, contains=contains
        )

    def _send(self, method: str, path: str, name: str, expect: int, **options: Any) -> Response:
        contains = options.pop("contains")
        with self.http.request(
            method, path, name=name, allow_redirects=False, timeout=TIMEOUT, catch_response=True, **options
        ) as answer:
            if answer.status_code != expect:
                answer.failure(f"HTTP {answer.status_code or type(answer.error).__name__} instead of {expect}")
                failed = True
            elif contains and contains not in answer.text:
                answer.failure(f"HTTP {expect} without {contains!r}")
                failed = True
            else:
                answer.success()
                failed = False
        for cookie in self.http.cookies:
            cookie.secure = False  # loopback is a secure context: browsers send Secure cookies to it
        if failed:
            raise VisitError(name)
        return answer


def _field(page: Response, name: str) -> str:
    """The value of the form's first input called ``name`` (a hidden field, or the first radio)."""
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page.text)
    value = re.search(r'value="([^"]*)"', found.group(0)) if found else None
    if value is None:
        raise VisitError(f"no {name} on the page")
    return value.group(1)


def _plan() -> Plan:
    if PLAN is None:
        raise RuntimeError("bench/load_test.py sets locustfile.PLAN before the run")
    return PLAN


class FilingSeasonVisitor(User):
    wait_time = between(*THINK_SECONDS)

    @contextmanager
    def visit(self, kind: str, base: str) -> Iterator[Browser]:
        TALLY[f"{kind}: started"] += 1
        browser = Browser(self, base)
        try:
            yield browser
        except VisitError:
            TALLY[f"{kind}: failed"] += 1
        except Exception:
            TALLY[f"{kind}: failed"] += 1  # and locust keeps the exception for the report
            raise
        except BaseException:
            # Killed by the end of the run: locust kills a user it finds between visits, and one
            # that wakes up to start a visit in that instant dies at its first request.
            TALLY[f"{kind}: cut off"] += 1
            raise
        else:
            TALLY[f"{kind}: completed"] += 1
        finally:
            browser.http.close()

    def take(self, kind: str, people: Iterator[Any]) -> Any:
        """The next person set up for this kind of visit; the run was sized to have enough."""
        person = next(people, None)
        if person is None:
            TALLY[f"{kind}: nobody left to visit as"] += 1
            raise VisitError(kind)
        return person

    @task(WEIGHTS["sign-in"])
    def sign_in(self) -> None:
        """The identity provider's sign-in with a password and an authenticator-app code."""
        plan = _plan()
        paths = plan.identity_paths
        with self.visit("sign-in", plan.identity) as browser:
            email, secret = self.take("sign-in", plan.accounts)
            browser.get(paths["sign_in"], "identity: sign-in page")
            answer = browser.post(
                paths["sign_in"], "identity: email and password", {"email": email, "password": plan.password}
            )
            browser.get(answer.headers["Location"], "identity: authenticator-app page")
            done = browser.post(paths["verify"], "identity: code", {"code": pyotp.TOTP(secret).now()})
            TALLY["sign-in: code accepted"] += 1
            browser.get(done.headers["Location"], "identity: account page")

    @task(WEIGHTS["federal home"])
    def federal_home(self) -> None:
        """A signed-in taxpayer's federal account home: balances, payoffs, recent activity."""
        plan = _plan()
        with self.visit("federal home", plan.federal) as browser:
            browser.signed_in(plan.session_cookie, next(plan.home_sessions))
            browser.get(plan.federal_paths["home"], "federal: account home")

    @task(WEIGHTS["payment"])
    def payment(self) -> None:
        """Make a payment: the form (with its own idempotency token), the review, the submit,
        and the confirmation page it leads to."""
        plan = _plan()
        path = plan.federal_paths["payment"]
        with self.visit("payment", plan.federal) as browser:
            browser.signed_in(plan.session_cookie, self.take("payment", plan.payers))
            form = browser.get(path, "federal: payment form")
            answers = {
                "purpose": _field(form, "purpose"),
                "amount": "25.00",
                "pay_on": _field(form, "pay_on"),
                "bank_account_kind": "checking",
                "routing_number": ROUTING,
                "account_number": "123456789",
                "account_number_confirmation": "123456789",
                "idempotency_key": _field(form, "idempotency_key"),
            }
            browser.post(path, "federal: payment review", answers, expect=200, contains="Review your payment")
            done = browser.post(path, "federal: payment submit", {**answers, "submit": ""})
            TALLY["payment: submitted"] += 1
            browser.get(done.headers["Location"], "federal: payment confirmation")

    @task(WEIGHTS["state registration"])
    def state_registration(self) -> None:
        """Create My Logon, every page as a browser loads it and every answer as it posts it."""
        plan = _plan()
        paths = plan.state_paths
        with self.visit("state registration", plan.state) as browser:
            tin, proof, amount = self.take("state registration", plan.registrants)
            username = next(USERNAMES)
            answers = {
                "taxpayer-type": {"taxpayer_type": "individual"},
                "taxpayer-id": {
                    "id_type": "ssn",
                    "tin_entry": tin,
                    "tin_confirmation": tin,
                    "account_type": "individual_income",
                },
                "verification-type": {"evidence": "amount", "amount_kind": proof},
                "tax-amount": {"amount": amount},
                "profile": {
                    "full_name": "LOAD TEST FILER",
                    "phone_country": "US",
                    "phone_type": "cell",
                    "phone_entry": "(617) 555-0123",
                    "pin": "1234",
                    "email": f"{username}@example.test",
                    "email_confirmation": f"{username}@example.test",
                },
                "logon": {
                    "username": username,
                    "password": STATE_PASSWORD,
                    "password_confirmation": STATE_PASSWORD,
                    "secret_question": "first_pet",
                    "secret_answer": "Rex",
                },
                "profile-access": {},
                "terms": {"agree": "on"},
            }
            for step, data in answers.items():
                browser.get(paths[step], f"state: {step} page")
                browser.post(paths[step], f"state: {step} answer", data)
            browser.get(paths["summary"], "state: summary page")
            done = browser.post(paths["summary"], "state: submit", {})
            TALLY["state registration: submitted"] += 1
            browser.get(done.headers["Location"], "state: confirmation page", contains=username)
