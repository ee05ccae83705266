"""The flow kernel: no skipping ahead, resuming where the draft stopped, stale answers cleared."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from taxgov.common.flows import Flow, Step


def draft(**answers):
    return SimpleNamespace(**{"first": "", "second": "", "third": "", **answers})


FLOW = Flow(
    "example",
    [
        Step("one", "One", "t.html"),
        Step("two", "Two", "t.html", ready=lambda d: bool(d.first)),
        Step("three", "Three", "t.html", ready=lambda d: bool(d.second)),
        Step("review", "Review", "t.html", ready=lambda d: bool(d.third)),
    ],
)


def test_a_step_is_allowed_only_when_it_and_every_earlier_step_are_ready():
    answers = draft(first="a", third="c")
    assert FLOW.allows(answers, FLOW["two"])
    assert not FLOW.allows(answers, FLOW["three"])
    assert not FLOW.allows(answers, FLOW["review"])  # ready itself, but step three is not


def test_resuming_goes_to_the_furthest_step_allowed():
    assert FLOW.furthest(draft()).key == "one"
    assert FLOW.furthest(draft(first="a", second="b")).key == "three"
    assert FLOW.furthest(draft(first="a", second="b", third="c")).key == "review"


def test_previous_next_and_labels():
    assert FLOW.previous(FLOW["one"]) is None
    assert FLOW.next(FLOW["two"]).key == "three"
    assert FLOW.next(FLOW.last) is None
    assert FLOW.labels == ["One", "Two", "Three", "Review"]


def test_step_keys_must_be_unique():
    with pytest.raises(ValueError, match="unique"):
        Flow("bad", [Step("a", "A", "t.html"), Step("a", "B", "t.html")])
