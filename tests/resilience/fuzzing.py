"""Fuzzing every route of a deployable with hypothesis (issue 9).

Each visitor (anonymous, signed in, part-way through signing in, staff...) first walks the
site: it opens a sample URL of every route from the URL sweep and the links it finds, and
reads every form's field names and offered values. Then hypothesis draws, for every route,
requests of that visitor: forms posted with the real field names (and extra ones) filled with
empty, huge, odd-unicode, numeric and date-like values or repeated keys; query strings;
JSON bodies; random bytes under random content types; URL values from the pages or garbage.

Every answer must be below 500, and no exception may escape a view (the test client raises
what a view raised). Each request runs in a savepoint that is rolled back, with the visitor's
cookies, session and rate-limit counters restored after it, so every input meets the
state the visitor was prepared with, and a limit never keeps the next input from the form code.
"""

from __future__ import annotations

import copy
import json
import math
import re
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, quote_from_bytes, urlsplit

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import MultiWidget
from django.http import HttpResponseBase
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils.choices import flatten_choices
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from taxgov.common.access.sweep import Route, iter_routes
from taxgov.common.ratelimit import clear_all_counters
from tests.architecture.test_url_access import SAMPLE_VALUES, sample_path

LONG = 100_000
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
ODD_TEXT = (
    "", " ", "\x00", "a\x00b", "\u202eevil\u202c", "\u200f\u05e9\u05dc\u05d5\u05dd", "😀", "👨‍👩‍👧", "\ufeff",
    "\u200b", "e\u0301", "ß", "İ", "ﬀ", "Ⅻ", "١٢٣", "\r\n", "\t", "null", "None", "undefined", "true", "[]", "{}",
    "<script>alert(1)</script>", "' OR 1=1 --", "%00", "%", "../../etc/passwd", "\\", "on", "off",
)  # fmt: skip
NUMBERS = (
    "0", "-0", "-1", "00", "1e999", "-1e999", "1e-999", "NaN", "Infinity", "-Infinity", "9" * 40, "-" + "9" * 40,
    "0.000000001", "1,000.00", "$5.00", "0x10", "+1", "1_000", "99999999999999999999.99", "-99999999.99",
    "9223372036854775808", "-9223372036854775809", "2147483648", "1.", ".5", "1e2", "١٢٣",
)  # fmt: skip
DATES = (
    "2024-02-30", "2023-02-29", "0000-00-00", "9999-12-31", "0001-01-01", "2024-13-01", "31/12/2024",
    "12/31/2024", "02/30/2024", "13/01/2024", "1/1/1", "2024/1/1", "tomorrow", "2024-02-29T25:61:61", "12/31/99999",
)  # fmt: skip
CONTENT_TYPES = (
    "application/json", "application/json; charset=utf-16", "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=nonexistent", "multipart/form-data",
    "multipart/form-data; boundary=x", "text/plain", "application/octet-stream", "application/jwt", "image/png",
    "", "*/*", "text/html; charset=latin-1",
)  # fmt: skip
FORM = "application/x-www-form-urlencoded"
OTHER_METHODS = ("PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


# --- what a visitor finds on the pages ---


@dataclass
class Target:
    """One route as fuzzed by one visitor: the URLs seen for it and the fields aimed at it."""

    route: Route
    paths: set[str] = field(default_factory=set)
    fields: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    files: set[str] = field(default_factory=set)
    reached: bool = False  # some URL of it answered other than a refusal
    posts_only: bool = False  # its pages answer GET with 405
    gets_only: bool = False  # and POST with 405

    @property
    def kwargs(self) -> list[tuple[str, str]]:
        return [(converter or "str", name) for converter, name in CONVERTER.findall(self.route.pattern)]


class _Page(HTMLParser):
    """The links and forms of a page: each form's action, fields and the values it offers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[str, dict[str, set[str]], set[str]]] = []
        self._select: str | None = None
        self._in_form = False

    def handle_endtag(self, tag: str) -> None:
        self._in_form = self._in_form and tag != "form"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        elif tag == "form":
            self.forms.append((found.get("action", ""), defaultdict(set), set()))
            self._in_form = True
        elif tag in ("input", "select", "textarea", "button") and found.get("name") and self._in_form:
            _action, fields, files = self.forms[-1]
            name = found["name"]
            if found.get("type") == "file":
                files.add(name)
            else:
                fields[name].update(v for v in (found.get("value"),) if v)
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select and self._in_form:
            self.forms[-1][1][self._select].add(found.get("value", ""))


def _route_patterns() -> dict[str, Route]:
    return {route.pattern: route for route in iter_routes()}


def _route_of(path: str, patterns: Mapping[str, Route]) -> Route | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return patterns.get(match.route)


def _local(base: str, href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path:
        return base
    if not parts.path.startswith("/") or parts.path.startswith(settings.STATIC_URL):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def form_fields(*form_classes: type[forms.BaseForm]) -> dict[str, set[str]]:
    """The field names of form classes and the values their choices offer: for the routes whose
    form no page of the visitor shows (a later step of a flow, say)."""
    found: dict[str, set[str]] = defaultdict(set)
    for form_class in form_classes:
        for name, form_field in form_class.base_fields.items():
            widget = form_field.widget
            names = (
                [f"{name}{suffix}" for suffix in widget.widgets_names] if isinstance(widget, MultiWidget) else [name]
            )
            choices = flatten_choices(getattr(form_field, "choices", ()))
            offered = {str(value) for value, _label in choices if value not in ("", None)}
            for each in names:
                found[each].update(offered)
    return found


# --- the inputs ---


def _long(pieces: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return pieces.map(lambda piece: (piece or "A") * (LONG // max(len(piece), 1) + 1))


SURROGATES = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"]), min_size=1)
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=40)
GARBAGE = st.one_of(
    st.sampled_from(ODD_TEXT),
    ANY_TEXT,
    st.sampled_from(NUMBERS),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.sampled_from(DATES),
    st.dates().map(str),
    _long(st.sampled_from(("A", "9", "😀", "\x00", "é", "<a>", "%"))),
    SURROGATES,
    ANY_TEXT.flatmap(lambda text: SURROGATES.map(lambda odd: text + odd)),
)


SPOILERS = ("\x00", "\u00e9", "\U000d0fcf", "\n", " ", "\ud800")


def spoiled(right: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A right value with one odd character added: it passes the checks before the one it breaks."""
    return st.tuples(right, st.sampled_from(SPOILERS), st.booleans()).map(
        lambda drawn: drawn[0] + drawn[1] if drawn[2] else drawn[1] + drawn[0]
    )


def values(plausible: Sequence[str]) -> st.SearchStrategy[str]:
    """A field's value: one the page offered (or the test knows to be right), spoiled, or garbage."""
    if not plausible:
        return GARBAGE
    offered = st.sampled_from(sorted(plausible))
    return st.one_of(offered, offered, spoiled(offered), GARBAGE)


def field_values(plausible: Sequence[str]) -> st.SearchStrategy[str | list[str]]:
    one = values(plausible)
    return st.one_of(one, one, one, st.lists(one, min_size=2, max_size=3))


@st.composite
def form_data(draw: st.DrawFn, fields: Mapping[str, Sequence[str]]) -> dict[str, str | list[str]]:
    """Every known field, each maybe left out, plus a few random keys."""
    data: dict[str, str | list[str]] = {}
    for name in sorted(fields):
        if draw(st.integers(0, 9)) > 0:
            data[name] = draw(field_values(tuple(fields[name])))
    extra = st.one_of(ANY_TEXT, st.sampled_from(ODD_TEXT), SURROGATES)
    data.update(draw(st.dictionaries(extra, field_values(()), max_size=3)))
    return data


def json_documents(keys: Sequence[str]) -> st.SearchStrategy[Any]:
    names = st.one_of(st.sampled_from(sorted(keys) or ["id"]), ANY_TEXT)
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), GARBAGE, st.integers(-(2**80), 2**80)
    )  # fmt: skip
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=5),
        max_leaves=16,
    )


