"""The OpenID Connect token endpoint: our identity provider's requests per second against those
of panva's `oidc-provider` (npm), configured as ours is, on the same machine in one run.

Both run as production runs them. Ours is gunicorn with `config/gunicorn.py` and bin/run-prod's
settings (3 workers of 4 threads, `TAXGOV_ENV=production`, PostgreSQL, Redis). The reference
(`bench/oidc-reference/server.mjs`) is as many node processes (the cluster module) on
PostgreSQL through an adapter of its own. Codes are single use, so each provider mints its
codes before the clock starts: ours through `oidc.actions`, the reference through its models.
Then the load generator here exchanges each code once, with the same concurrency and the same
number of requests, in alternate turns so that the machine's other load falls on both alike,
the client proving itself with `private_key_jwt` as the federal account does (its assertions
signed beforehand). Every answer must be a 200 with an ID token that verifies. Afterwards a
few of our requests are profiled in this process, and timed again with the fix the report
proposes patched in here only. Writes `bench/results/oidc-token.md`. Run with
`make bench-oidc-token`; `--requests N` is a trial run that prints its report instead.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import logging
import os
import platform
import pstats
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from harness import ROOT, SERVER, configure_production, cpu_model, drop_database, recreate_database, write_report

DATABASE = "taxgov_bench_oidc_token"
REFERENCE_DATABASE = "taxgov_bench_oidc_reference"
REFERENCE = ROOT / "bench" / "oidc-reference"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


OUR_PORT, REFERENCE_PORT, REDIS_PORT = free_port(), free_port(), free_port()
ENVIRONMENT = configure_production(
    "identity", f"{SERVER}/{DATABASE}", redis_url=f"redis://127.0.0.1:{REDIS_PORT}/0", port=OUR_PORT
)
WORK = Path(ENVIRONMENT["TAXGOV_DATA_DIR"])
WORKERS = int(ENVIRONMENT["TAXGOV_WEB_CONCURRENCY"])
THREADS = 4  # config/gunicorn.py's default, as bin/run-prod leaves it
REQUESTS = 2000  # timed exchanges per provider
WARM_UP = 100
ROUNDS = 4  # turns each provider is timed in, alternately
CONCURRENCY = 16  # connections, kept alive; more than our 12 threads so that none idles
PEOPLE = 200
PROFILED = 40

import django  # noqa: E402

django.setup()

from authlib.oauth2.rfc7636 import create_s256_code_challenge  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from joserfc import jwt  # noqa: E402
from joserfc.errors import JoseError  # noqa: E402
from joserfc.jwk import KeySet, RSAKey  # noqa: E402

from taxgov.identity.accounts.models import User  # noqa: E402
from taxgov.identity.oidc import actions  # noqa: E402
from taxgov.identity.oidc.models import Client as OidcClient  # noqa: E402

# The federal account as a relying party (config/settings/federal.py, its registration
# document from oidc_client_registration): what it asks for and how it proves itself.
CLIENT_ID = "urn:gov:taxgov:federal:online-account"
REDIRECT_URI = "http://localhost:8101/sign-in/callback/"
SCOPES = ["openid", "email", "profile", "address", "social_security_number", "profile:verified_at"]
ACR = settings.TAXGOV_OIDC["acr_verified"]
AMR = ["pwd", "otp"]
CODE_LIFETIME = 3600  # minted codes live long enough for the whole run (120 s when issued for real)
CLIENT_KEY = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)


@dataclass(frozen=True)
class Minted:
    code: str
    verifier: str
    nonce: str


@dataclass
class Exchange:
    status: int = 0
    seconds: float = 0.0
    body: bytes = b""


@dataclass
class Provider:
    """A running provider, the exchanges prepared for it, and what they gave and cost so far."""

    name: str
    server: subprocess.Popen[bytes]
    database: str
    port: int
    requests: list[bytes]
    seconds: float = 0.0
    exchanges: list[Exchange] = field(default_factory=list)
    server_cpu: float = 0.0
    database_cpu: float = 0.0
    generator_cpu: float = 0.0
    machine_busy: float = 0.0  # jiffies of every CPU, busy and all, while this provider was timed
    machine_all: float = 0.0
    resent: int = 0
    problems: Counter[str] = field(default_factory=Counter)
    claims: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return len(self.exchanges) / self.seconds

    def latency(self, quantile: float) -> float:
        times = sorted(exchange.seconds for exchange in self.exchanges)
        return times[min(len(times) - 1, int(len(times) * quantile))]

    @property
    def busy(self) -> float:
        return self.machine_busy / self.machine_all

    def per_request(self, seconds: float) -> str:
        return f"{seconds / len(self.exchanges) * 1000:.2f} ms"


# --- Minting: codes, accounts, the client and its assertions --------------------------------------


def client_registration() -> dict[str, object]:
    """The federal account's registration document, with this run's client key."""
    return {
        "client_id": CLIENT_ID,
        "name": "Federal Revenue Service",
        "redirect_uris": [REDIRECT_URI],
        "post_logout_redirect_uris": ["http://localhost:8101/signed-out/"],
        "scopes": SCOPES,
        "acr_values": [ACR],
        "jwks": {"keys": [{**CLIENT_KEY.as_dict(private=False), "kid": CLIENT_KEY.kid}]},
    }


def set_up_ours() -> list[User]:
    """Migrate, collect static files, make the signing key and register the client as bin/run-prod
    does; the people."""
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("rotate_signing_key", "--if-missing", stdout=io.StringIO())
    document = WORK / "federal-client-registration.json"
    document.write_text(json.dumps(client_registration()))
    call_command("register_client", "--from-file", str(document), stdout=io.StringIO())
    return [User.objects.create_user(f"bench{number}@example.test") for number in range(PEOPLE)]


def mint_our_codes(people: list[User], count: int) -> list[Minted]:
    """Codes as our authorization endpoint issues them after consent (``do_issue_code``)."""
    client = OidcClient.objects.get(client_id=CLIENT_ID)
    minted = []
    with override_settings(TAXGOV_OIDC={**settings.TAXGOV_OIDC, "code_seconds": CODE_LIFETIME}):
        for number in range(count):
            code, verifier, nonce = secrets.token_urlsafe(36), secrets.token_urlsafe(32), secrets.token_urlsafe(16)
            actions.do_issue_code(
                code,
                client=client,
                user_id=people[number % len(people)].pk,
                redirect_uri=REDIRECT_URI,
                scope=" ".join(SCOPES),
                nonce=nonce,
                code_challenge=create_s256_code_challenge(verifier),
                acr=ACR,
                amr=AMR,
                auth_time=timezone.now(),
            )
            minted.append(Minted(code, verifier, nonce))
    return minted


def assertions(audience: str, count: int) -> list[str]:
    """``private_key_jwt`` client assertions (RFC 7523), one per request, as Authlib's
    ``PrivateKeyJWT`` makes them for the federal account."""
    now = int(time.time())
    header = {"alg": "RS256", "kid": CLIENT_KEY.kid}
    claims = {"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": audience, "iat": now, "exp": now + CODE_LIFETIME}
    return [jwt.encode(header, {**claims, "jti": secrets.token_urlsafe(24)}, CLIENT_KEY) for _ in range(count)]


def token_form(code: Minted, assertion: str) -> dict[str, str]:
    """One code exchange, the client proving itself with ``private_key_jwt``."""
    return {
        "grant_type": "authorization_code",
        "code": code.code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": code.verifier,
        "client_id": CLIENT_ID,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion,
    }


def token_requests(port: int, path: str, minted: list[Minted], signed: list[str]) -> list[bytes]:
    requests = []
    for code, assertion in zip(minted, signed, strict=True):
        body = urlencode(token_form(code, assertion)).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: application/json\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests


# --- The load generator ----------------------------------------------------------------------------


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:])}
    if "content-length" in headers:
        return int(head[0].split()[1]), headers, await reader.readexactly(int(headers["content-length"]))
    chunks = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        chunks.append((await reader.readexactly(size + 2))[:-2])
    await reader.readuntil(b"\r\n")
    return int(head[0].split()[1]), headers, b"".join(chunks)


async def _exchange_all(port: int, requests: list[bytes]) -> tuple[list[Exchange], int]:
    """Send every request once over ``CONCURRENCY`` kept-alive connections; a connection the
    server closed before answering (a gunicorn worker recycled) is opened again and the request
    sent again. Returns the answers, in the order of the requests, and how many were resent."""
    answers = [Exchange() for _ in requests]
    pending = iter(range(len(requests)))
    resent = 0

    async def connection() -> None:
        nonlocal resent
        streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        for index in pending:
            while True:
                if streams is None:
                    streams = await asyncio.open_connection("127.0.0.1", port)
                reader, writer = streams
                began = time.perf_counter()
                try:
                    writer.write(requests[index])
                    status, headers, body = await _read_answer(reader)
                except (asyncio.IncompleteReadError, ConnectionError) as error:
                    if isinstance(error, asyncio.IncompleteReadError) and error.partial:
                        raise
                    writer.close()
                    streams, resent = None, resent + 1
                    continue
                answers[index] = Exchange(status, time.perf_counter() - began, body)
                if headers.get("connection", "").lower() == "close":
                    writer.close()
                    streams = None
                break
        if streams is not None:
            streams[1].close()

    await asyncio.gather(*(connection() for _ in range(CONCURRENCY)))
    return answers, resent


def _ticks(path: str) -> tuple[int, ...]:
    fields = Path(path).read_text().rsplit(")", 1)[1].split()
    return tuple(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime


def process_tree_cpu(pid: int) -> float:
    """CPU seconds of a server: its master, the workers alive now, and the workers it reaped."""
    utime, stime, cutime, cstime = _ticks(f"/proc/{pid}/stat")
    total = utime + stime + cutime + cstime
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            if int(text.rsplit(")", 1)[1].split()[1]) == pid:
                child = _ticks(str(stat))
                total += child[0] + child[1]
        except (OSError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def database_backends_cpu(database: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to ``database``."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        pids = [row[0] for row in admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])]
    found = {}
    for pid in pids:
        try:
            utime, stime, _, _ = _ticks(f"/proc/{pid}/stat")
        except OSError:
            continue
        found[pid] = (utime + stime) / os.sysconf("SC_CLK_TCK")
    return found


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of every CPU since boot."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def time_round(provider: Provider, requests: list[bytes]) -> None:
    """Time these exchanges, and the CPU the server and its database backends spent on them."""
    server_before, database_before = process_tree_cpu(provider.server.pid), database_backends_cpu(provider.database)
    busy_before, all_before = machine_ticks()
    generator_before, began = time.process_time(), time.perf_counter()
    exchanges, resent = asyncio.run(_exchange_all(provider.port, requests))
    provider.seconds += time.perf_counter() - began
    provider.generator_cpu += time.process_time() - generator_before
    busy_after, all_after = machine_ticks()
    provider.machine_busy += busy_after - busy_before
    provider.machine_all += all_after - all_before
    provider.server_cpu += process_tree_cpu(provider.server.pid) - server_before
    database_after = database_backends_cpu(provider.database)
    provider.database_cpu += sum(cpu - database_before.get(pid, 0.0) for pid, cpu in database_after.items())
    provider.exchanges += exchanges
    provider.resent += resent


def measure(providers: list[Provider]) -> None:
    """Warm each provider up, then time them in turns, ``ROUNDS`` each, so that a change in the
    machine's other load falls on both alike."""
    for provider in providers:
        asyncio.run(_exchange_all(provider.port, provider.requests[:WARM_UP]))
    timed = len(providers[0].requests) - WARM_UP
    for number in range(ROUNDS):
        first, last = WARM_UP + timed * number // ROUNDS, WARM_UP + timed * (number + 1) // ROUNDS
        for provider in providers:
            time_round(provider, provider.requests[first:last])


