"""A state registration under faults, through gunicorn as production serves it (PostgreSQL):
fifty simultaneous submits make one logon; an app worker killed with -9 in the middle of the
submit leaves nothing half done, and submitting again makes exactly one; a PostgreSQL
restart under load fails requests with a clean 503, loses and doubles nothing, and the
portal recovers by itself."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection
from django.urls import reverse
from psycopg import sql

from taxgov.common.audit.models import AuditEvent
from taxgov.common.messaging.models import OutboxMessage
from taxgov.state.accounts.models import User
from taxgov.state.registration.models import RegistrationRequest, RequestStatus
from taxgov.state.registration.tags import RegistrationTag
from tests.integration.state.conftest import individual
from tests.integration.state.test_registration import PASSWORD
from tests.resilience.services import (
    ROOT,
    Gunicorn,
    PrivatePostgres,
    deployable_environment,
    shared_database_url,
    wait_for,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several processes share one database: PostgreSQL"),
]
TIN = "900-12-6799"
SUMMARY = reverse("registration:step", kwargs={"kind": "logon", "step": "summary"})


def step(key: str) -> str:
    return reverse("registration:step", kwargs={"kind": "logon", "step": key})


class RefusedError(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


class Browser:
    """One person's browser: a cookie jar and the form token, posting as the page's form would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        page = self.http.get(base + step("taxpayer-type"), timeout=30)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or found is None:
            raise RefusedError(page.status_code)
        self.token = found.group(1)

    def post(self, path: str, data: dict[str, str] | None = None) -> requests.Response:
        return self.http.post(
            self.base + path,
            data={"csrfmiddlewaretoken": self.token, **(data or {})},
            allow_redirects=False,
            timeout=60,
        )


def walk_to_summary(browser: Browser) -> None:
    """Create My Logon up to its last page, each answer accepted (a redirect onwards)."""
    answers = [
        ("taxpayer-type", {"taxpayer_type": "individual"}),
        (
            "taxpayer-id",
            {"id_type": "ssn", "tin_entry": TIN, "tin_confirmation": TIN, "account_type": "individual_income"},
        ),
        ("verification-type", {"evidence": "amount", "amount_kind": "return"}),
        ("tax-amount", {"amount": "500.00"}),
        (
            "profile",
            {
                "full_name": "LARRY MO",
                "phone_country": "US",
                "phone_type": "cell",
                "phone_entry": "(617) 555-0123",
                "pin": "1234",
                "email": "larry@example.com",
                "email_confirmation": "larry@example.com",
            },
        ),
        (
            "logon",
            {
                "username": "good.elmo",
                "password": PASSWORD,
                "password_confirmation": PASSWORD,
                "secret_question": "first_pet",
                "secret_answer": "Rex",
            },
        ),
        ("profile-access", {}),
        ("terms", {"agree": "on"}),
    ]
    for key, data in answers:
        answered = browser.post(step(key), data)
        assert answered.status_code == 302, (key, answered.status_code)


def one_logon_made() -> None:
    assert RegistrationRequest.objects.get().status != RequestStatus.STARTED
    assert User.objects.filter(username="good.elmo").count() == 1
    assert AuditEvent.objects.filter(tag=RegistrationTag.SUBMITTED).count() == 1
    assert AuditEvent.objects.filter(tag=RegistrationTag.APPROVED).count() == 1
    assert OutboxMessage.objects.filter(subject="Registration Approved").count() == 1


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Gunicorn]:
    """The state portal on this test's database, two workers of eight threads."""
    individual(TIN, tax_after_credits=("500.00",))
    environment = deployable_environment("state", shared_database_url(), "redis://127.0.0.1:6379/14", tmp_path)
    (tmp_path / "run").mkdir()
    server = Gunicorn(environment, tmp_path / "gunicorn.log", workers=2, threads=8)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_fifty_simultaneous_submits_make_one_logon(portal):
    browser = Browser(portal.base)
    walk_to_summary(browser)
    start = threading.Barrier(50)

    def submit(_: int) -> int:
        start.wait()
        return browser.post(SUMMARY).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = Counter(pool.map(submit, range(50)))
    assert set(statuses) <= {302}, (statuses, portal.tail())
    one_logon_made()


def waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        return bool(cursor.fetchone()[0])


def test_an_app_worker_killed_mid_submit_leaves_nothing_half_done(portal):
    browser = Browser(portal.base)
    walk_to_summary(browser)
    # Hold the users table, so the submit stops after its first writes (the request's status,
    # its audit event), inside its transaction, at the new user's insert; then kill the worker.
    blocker = psycopg.connect(shared_database_url())
    blocker.execute(f"LOCK TABLE {User._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    with ThreadPoolExecutor(max_workers=1) as pool:
        submit = pool.submit(browser.post, SUMMARY)
        wait_for(waiting_on_a_lock, timeout=30, what="the submit to reach the users table")
        portal.kill_workers()
        with pytest.raises(requests.ConnectionError):
            submit.result()
    blocker.rollback()
    blocker.close()

    assert RegistrationRequest.objects.get().status == RequestStatus.STARTED
    assert not User.objects.exists()
    assert (
        not AuditEvent.objects.filter(tag__startswith="registration:request:s")
        .exclude(tag=RegistrationTag.STARTED)
        .exists()
    )
    assert not OutboxMessage.objects.exists()

    again = browser.post(SUMMARY)  # the person presses Submit again, on a new worker
    assert again.status_code == 302, portal.tail()
    assert again.headers["Location"].endswith(reverse("registration:confirmation"))
    one_logon_made()


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.init()
        yield server
    finally:
        server.destroy()


def test_a_postgresql_restart_under_load_fails_cleanly_and_recovers(private_postgres, tmp_path):
    private_postgres.create_database("state")
    url = private_postgres.url("state")
    environment = deployable_environment("state", url, "redis://127.0.0.1:6379/14", tmp_path)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True)
    (tmp_path / "run").mkdir()
    server = Gunicorn(environment, tmp_path / "gunicorn.log", workers=2, threads=4)
    server.start()
    outcomes: list[tuple[float, int]] = []
    accepted: list[Browser] = []
    stop = threading.Event()

    def visitor() -> None:
        """Starts registrations, one new browser each."""
        while not stop.is_set():
            try:
                browser = Browser(server.base)
                status = browser.post(step("taxpayer-type"), {"taxpayer_type": "individual"}).status_code
            except RefusedError as refused:
                status = refused.status
            except requests.ConnectionError:
                status = 0  # no answer at all: counted, and must not happen
            if status == 302:
                accepted.append(browser)
            outcomes.append((time.monotonic(), status))

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            for _ in range(4):
                pool.submit(visitor)
            time.sleep(3)
            restart_began = time.monotonic()
            private_postgres.restart()
            restart_ended = time.monotonic()
            time.sleep(5)
            stop.set()
        statuses = Counter(status for _, status in outcomes)
        assert set(statuses) <= {302, 503}, (statuses, server.tail())
        assert statuses[302], statuses
        assert statuses[503], statuses  # the restart was felt
        failures = [at for at, status in outcomes if status != 302]
        assert all(restart_began - 1 < at < restart_ended + 2 for at in failures)  # then recovered
        # Nothing lost: every accepted start is there for its browser's next step.
        following = [browser.http.get(server.base + step("taxpayer-id"), timeout=30) for browser in accepted]
        assert all(page.status_code == 200 for page in following)
    finally:
        server.stop()
    with psycopg.connect(url) as database:
        count = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(RegistrationRequest._meta.db_table))
        stored = database.execute(count).fetchone()[0]
    # Nothing doubled. A start refused with 503 may have stored its draft before the session
    # could not be saved: that draft is unreachable and the stale-draft job deletes it.
    assert statuses[302] <= stored <= statuses[302] + statuses[503]