def _bytes(text: str) -> bytes:
    """As a browser would send it; lone surrogates become the invalid UTF-8 a bad client sends."""
    return text.encode("utf-8", "surrogatepass")


def urlencoded(data: Mapping[str, str | list[str]]) -> str:
    pairs = []
    for name, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append(f"{quote_from_bytes(_bytes(name))}={quote_from_bytes(_bytes(one))}")
    return "&".join(pairs)


def _multipart_name(name: str) -> str:
    """The test client writes part headers as strict UTF-8; keep odd names, drop lone surrogates."""
    return _bytes(name).decode("utf-8", "replace")


@dataclass(frozen=True)
class Attempt:
    """One request as drawn: replayable from its description in a report."""

    method: str
    path: str
    kind: str
    body: Any = b""
    content_type: str = "application/octet-stream"
    headers: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        shown = repr(self.body)
        if len(shown) > 600:
            shown = shown[:600] + f"... ({len(shown)} characters)"
        return f"{self.method} {self.path[:300]} [{self.kind}, {self.content_type!r}, headers={self.headers!r}] {shown}"


HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=60)
HEADER_NAMES = ("Authorization", "Accept-Language", "Accept", "Origin", "Referer", "X-Requested-With")


def headers(plausible: Mapping[str, Sequence[str]]) -> st.SearchStrategy[tuple[tuple[str, str], ...]]:
    """Mostly none; else one header, with a value the test knows to be right or garbage."""
    garbage = st.one_of(HEADER_TEXT, HEADER_TEXT.map("Bearer {}".format), HEADER_TEXT.map("Basic {}".format))
    one = st.sampled_from(sorted({*HEADER_NAMES, *plausible})).flatmap(
        lambda name: st.tuples(st.just(name), values(plausible.get(name, ())) if name in plausible else garbage)
    )
    return st.one_of(st.just(()), st.just(()), one.map(lambda header: (header,)))