def check(provider: Provider, minted: list[Minted], jwks_path: str, issuer: str) -> None:
    """Every answer a 200 with a bearer access token, no refresh token, and an ID token signed
    with RS256 by a published 2048-bit key, for this client, with the code's nonce and acr."""
    with urllib.request.urlopen(f"http://127.0.0.1:{provider.port}{jwks_path}", timeout=10) as answer:
        keys = KeySet.import_key_set(json.load(answer))
    if any(key.as_dict()["kty"] != "RSA" or len(key.as_dict()["n"]) != 342 for key in keys):  # 256 bytes
        provider.problems["a published key is not RSA 2048"] += 1
    for exchange, code in zip(provider.exchanges, minted, strict=True):
        try:
            claims = _claims(exchange, code, keys, issuer)
        except (JoseError, ValueError, KeyError) as error:
            provider.problems[f"{type(error).__name__}: {error}"[:160]] += 1
            continue
        provider.claims = provider.claims or sorted(claims)


def _claims(exchange: Exchange, code: Minted, keys: KeySet, issuer: str) -> dict[str, object]:
    if exchange.status != 200:
        raise ValueError(f"status {exchange.status}: {exchange.body[:120].decode(errors='replace')}")
    tokens = json.loads(exchange.body)
    if tokens.get("token_type", "").lower() != "bearer" or not tokens.get("access_token"):
        raise ValueError("no bearer access token")
    if "refresh_token" in tokens:
        raise ValueError("a refresh token")
    decoded = jwt.decode(tokens["id_token"], keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": CLIENT_ID},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        auth_time={"essential": True},
        nonce={"essential": True, "value": code.nonce},
        acr={"essential": True, "value": ACR},
    ).validate(decoded.claims)
    if decoded.claims.get("amr") != AMR:
        raise ValueError(f"amr {decoded.claims.get('amr')!r}")
    return dict(decoded.claims)


