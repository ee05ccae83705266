"""Named rate limits (taxgov.common.ratelimit)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from taxgov.common.ratelimit import client_ip, rate_limiter

LIMITS = {"test.limit": "3/minute", "test.two_windows": "5/minute;3/hour", "test.other": "3/minute"}


@pytest.fixture
def limits(settings):
    settings.TAXGOV_RATE_LIMITS = LIMITS
    return settings


@pytest.fixture
def who(limits):
    """Identifiers unique to this test; their counters are cleared afterwards."""
    used: list[tuple[str, tuple[str, ...]]] = []

    def make(name: str = "test.limit", *parts: str) -> tuple[str, ...]:
        identifiers = parts or (f"client-{uuid.uuid4()}",)
        used.append((name, identifiers))
        return identifiers

    yield make
    for name, identifiers in used:
        rate_limiter(name).clear(*identifiers)


def test_hit_allows_up_to_the_limit_then_refuses(who):
    ids = who()
    limiter = rate_limiter("test.limit")

    assert [limiter.hit(*ids) for _ in range(3)] == [True, True, True]
    assert limiter.hit(*ids) is False
    assert limiter.hit(*ids) is False


def test_allows_does_not_count_an_attempt(who):
    ids = who()
    limiter = rate_limiter("test.limit")

    for _ in range(10):
        assert limiter.allows(*ids)
    assert [limiter.hit(*ids) for _ in range(3)] == [True, True, True]
    assert limiter.allows(*ids) is False


def test_resets_in_is_zero_when_there_is_room(who):
    ids = who()
    limiter = rate_limiter("test.limit")
    limiter.hit(*ids)

    assert limiter.resets_in(*ids) == timedelta(0)


def test_resets_in_is_positive_when_the_window_is_full(who):
    ids = who()
    limiter = rate_limiter("test.limit")
    for _ in range(3):
        limiter.hit(*ids)

    assert timedelta(0) < limiter.resets_in(*ids) <= timedelta(minutes=1)


def test_resets_in_reports_the_longest_full_window(who):
    ids = who("test.two_windows")
    limiter = rate_limiter("test.two_windows")

    assert [limiter.hit(*ids) for _ in range(4)] == [True, True, True, False]
    assert timedelta(minutes=59) < limiter.resets_in(*ids) <= timedelta(hours=1)


def test_identifiers_are_counted_independently(who):
    first, second = who(), who()
    limiter = rate_limiter("test.limit")
    for _ in range(3):
        limiter.hit(*first)

    assert limiter.hit(*first) is False
    assert limiter.hit(*second) is True
    assert limiter.resets_in(*second) == timedelta(0)


def test_identifier_combinations_are_counted_apart_from_their_parts(who):
    ip = f"ip-{uuid.uuid4()}"
    email = f"{uuid.uuid4()}@example.com"
    who("test.limit", ip)
    who("test.limit", email)
    pair = who("test.limit", ip, email)
    limiter = rate_limiter("test.limit")
    for _ in range(3):
        limiter.hit(*pair)

    assert limiter.hit(*pair) is False
    assert limiter.hit(ip) is True
    assert limiter.hit(email) is True


def test_limit_names_are_counted_independently(who):
    ids = who("test.limit")
    who("test.other", *ids)
    for _ in range(3):
        rate_limiter("test.limit").hit(*ids)

    assert rate_limiter("test.limit").hit(*ids) is False
    assert rate_limiter("test.other").hit(*ids) is True


def test_deployables_are_counted_independently(who, settings):
    ids = who()
    for _ in range(3):
        rate_limiter("test.limit").hit(*ids)
    settings.TAXGOV_DEPLOYABLE = "elsewhere"
    try:
        assert rate_limiter("test.limit").hit(*ids) is True
    finally:
        rate_limiter("test.limit").clear(*ids)


def test_counters_survive_a_new_limiter_object(who):
    ids = who()
    for _ in range(3):
        rate_limiter("test.limit").hit(*ids)

    assert rate_limiter("test.limit").allows(*ids) is False


def test_clear_resets_the_counter(who):
    ids = who()
    limiter = rate_limiter("test.limit")
    for _ in range(3):
        limiter.hit(*ids)

    limiter.clear(*ids)

    assert limiter.resets_in(*ids) == timedelta(0)
    assert [limiter.hit(*ids) for _ in range(4)] == [True, True, True, False]


def test_unknown_limit_name_raises_improperly_configured(limits):
    with pytest.raises(ImproperlyConfigured, match=r"no\.such\.limit"):
        rate_limiter("no.such.limit")


def test_client_ip_reads_remote_addr_and_ignores_forwarded_header():
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1")

    assert client_ip(request) == "198.51.100.7"