def _segment(converter: str, plausible: Sequence[str]) -> st.SearchStrategy[str]:
    garbage = {
        # Never nine digits: the request log writes the path, and an SSN-shaped one fails the run's PII check.
        "int": st.one_of(st.integers(0, 10**8 - 1), st.integers(10**9, 2**31), st.integers(2**63, 10**40)).map(str),
        "uuid": st.uuids().map(str),
        "slug": st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True),
    }.get(converter, st.one_of(ANY_TEXT, SURROGATES, st.sampled_from(ODD_TEXT)).filter(bool))
    if plausible and converter in ("str", "path"):
        garbage = st.one_of(garbage, spoiled(st.sampled_from(sorted(plausible))))
    quoted = garbage.map(lambda text: quote_from_bytes(_bytes(text), safe=""))
    return st.one_of(st.sampled_from(sorted(plausible)), quoted) if plausible else quoted


@st.composite
def paths(draw: st.DrawFn, target: Target, path_values: Mapping[str, Sequence[str]]) -> str:
    """A URL seen on the pages, or the pattern filled with known values and garbage."""
    if target.paths and draw(st.integers(0, 3)) > 0:
        return draw(st.sampled_from(sorted(target.paths)))
    filled = target.route.pattern
    for converter, name in target.kwargs:
        value = draw(_segment(converter, path_values.get(name, ())))
        filled = re.sub(rf"<(?:{converter}:)?{name}>", lambda _match, value=value: value, filled, count=1)
    return "/" + filled


@st.composite
def attempts(draw: st.DrawFn, target: Target, fuzzer: Fuzzer) -> Attempt:
    path = draw(paths(target, fuzzer.path_values))
    fields = {name: tuple(offered) for name, offered in target.fields.items()}
    if target.posts_only:
        kinds = ["form", "form", "multipart", "json", "raw"]
    elif target.gets_only:
        kinds = ["query", "query", "query", "query", "form", "raw"]
    elif fields:
        kinds = ["form", "form", "multipart", "query", "json", "raw"]
    else:
        kinds = ["query", "form", "json", "raw"]
    kind = draw(st.sampled_from(kinds))
    sent_headers = draw(headers(fuzzer.headers))
    if kind == "query":
        query = urlencoded(draw(form_data(fields)))
        method = draw(st.sampled_from(("GET", "GET", "HEAD")))
        return Attempt(method, f"{path}{'&' if '?' in path else '?'}{query}", kind, headers=sent_headers)
    if kind == "form":
        body = urlencoded(draw(form_data(fields))).encode("ascii")
        return Attempt("POST", path, kind, body, FORM, sent_headers)
    if kind == "multipart":
        data: dict[str, Any] = {
            _multipart_name(name): [_bytes(one) for one in value] if isinstance(value, list) else _bytes(value)
            for name, value in draw(form_data(fields)).items()
        }
        for name in target.files:
            content = draw(st.one_of(st.just(PNG), st.binary(max_size=512), st.just(b"")))
            filename = draw(st.one_of(st.just("photo.png"), ANY_TEXT.map(lambda text: _multipart_name(text) + ".jpg")))
            data[name] = SimpleUploadedFile(filename, content, draw(st.sampled_from(CONTENT_TYPES)) or "image/png")
        return Attempt("POST", path, kind, data, "multipart/form-data", sent_headers)
    if kind == "json":
        document = draw(json_documents([*fields, *fuzzer.json_keys]))
        body = (
            json.dumps(document).encode() if draw(st.booleans()) else _bytes(json.dumps(document, ensure_ascii=False))
        )
        return Attempt("POST", path, kind, body, draw(st.sampled_from(CONTENT_TYPES[:2])), sent_headers)
    method = draw(st.sampled_from(("POST", "POST", *OTHER_METHODS)))
    body = draw(st.binary(max_size=2048))
    return Attempt(method, path, kind, body, draw(st.sampled_from(CONTENT_TYPES)), sent_headers)