# --- The two servers -------------------------------------------------------------------------------


def wait_until_answers(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} never answered")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_redis() -> subprocess.Popen[bytes]:
    """A Redis of the run's own (its cache, sessions and rate limits), so the shared one is left alone."""
    redis = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--dir", str(WORK)],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", REDIS_PORT)) == 0:
                return redis
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def start_ours() -> subprocess.Popen[bytes]:
    log = WORK / "gunicorn.log"
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{OUR_PORT}"],
        cwd=ROOT,
        env={**os.environ, **ENVIRONMENT},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    wait_until_answers(f"http://127.0.0.1:{OUR_PORT}/readyz", server, log)
    return server


def start_reference(people: list[str], count: int) -> tuple[subprocess.Popen[bytes], list[Minted]]:
    """The reference, which mints ``count`` codes before its workers start."""
    codes = WORK / "reference-codes.jsonl"
    document = client_registration()
    reference_settings = {
        "issuer": f"http://localhost:{REFERENCE_PORT}",
        "host": "127.0.0.1",
        "port": REFERENCE_PORT,
        "workers": WORKERS,
        "pool_size": THREADS,  # a connection per request in flight, as each of our threads has one
        "database_url": f"{SERVER}/{REFERENCE_DATABASE}",
        "pairwise_key": secrets.token_urlsafe(32),
        "cookie_key": secrets.token_urlsafe(32),
        "code_seconds": settings.TAXGOV_OIDC["code_seconds"],
        "token_seconds": settings.TAXGOV_OIDC["token_seconds"],
        "acr_values": [settings.TAXGOV_OIDC["acr_auth_only"], ACR],
        "accounts": people,
        "client": {
            "client_id": CLIENT_ID,
            "client_name": document["name"],
            "redirect_uris": document["redirect_uris"],
            "post_logout_redirect_uris": document["post_logout_redirect_uris"],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "scope": " ".join(SCOPES),
            "default_acr_values": [ACR],
            "require_auth_time": True,
            "subject_type": "pairwise",
            "id_token_signed_response_alg": "RS256",
            "token_endpoint_auth_method": "private_key_jwt",
            "jwks": document["jwks"],
        },
        "codes": {
            "count": count,
            "file": str(codes),
            "lifetime": CODE_LIFETIME,
            "redirect_uri": REDIRECT_URI,
            "scope": " ".join(SCOPES),
            "acr": ACR,
            "amr": AMR,
        },
    }
    path = WORK / "reference-settings.json"
    path.write_text(json.dumps(reference_settings))
    log = WORK / "reference.log"
    server = subprocess.Popen(
        ["node", "server.mjs", str(path)],
        cwd=REFERENCE,
        env={**os.environ, "NODE_ENV": "production"},
        stdout=subprocess.PIPE,
        stderr=log.open("wb"),
    )
    if server.stdout is None or server.stdout.readline().strip() != b"ready":
        raise RuntimeError(f"the reference did not start: {log.read_text()[-2000:]}")
    minted = [json.loads(line) for line in codes.read_text().splitlines()]
    return server, [Minted(line["code"], line["verifier"], line["nonce"]) for line in minted]


