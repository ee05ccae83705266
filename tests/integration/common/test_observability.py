"""Request ids, the access log, health and readiness, and /metrics, through the identity
deployable (the same middleware and routes serve all three)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
import redis
from django.db import transaction
from prometheus_client import generate_latest

from taxgov.common.audit.actions import record_event
from taxgov.common.observability import signals
from taxgov.common.observability.context import REQUEST_ID, current_request_id
from taxgov.common.observability.logs import RequestContextFilter
from taxgov.common.observability.metrics import REGISTRY

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
INCOMING_ID = "edge-7f3a9c21-2b"


@pytest.fixture(autouse=True)
def development_broker(settings):
    """The SQLite broker of development, whatever broker the run was given (CI may set Redis)."""
    settings.CELERY_BROKER_URL = "sqla+sqlite:///unused-tasks.sqlite3"


class Records(logging.Handler):
    """Keeps the records that pass the request-context filter, as the console handler sees them."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.addFilter(RequestContextFilter("identity"))
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged() -> Iterator[Records]:
    handler, root, access = Records(), logging.getLogger(), logging.getLogger("taxgov.request")
    root.addHandler(handler)
    access.setLevel(logging.INFO)
    yield handler
    access.setLevel(logging.NOTSET)
    root.removeHandler(handler)


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, {"deployable": "identity", **labels}) or 0.0


# --- Request ids and the access log ------------------------------------------------------


def test_a_well_formed_incoming_request_id_is_kept_answered_and_logged(client, logged):
    response = client.get("/healthz?probe=1", HTTP_X_REQUEST_ID=INCOMING_ID)

    assert response["X-Request-ID"] == INCOMING_ID
    [line] = [record for record in logged.records if record.name == "taxgov.request"]
    assert line.levelno == logging.INFO
    assert line.request_id == INCOMING_ID
    assert (line.method, line.path, line.route, line.status) == ("GET", "/healthz", "observability:healthz", 200)
    assert line.duration_ms >= 0
    assert "probe" not in line.getMessage()
    assert current_request_id() is None, "forgotten once the response is closed"


def test_a_malformed_request_id_is_replaced_and_every_record_of_the_request_has_the_new_one(client, logged):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="123-45-6789")

    assert response.status_code == 404
    new_id = response["X-Request-ID"]
    assert new_id != "123-45-6789"
    names = {record.name: record.request_id for record in logged.records}
    assert names == {"taxgov.request": new_id, "django.request": new_id}


def test_each_request_gets_its_own_id(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_the_secret_in_an_emailed_link_stays_out_of_the_access_log(client, logged):
    client.get("/sign-up/confirm/s3cr3t-t0ken-value/")

    [line] = [record for record in logged.records if record.name == "taxgov.request"]
    assert line.path == "/sign-up/confirm/[redacted]/"
    assert "s3cr3t" not in line.getMessage()
    assert line.route == "signup:confirm_link"


def test_tasks_queued_during_a_request_carry_its_id_to_the_worker():
    headers: dict[str, str] = {}
    token = REQUEST_ID.set(INCOMING_ID)
    try:
        signals._send_request_id(headers=headers)
    finally:
        REQUEST_ID.reset(token)
    assert headers == {signals.TASK_HEADER: INCOMING_ID}

    task = SimpleNamespace(request={signals.TASK_HEADER: INCOMING_ID})
    signals._adopt_request_id(task=task)
    assert current_request_id() == INCOMING_ID
    signals._drop_request_id(task=task)
    assert current_request_id() is None


def test_a_task_without_the_header_keeps_the_id_it_runs_under():
    """An eager task runs inside the request; a periodic one has no id at all."""
    token = REQUEST_ID.set(INCOMING_ID)
    try:
        task = SimpleNamespace(request={})
        signals._adopt_request_id(task=task)
        signals._drop_request_id(task=task)
        assert current_request_id() == INCOMING_ID
    finally:
        REQUEST_ID.reset(token)
    signals._adopt_request_id(task=SimpleNamespace(request={signals.TASK_HEADER: "bad id; drop table"}))
    assert current_request_id() is None


# --- Health and readiness ----------------------------------------------------------------


def _never_cached_and_cookieless(response) -> None:
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_answers_without_checking_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    _never_cached_and_cookieless(response)


def test_readyz_reports_each_check(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "skipped"}}
    _never_cached_and_cookieless(response)


def test_readyz_is_503_naming_the_failing_check_and_nothing_else(client, caplog):
    broken = mock.Mock()
    broken.set.side_effect = ConnectionError("redis://secret-host:6379 refused")

    with mock.patch("taxgov.common.observability.health.cache", broken):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "failed", "broker": "skipped"},
    }
    assert b"secret-host" not in response.content
    assert "readiness check cache failed: ConnectionError" in caplog.text
    _never_cached_and_cookieless(response)