# --- sending ---


@dataclass
class Visitor:
    """Who sends the requests: a test client prepared in some state (signed in, half-way...)."""

    name: str
    client: Client


@dataclass
class Finding:
    visitor: str
    route: str
    attempt: str
    problem: str

    def __str__(self) -> str:
        return f"[{self.visitor}] {self.route}\n    {self.attempt}\n    {self.problem}"


def _consume(response: HttpResponseBase) -> bytes:
    """The whole body: a streamed file's generator only fails while it is read."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)  # type: ignore[attr-defined]


@contextmanager
def _rolled_back(client: Client) -> Iterator[None]:
    """The request's writes undone, and the browser and counters as they were before it."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:  # sessions live in the database (ADR 0035), so the rollback restored the visitor's
        client.cookies = cookies
        clear_all_counters()


def send(client: Client, attempt: Attempt) -> tuple[int, bytes]:
    headers = dict(attempt.headers)
    if attempt.kind == "multipart":
        response = client.post(attempt.path, attempt.body, secure=True, headers=headers)
    else:
        response = client.generic(
            attempt.method, attempt.path, attempt.body, attempt.content_type, secure=True, headers=headers
        )
    return response.status_code, _consume(response)


@dataclass
class Fuzzer:
    """Fuzzes every route of the current deployable for each visitor, within a budget of inputs.

    ``path_values`` gives known URL values by keyword (ids of the visitor's records, step
    names); ``fields`` gives field names per route pattern where no page shows a form for it
    (JSON endpoints, protocol endpoints); ``json_keys`` the names JSON bodies should use;
    ``headers`` right values of request headers (a bearer token); ``start`` URLs no page
    links to that the walk should open (a protocol request with its query).
    """

    visitors: Sequence[Visitor]
    budget: int
    path_values: Mapping[str, Sequence[str]] = field(default_factory=dict)
    fields: Mapping[str, Mapping[str, Sequence[str]]] = field(default_factory=dict)
    json_keys: Sequence[str] = ()
    headers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    start: Sequence[str] = ()
    crawl_limit: int = 250
    inputs: int = 0
    findings: list[Finding] = field(default_factory=list)
    covered: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    answers: Counter[tuple[str, int]] = field(default_factory=Counter)
    spent: Counter[str] = field(default_factory=Counter)  # seconds per route
    seconds: float = 0.0
    walk_seconds: float = 0.0

    def run(self) -> Fuzzer:
        started = time.monotonic()
        plan = {visitor.name: self._walk(visitor) for visitor in self.visitors}
        self.walk_seconds = time.monotonic() - started
        weights = {
            (visitor.name, pattern): 4 if target.reached else 1
            for visitor in self.visitors
            for pattern, target in plan[visitor.name].items()
        }
        per_weight = self.budget / sum(weights.values())
        for visitor in self.visitors:
            for pattern, target in plan[visitor.name].items():
                examples = max(2, math.ceil(per_weight * weights[visitor.name, pattern]))
                self._fuzz(visitor, target, examples)
        self.seconds = time.monotonic() - started
        return self

    def summary(self) -> str:
        lines = [
            f"{len(self.covered)} routes, {self.inputs} inputs, {self.seconds:.0f} s"
            f" ({self.walk_seconds:.0f} s reading the pages first)"
        ]
        for visitor in self.visitors:
            answers = sorted((status, count) for (name, status), count in self.answers.items() if name == visitor.name)
            lines.append(f"  {visitor.name}: " + ", ".join(f"{status}: {count}" for status, count in answers))
        slowest = ", ".join(f"{pattern or '/'} {seconds:.0f} s" for pattern, seconds in self.spent.most_common(6))
        lines.append(f"  slowest routes: {slowest}")
        lines += [str(finding) for finding in self.findings[:40]]
        if len(self.findings) > 40:
            lines.append(f"... and {len(self.findings) - 40} more findings")
        return "\n".join(lines)

    def _walk(self, visitor: Visitor) -> dict[str, Target]:
        """Open a sample URL of every route and the links found, up to ``crawl_limit`` pages."""
        patterns = _route_patterns()
        targets = {pattern: Target(route) for pattern, route in patterns.items()}
        for pattern, fields in self.fields.items():
            for name, offered in fields.items():
                targets[pattern].fields[name].update(offered)
        queue = ["/", *self.start] + [sample_path(route) for route in patterns.values()]
        for route in patterns.values():
            queue += [self._filled(route, index) for index in range(3)]
        queue = list(dict.fromkeys(queue))
        seen: set[str] = set()
        while queue and len(seen) < self.crawl_limit:
            path = queue.pop(0)
            route = _route_of(path, patterns)
            if path in seen or route is None:
                continue
            seen.add(path)
            target = targets[route.pattern]
            body = self._call(visitor, route, Attempt("GET", path, "walk"))
            if body is None:
                continue
            status, content = body
            target.posts_only = target.posts_only or status == 405
            if status in (200, 400, 409, 410, 422, 429) and len(target.paths) < 12:
                target.paths.add(path)
                target.reached = True
            page = _Page()
            page.feed(content.decode("utf-8", "replace"))
            for href in page.links:
                local = _local(path, href)
                if local is not None and local not in seen:
                    queue.append(local)
            for action, fields, files in page.forms:
                aimed = _local(path, action or path)
                aimed_route = _route_of(aimed, patterns) if aimed else None
                if aimed is None or aimed_route is None:
                    continue
                aimed_target = targets[aimed_route.pattern]
                aimed_target.reached = True
                if len(aimed_target.paths) < 12:
                    aimed_target.paths.add(aimed)
                for name, offered in fields.items():
                    aimed_target.fields[name].update(offered)
                aimed_target.files.update(files)
        for target in targets.values():  # a page without a form: does it take a POST at all?
            if target.paths and not target.fields and not target.posts_only:
                answer = self._call(visitor, target.route, Attempt("POST", min(target.paths), "walk", b"", FORM))
                target.gets_only = answer is not None and answer[0] == 405
        return targets

    def _filled(self, route: Route, index: int) -> str:
        """The pattern with the ``index``-th known value of each keyword (a sample if none)."""

        def fill(match: re.Match[str]) -> str:
            known = sorted(self.path_values.get(match.group(2), ()))
            if not known:
                return SAMPLE_VALUES.get(match.group(1) or "str", "sample")
            return quote(known[index % len(known)], safe="")

        return "/" + CONVERTER.sub(fill, route.pattern)

    def _fuzz(self, visitor: Visitor, target: Target, examples: int) -> None:
        @hypothesis_settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(attempts(target, self))
        def one(attempt: Attempt) -> None:
            self.inputs += 1
            self.covered[target.route.pattern] += 1
            began = time.monotonic()
            result = self._call(visitor, target.route, attempt)
            self.spent[target.route.pattern] += time.monotonic() - began
            self.answers[visitor.name, result[0] if result else 500] += 1

        one()

    def _call(self, visitor: Visitor, route: Route, attempt: Attempt) -> tuple[int, bytes] | None:
        """Send ``attempt``; a 5xx or an exception becomes a finding (and None)."""
        problem = ""
        result = None
        with _rolled_back(visitor.client):
            try:
                result = send(visitor.client, attempt)
            except Exception as error:  # noqa: BLE001  (every escaped exception is the finding)
                frames = traceback.extract_tb(error.__traceback__)
                where = next(
                    (f"{f.filename}:{f.lineno}" for f in reversed(frames) if "/taxgov/" in f.filename), "?"
                )  # fmt: skip
                problem = f"{type(error).__name__}: {str(error)[:300]} at {where}"
        if result is not None and result[0] >= 500:
            problem = f"answered {result[0]}"
        if problem:
            self.findings.append(Finding(visitor.name, route.pattern, attempt.describe(), problem))
            return None
        return result


def tell(config: pytest.Config, text: str) -> None:
    """Write to the terminal past pytest's capture: each run's tally shows in the CI log."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_line(text)


def csrf_refusals(clients: Sequence[Client]) -> list[str]:
    """POST a form without a CSRF token to every route, from this site (HTTPS posts need a
    Referer): each view that is not exempt must answer 403 before any form code runs, and
    none a 5xx. The wrong answers."""
    wrong: list[str] = []
    referer = (("Referer", "https://testserver/"),)
    for client in clients:
        for route in iter_routes():
            attempt = Attempt("POST", sample_path(route), "csrf", b"a=1", FORM, referer)
            with _rolled_back(client):
                try:
                    status, _body = send(client, attempt)
                except Exception as error:  # noqa: BLE001  (an escaped exception is a wrong answer)
                    wrong.append(f"{route.pattern}: {type(error).__name__}: {error}")
                    continue
            if status >= 500 or (status != 403 and not getattr(route.view, "csrf_exempt", False)):
                wrong.append(f"{route.pattern}: answered {status}")
    return wrong