def node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()


def reference_version() -> str:
    return str(json.loads((REFERENCE / "node_modules/oidc-provider/package.json").read_text())["version"])


# --- Where our time goes ---------------------------------------------------------------------------

# What a part of a request is, and which functions of the profile are it (their cumulative time).
PARTS: list[tuple[str, Callable[[str, str], bool]]] = [
    (
        "checking the client assertion (RS256 verification, its `jti` kept)",
        lambda file, name: name == "authenticate_client",
    ),
    (
        "the signing key: its query and decryption (parsed once a process)",
        lambda file, name: name == "resolve_client_private_key",
    ),
    ("signing the ID token (RS256)", lambda file, name: name == "encode" and file.endswith("joserfc/jwt.py")),
    ("redeeming the code (`UPDATE`, `SELECT`)", lambda file, name: name == "do_redeem_code"),
    (
        "the access token and its audit event (hash chain, under its lock)",
        lambda file, name: name == "do_issue_access_token",
    ),
    ("every SQL statement, round trip included", lambda file, name: name == "execute" and "psycopg" in file),
]


@dataclass(frozen=True)
class Profiled:
    milliseconds: float  # wall time of one request in this process
    parts: list[tuple[str, float]]  # milliseconds of each part per request
    statements: Counter[str]  # SQL statements of one request, by their first word


