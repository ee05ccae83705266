"""What a full sign-in at the identity provider costs in CPU, against one Argon2id hash.

A sign-in here is the four requests a person's browser makes: the sign-in page, the email and
password (one Argon2id verification), the authenticator-app page, and its code. They run
through the real URLs, middleware and views of the identity deployable, in this process, on
a fresh PostgreSQL database (the production engine, whose own CPU is in its server process
and not counted here). The goal (issue 9) is at most 1.15 hashes of CPU per sign-in: the
hash is the cost the design wants, the rest should be small. Writes
`bench/results/signin-cost.md`. Run with `make bench-signin`.
"""

from __future__ import annotations

import itertools
import os
import platform
import statistics
import time

from harness import cpu_model, drop_database, on_scratch_postgres, write_report

DATABASE = "taxgov_bench_signin"
on_scratch_postgres("identity", DATABASE, static=True)

import pyotp  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from taxgov.common.mfa.models import FactorKind, SecondFactor  # noqa: E402
from taxgov.common.security.hashers import TunedArgon2PasswordHasher  # noqa: E402
from taxgov.identity.accounts.models import User  # noqa: E402

PEOPLE = 40  # one sign-in each: an authenticator code is accepted once, and limits count per account
WARM_UP = 5
PASSWORD = "correct horse battery staple 42"  # noqa: S105 (a benchmark's own account)


def make_people() -> list[tuple[User, str]]:
    people = []
    for number in range(PEOPLE + WARM_UP):
        user = User.objects.create_user(
            email=f"bench{number}@example.test", password=PASSWORD, email_confirmed_at=timezone.now()
        )
        secret = pyotp.random_base32()
        SecondFactor.objects.create(user=user, kind=FactorKind.TOTP, secret=secret, confirmed_at=timezone.now())
        people.append((user, secret))
    return people


# One client, as one server process loads its middleware once (a new test client would load
# it again, WhiteNoise's scan of every static file included); each sign-in starts with no cookies.
CLIENT = Client(HTTP_HOST="localhost")


STEPS = ("the sign-in page", "the email and password", "the authenticator-app page", "its code")


def sign_in(number: int, user: User, secret: str) -> tuple[list[float], float]:
    """CPU seconds of each of one person's four requests (from its own address), and the wall
    seconds of all four."""
    client = CLIENT
    client.cookies.clear()
    address = {"REMOTE_ADDR": f"10.0.{number // 250}.{number % 250 + 1}"}
    marks, wall = [time.process_time()], time.perf_counter()
    client.get(reverse("signin:sign_in"), **address)
    marks.append(time.process_time())
    answer = client.post(reverse("signin:sign_in"), {"email": user.email, "password": PASSWORD}, **address)
    marks.append(time.process_time())
    if answer.status_code != 302:
        raise RuntimeError(f"the password was not accepted: {answer.status_code}")
    client.get(answer["Location"], **address)
    marks.append(time.process_time())
    done = client.post(reverse("signin:verify"), {"code": pyotp.TOTP(secret).now()}, **address)
    marks.append(time.process_time())
    wall = time.perf_counter() - wall
    if done.status_code != 302 or "_auth_user_id" not in client.session:
        raise RuntimeError(f"the code did not sign in: {done.status_code}")
    return [after - before for before, after in itertools.pairwise(marks)], wall


def hash_cpu() -> list[float]:
    """One hash by the password hasher the accounts use, at the configured cost."""
    hasher = TunedArgon2PasswordHasher()
    hasher.encode("warm up", hasher.salt())
    times = []
    for _ in range(PEOPLE):
        began = time.process_time()
        hasher.encode(PASSWORD, hasher.salt())
        times.append(time.process_time() - began)
    return times


def main() -> None:
    people = make_people()
    for number, (user, secret) in enumerate(people[:WARM_UP]):
        sign_in(number, user, secret)
    measured = [sign_in(number, user, secret) for number, (user, secret) in enumerate(people) if number >= WARM_UP]
    sign_in_cpu = statistics.median(sum(steps) for steps, _wall in measured)
    sign_in_wall = statistics.median(wall for _steps, wall in measured)
    by_step = [statistics.median(steps[index] for steps, _wall in measured) for index in range(len(STEPS))]
    hashes = hash_cpu()
    one_hash = statistics.median(hashes)
    ratio = sign_in_cpu / one_hash
    cost = settings.TAXGOV_ARGON2
    report = [
        "# Sign-in CPU cost against one Argon2id hash",
        "",
        "Run with `make bench-signin` (`bench/signin_cost.py`). A full sign-in is the sign-in page, "
        "the email and password, the authenticator-app page and its code, through the identity "
        f"deployable's real URLs, middleware and views, in one process, on PostgreSQL; the median of "
        f"{PEOPLE} sign-ins (after {WARM_UP} to warm up), each a different account from its own address. "
        "CPU is the process's (`time.process_time`, every thread), so the database server's own work "
        "is not in it.",
        "",
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"Argon2id time cost {cost['time_cost']}, {cost['memory_cost_kib'] // 1024} MiB, "
        f"{cost['parallelism']} lanes.",
        f"- Measured on {timezone.now():%Y-%m-%d}.",
        "",
        "| Measure | Value |",
        "| --- | ---: |",
        f"| One Argon2id hash, CPU | {one_hash * 1000:.1f} ms |",
        f"| One full sign-in, CPU | {sign_in_cpu * 1000:.1f} ms |",
        f"| One full sign-in, wall time | {sign_in_wall * 1000:.1f} ms |",
        f"| **Sign-in CPU ÷ hash CPU** (goal 1.15 or less) | **{ratio:.2f}** |",
        "",
        "Where the CPU goes, request by request (medians):",
        "",
        "| Request | CPU |",
        "| --- | ---: |",
        *[f"| {step} | {cpu * 1000:.1f} ms |" for step, cpu in zip(STEPS, by_step, strict=True)],
        "",
        "The password request is one Argon2id verification and little else. The code request is "
        "the heaviest of the rest: it spends the code's time step, records two audit events (the "
        "second step, then the completed sign-in), each under the audit chain's lock, and replaces "
        "the anonymous session with a new one.",
        "",
    ]
    write_report(
        "signin-cost.md",
        report,
        {"ratio": round(ratio, 3), "sign_in_cpu_ms": sign_in_cpu * 1000, "hash_cpu_ms": one_hash * 1000},
    )
    drop_database(DATABASE)


if __name__ == "__main__":
    main()