def test_readyz_is_503_when_the_cache_forgets_what_it_was_given(client):
    forgetful = mock.Mock()
    forgetful.get.return_value = None

    with mock.patch("taxgov.common.observability.health.cache", forgetful):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failed"


def test_readyz_is_503_when_the_database_does_not_answer(client):
    with mock.patch("taxgov.common.observability.health.connection") as connection:
        connection.cursor.side_effect = RuntimeError("could not connect to server")
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "failed"


class FakeRedis:
    def __init__(self, *, depth: int = 0, down: bool = False) -> None:
        self.depth, self.down, self.closed = depth, down, False

    def ping(self) -> bool:
        if self.down:
            raise redis.ConnectionError("Error 111 connecting to broker-host:6379")
        return True

    def llen(self, key: str) -> int:
        if self.down:
            raise redis.ConnectionError("Error 111 connecting to broker-host:6379")
        return self.depth if key == "identity" else 0

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def redis_broker(settings):
    settings.CELERY_BROKER_URL = "redis://broker-host:6379/0"

    def use(fake: FakeRedis) -> AbstractContextManager[object]:
        return mock.patch("redis.Redis.from_url", return_value=fake)

    return use


def test_readyz_pings_a_redis_broker(client, redis_broker):
    fake = FakeRedis()
    with redis_broker(fake):
        assert client.get("/readyz").json()["checks"]["broker"] == "ok"
    assert fake.closed

    with redis_broker(FakeRedis(down=True)):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failed"
    assert b"broker-host" not in response.content


def test_probes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/").status_code == 301
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.get(path).status_code == 200, path


# --- Metrics: who may read them ----------------------------------------------------------


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "::ffff:127.0.0.1"])
def test_metrics_are_served_to_this_host(client, address):
    response = client.get("/metrics", REMOTE_ADDR=address)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    _never_cached_and_cookieless(response)


@pytest.mark.parametrize(
    "request_headers",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": ""},  # a Unix socket has no address
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},  # relayed by a local proxy
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": "for=203.0.113.9"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer "},  # no token configured
    ],
)
def test_metrics_look_missing_to_anyone_else(client, request_headers):
    response = client.get("/metrics", **request_headers)

    assert response.status_code == 404
    assert b"taxgov_" not in response.content


def test_metrics_token_lets_a_remote_scraper_in(client, settings):
    settings.TAXGOV_METRICS_TOKEN = "scrape-token-0123456789abcdef"
    remote = {"REMOTE_ADDR": "203.0.113.9"}

    assert (
        client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789abcdef", **remote).status_code == 200
    )
    assert (
        client.get("/metrics", HTTP_AUTHORIZATION="bearer scrape-token-0123456789abcdef", **remote).status_code == 200
    )
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-wrong", **remote).status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Basic scrape-token-0123456789abcdef", **remote).status_code == 404
    assert client.get("/metrics", **remote).status_code == 404


# --- Metrics: what they say --------------------------------------------------------------


def test_requests_are_counted_and_timed_by_route_name(client):
    labels = {
        "method": "GET",
        "route": "signup:confirm_link",
        "status": str(client.get("/sign-up/confirm/x1/").status_code),
    }
    before = value("taxgov_http_requests_total", **labels)
    timed = value("taxgov_http_request_duration_seconds_count", route="signup:confirm_link")

    client.get("/sign-up/confirm/another-token/")

    assert value("taxgov_http_requests_total", **labels) == before + 1
    assert value("taxgov_http_request_duration_seconds_count", route="signup:confirm_link") == timed + 1
    body = client.get("/metrics").content.decode()
    assert 'route="signup:confirm_link"' in body
    assert "another-token" not in body
    assert "/sign-up/" not in body


def test_static_files_share_one_route(client):
    before = value("taxgov_http_requests_total", method="GET", route="static", status="200")

    response = client.get("/static/taxgov/css/taxgov.css")
    response.close()

    assert response.status_code == 200
    assert response["X-Request-ID"]
    assert value("taxgov_http_requests_total", method="GET", route="static", status="200") == before + 1


def test_unknown_paths_and_methods_share_bounded_labels(client):
    before = value("taxgov_http_requests_total", method="other", route="unmatched", status="404")

    client.generic("BREW", "/coffee-pot-1/")
    client.generic("PROPFIND", "/coffee-pot-2/")

    assert value("taxgov_http_requests_total", method="other", route="unmatched", status="404") == before + 2