def profile_ours(people: list[User]) -> Profiled:
    """A few exchanges in this process (Django's test client, no gunicorn) under cProfile."""
    minted = mint_our_codes(people, PROFILED + 1)
    signed = assertions(f"http://localhost:{OUR_PORT}{reverse('oidc:token')}", len(minted))
    browser = Client(HTTP_HOST=f"localhost:{OUR_PORT}")

    def exchange(code: Minted, assertion: str) -> None:
        answer = browser.post(reverse("oidc:token"), token_form(code, assertion))
        if answer.status_code != 200:
            raise RuntimeError(f"a profiled exchange failed: {answer.content[:200]!r}")

    def timed(first: int) -> float:
        began = time.perf_counter()
        for code, assertion in zip(minted[first : first + PROFILED], signed[first : first + PROFILED], strict=True):
            exchange(code, assertion)
        return (time.perf_counter() - began) / PROFILED * 1000

    logging.disable(logging.INFO)  # the request log lines, which production writes to stdout
    with CaptureQueriesContext(connection) as captured:
        exchange(minted[0], signed[0])
    statements = Counter(query["sql"].split()[0].upper() for query in captured.captured_queries)
    profile = cProfile.Profile()
    milliseconds = profile.runcall(timed, 1)
    logging.disable(logging.NOTSET)
    found = pstats.Stats(profile).stats  # type: ignore[attr-defined]  # pstats keeps its table there
    parts = []
    for label, matches in PARTS:
        cumulative = max((entry[3] for (file, _line, name), entry in found.items() if matches(file, name)), default=0.0)
        parts.append((label, cumulative / PROFILED * 1000))
    return Profiled(milliseconds, parts, statements)


# --- The report ------------------------------------------------------------------------------------


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()


def row(provider: Provider) -> str:
    return (
        f"| {provider.name} | **{provider.per_second:.1f}** | {provider.latency(0.5) * 1000:.0f} ms "
        f"| {provider.latency(0.95) * 1000:.0f} ms | {provider.per_request(provider.server_cpu)} "
        f"| {provider.per_request(provider.database_cpu)} | {provider.busy:.0%} "
        f"| {sum(provider.problems.values())} |"
    )


def report(ours: Provider, reference: Provider, load: tuple[str, str], profiled: Profiled) -> list[str]:
    ratio = ours.per_second / reference.per_second
    problems = [
        f"- {provider.name}: {count} times {problem}"
        for provider in (ours, reference)
        for problem, count in provider.problems.items()
    ]
    ours_cpu, reference_cpu = ours.server_cpu + ours.database_cpu, reference.server_cpu + reference.database_cpu
    parts = dict(profiled.parts)
    return [
        "# OIDC token endpoint: ours against panva's oidc-provider",
        "",
        "Run with `make bench-oidc-token` (`bench/oidc_token.py`; the reference is `bench/oidc-reference/`). "
        f"{len(ours.exchanges):,} authorization-code exchanges against each provider after {WARM_UP} to warm "
        f"up, in {ROUNDS} turns each, alternately, over {CONCURRENCY} kept-alive connections from one Python "
        "load generator on the same machine. Each code was minted beforehand and is exchanged once; the "
        "client proves itself with `private_key_jwt` (RS256, a fresh `jti` each time, signed beforehand) "
        "as the federal account does. Every answer is checked: a 200, a bearer access token, no refresh "
        "token, and an ID token signed RS256 by a published 2048-bit key, for this client, with the "
        "code's nonce, acr and amr.",
        "",
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores, shared by both providers, PostgreSQL and the "
        "load generator; Python "
        f"{platform.python_version()}, node {node_version()}, PostgreSQL {connection.pg_version // 10000}.",
        f"- `uptime` before: `{load[0]}`; after: `{load[1]}`.",
        f"- Measured on {timezone.now():%Y-%m-%d}.",
        "",
        "| Provider | Requests/s | p50 | p95 | Server CPU/request | PostgreSQL CPU/request | Machine busy | Errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        row(ours),
        row(reference),
        "",
        f"- **Ratio, ours ÷ reference** (requests per second; goal 1.0 or more): **{ratio:.2f}**",
        f"- CPU per request, server and PostgreSQL together: ours {ours.per_request(ours_cpu)}, reference "
        f"{reference.per_request(reference_cpu)}; their inverse ratio is "
        f"{(reference_cpu / len(reference.exchanges)) / (ours_cpu / len(ours.exchanges)):.2f}. With the machine's "
        f"CPUs busy {min(ours.busy, reference.busy):.0%} of the time or more (this run and other work), "
        "throughput follows the CPU each request needs.",
        *problems,
        f"- Requests sent again on a new connection because the server had closed one: ours {ours.resent}, "
        f"reference {reference.resent}. Load generator CPU per request: ours {ours.per_request(ours.generator_cpu)}, "
        f"reference {reference.per_request(reference.generator_cpu)}.",
        "- Server CPU is the master's, the workers' and that of workers it replaced. PostgreSQL CPU is "
        "that of the backends connected at the end of each turn (a backend closed during a turn is missed).",
        f"- ID token claims, ours: {', '.join(ours.claims)}; reference: {', '.join(reference.claims)}.",
        "",
        "## Configuration",
        "",
        f"- **Ours**: Authlib (ADR 0019) under gunicorn with `config/gunicorn.py` and bin/run-prod's "
        f"settings: {WORKERS} workers of {THREADS} threads (`gthread`), recycled after about 1,000 requests, "
        "`TAXGOV_ENV=production`, PostgreSQL (a connection per thread, kept 60 s), a Redis of the run's own.",
        f"- **Reference**: `oidc-provider` {reference_version()} in {WORKERS} node processes (the cluster "
        f"module: node runs JavaScript on one thread), each with a `pg` pool of {THREADS} connections, through "
        "an adapter of ours (`server.mjs`: one table, a row per client, grant, code, access token and "
        "client-assertion `jti`), `NODE_ENV=production`.",
        "- **The same on both**: code flow with PKCE S256 required; `private_key_jwt` with the client's RSA "
        "2048 key, its `jti` accepted once; the client read from the database on each request; ID token "
        "RS256 with an RSA 2048 key, pairwise `sub` (HMAC-SHA256 of sector and account), no personal "
        f"claim (those are for userinfo); the federal scopes ({' '.join(SCOPES)}); codes of "
        f"{settings.TAXGOV_OIDC['code_seconds']} s (minted to live {CODE_LIFETIME} s here), access and ID "
        f"tokens of {settings.TAXGOV_OIDC['token_seconds']} s; opaque access tokens kept in the database; "
        "no refresh token.",
        "- **Different**: ours keeps codes and tokens as SHA-256 hashes, redeems a code with one conditional "
        "`UPDATE` (two concurrent requests cannot both redeem it), does it all in one transaction and "
        "appends an audit event to a hash chain under a database-wide lock; its ID token also carries "
        "`at_hash`. The reference keeps the values themselves as keys, reads a code then marks it consumed "
        "(not atomic), commits each statement on its own, looks the account up in a table (ours joins it "
        "to the code) and keeps no audit record. Statements per request: ours "
        f"{sum(profiled.statements.values())} "
        f"({', '.join(f'{count} {kind}' for kind, count in profiled.statements.most_common())}); the "
        "reference 8 (client, `jti` find and insert, code, grant, consume, account, access token).",
        "",
        "## What limits ours",
        "",
        f"{PROFILED} exchanges profiled in this process under cProfile (Django's test client: no gunicorn, "
        f"one at a time): {profiled.milliseconds:.1f} ms each, of which (cumulative wall time; parts overlap):",
        "",
        "| Part | Per request |",
        "| --- | ---: |",
        *[f"| {label} | {milliseconds:.1f} ms |" for label, milliseconds in profiled.parts],
        "",
        "Three changes came from this profile. The signing key's PEM is parsed once per process "
        "(`oidc.server.parsed_private_key`; cryptography checks an RSA private key each time it loads one, "
        "about 30 ms of CPU), as are the clients' public keys (`parsed_public_keys`). The access token and "
        "its audit event are the transaction's last write (`Provider.write_token`), so the audit chain's "
        "lock, held until the commit, no longer covers the ID token's signing. And the statements went from "
        "20 to 11: no savepoints, the `jti` kept by one `INSERT ... ON CONFLICT DO NOTHING`, the client "
        "read once, and expired `jti`s deleted by an hourly job instead of on every request. What remains "
        "is above: the client assertion "
        f"({parts['checking the client assertion (RS256 verification, its `jti` kept)']:.1f} ms: an RS256 "
        "check and its `jti` row), the SQL round trips inside one transaction, the audit chain, and "
        "Django's request handling around them.",
        "",
    ]