def test_counted_audit_events_by_event_and_method(django_capture_on_commit_callbacks):
    refused = value("taxgov_events_total", event="signin_password_refused", method="")
    by_agent = value("taxgov_events_total", event="idv_verified", method="video_agent")
    by_app = value("taxgov_events_total", event="second_factor_accepted", method="totp")

    with django_capture_on_commit_callbacks(execute=True):
        record_event("security:signin:failed")
        record_event("identity:verification:verified", extra={"method": "video_agent", "confirmed_by": ""})
        record_event("security:second_factor:verified", extra={"kind": "totp", "result": "ok"})
        record_event("identity:oidc:code_issued")  # not an outcome we count

    assert value("taxgov_events_total", event="signin_password_refused", method="") == refused + 1
    assert value("taxgov_events_total", event="idv_verified", method="video_agent") == by_agent + 1
    assert value("taxgov_events_total", event="second_factor_accepted", method="totp") == by_app + 1
    assert "identity:oidc" not in exposition_text()


def exposition_text() -> str:
    return generate_latest(REGISTRY).decode()


def test_a_payment_dated_after_today_counts_as_scheduled(django_capture_on_commit_callbacks):
    made = value("taxgov_events_total", event="payment_made", method="")
    scheduled = value("taxgov_events_total", event="payment_scheduled", method="")

    with django_capture_on_commit_callbacks(execute=True):
        record_event("federal:payment:scheduled", extra={"amount": "10.00", "pay_on": "2000-01-03"})
        record_event("money:payment:scheduled", extra={"amount": "10.00", "pay_on": "2999-01-03"})

    assert value("taxgov_events_total", event="payment_made", method="") == made + 1
    assert value("taxgov_events_total", event="payment_scheduled", method="") == scheduled + 1


def test_unknown_methods_never_become_labels(django_capture_on_commit_callbacks):
    before = value("taxgov_events_total", event="idv_verified", method="")

    with django_capture_on_commit_callbacks(execute=True):
        record_event("identity:verification:verified", extra={"method": "pat@example.com"})

    assert value("taxgov_events_total", event="idv_verified", method="") == before + 1
    assert "pat@example.com" not in exposition_text()


def test_a_rolled_back_event_is_not_counted(django_capture_on_commit_callbacks):
    before = value("taxgov_events_total", event="signin_locked", method="")

    with (  # noqa: PT012
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record_event("security:signin:locked")
        raise RuntimeError("the action failed")

    assert value("taxgov_events_total", event="signin_locked", method="") == before


def test_a_refused_password_is_counted_from_the_sign_in_page(client, django_capture_on_commit_callbacks):
    before = value("taxgov_events_total", event="signin_password_refused", method="")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign-in/", {"email": "nobody@example.com", "password": "not a password at all"})

    assert response.status_code == 200
    assert value("taxgov_events_total", event="signin_password_refused", method="") == before + 1


def test_queue_depth_is_read_from_a_redis_broker_at_scrape_time(client, redis_broker):
    fake = FakeRedis(depth=7)
    with redis_broker(fake):
        body = client.get("/metrics").content.decode()

    assert 'taxgov_task_queue_depth{deployable="identity",queue="identity"} 7.0' in body
    assert fake.closed


def test_queue_depth_is_left_out_when_the_broker_is_not_redis_or_does_not_answer(client, redis_broker, settings):
    with redis_broker(FakeRedis(down=True)):
        response = client.get("/metrics")
    assert response.status_code == 200
    assert "taxgov_task_queue_depth" not in response.content.decode()

    settings.CELERY_BROKER_URL = "sqla+sqlite:///unused-tasks.sqlite3"
    assert "taxgov_task_queue_depth" not in client.get("/metrics").content.decode()


WORKER = """
from taxgov.common.observability.metrics import EVENTS, HTTP_REQUESTS
EVENTS.labels("identity", "signin_locked", "").inc()
HTTP_REQUESTS.labels("identity", "GET", "home:index", "200").inc(3)
"""


@pytest.mark.slow
def test_metrics_of_every_worker_process_are_merged(client, settings, tmp_path):
    """Under gunicorn each worker writes its own file; one scrape sums them."""
    for _ in range(2):
        subprocess.run(
            [sys.executable, "-c", WORKER],
            cwd=ROOT,
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)},
            check=True,
        )
    settings.TAXGOV_METRICS_MULTIPROC_DIR = str(tmp_path)

    body = client.get("/metrics").content.decode()

    assert 'taxgov_events_total{deployable="identity",event="signin_locked",method=""} 2.0' in body
    assert 'taxgov_http_requests_total{deployable="identity",method="GET",route="home:index",status="200"} 6.0' in body
    assert len(list(tmp_path.glob("counter_*.db"))) == 2