def main(requests: int, trial: bool) -> None:
    load_before = uptime()
    recreate_database(DATABASE)
    recreate_database(REFERENCE_DATABASE)
    redis = start_redis()
    servers: list[subprocess.Popen[bytes]] = []
    try:
        people = set_up_ours()
        minted = mint_our_codes(people, WARM_UP + requests)
        token_path = reverse("oidc:token")
        ours_signed = assertions(f"http://localhost:{OUR_PORT}{token_path}", len(minted))
        reference_signed = assertions(f"http://localhost:{REFERENCE_PORT}/token", len(minted))
        servers.append(start_ours())
        reference_server, reference_minted = start_reference([str(person.pk) for person in people], len(minted))
        servers.append(reference_server)
        ours = Provider(
            "ours (taxgov identity)",
            servers[0],
            DATABASE,
            OUR_PORT,
            token_requests(OUR_PORT, token_path, minted, ours_signed),
        )
        reference = Provider(
            "panva oidc-provider",
            reference_server,
            REFERENCE_DATABASE,
            REFERENCE_PORT,
            token_requests(REFERENCE_PORT, "/token", reference_minted, reference_signed),
        )
        measure([ours, reference])
        load_after = uptime()
        check(ours, minted[WARM_UP:], reverse("oidc:jwks"), f"http://localhost:{OUR_PORT}")
        check(reference, reference_minted[WARM_UP:], "/jwks", f"http://localhost:{REFERENCE_PORT}")
    finally:
        for server in servers:
            stop(server)
    try:
        lines = report(ours, reference, (load_before, load_after), profile_ours(people))
        if trial:
            print("\n".join(lines))
        else:
            write_report(
                "oidc-token.md",
                lines,
                {
                    "ratio": round(ours.per_second / reference.per_second, 3),
                    "ours_per_second": ours.per_second,
                    "reference_per_second": reference.per_second,
                },
            )
    finally:
        stop(redis)
        drop_database(DATABASE)
        drop_database(REFERENCE_DATABASE)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=REQUESTS, help="a trial run with this many: prints its report, writes none"
    )
    arguments = parser.parse_args()
    main(arguments.requests, trial=arguments.requests != REQUESTS)
