"""What one Argon2id password hash costs on this machine at candidate parameters, to choose
``TAXGOV_ARGON2`` (ADR 0014). Writes `bench/results/argon2.md`. Run with `make bench-argon2`."""

from __future__ import annotations

import os
import platform
import statistics
import time

from argon2 import PasswordHasher
from harness import cpu_model, write_report

RUNS = 15
CANDIDATES = [
    # (time cost, memory KiB, lanes, where the setting comes from)
    (2, 19 * 1024, 1, "OWASP minimum"),
    (1, 46 * 1024, 1, "OWASP alternative"),
    (2, 100 * 1024, 8, "Django 5.2 default"),
    (3, 64 * 1024, 4, "RFC 9106 second recommendation (chosen)"),
    (3, 64 * 1024, 2, "RFC 9106 memory, 2 lanes"),
    (1, 2 * 1024 * 1024, 4, "RFC 9106 first recommendation (2 GiB)"),
]


def median_ms(hasher: PasswordHasher) -> float:
    hasher.hash("warm up")
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        hasher.hash("correct horse battery staple")
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def main() -> None:
    cpu = cpu_model()
    rows = []
    for time_cost, memory, lanes, source in CANDIDATES:
        milliseconds = median_ms(PasswordHasher(time_cost=time_cost, memory_cost=memory, parallelism=lanes))
        rows.append(f"| {time_cost} | {memory // 1024} MiB | {lanes} | {milliseconds:.0f} | {source} |")
    report = [
        "# Argon2id cost",
        "",
        "Run with `make bench-argon2` (`bench/argon2_cost.py`): the median of "
        f"{RUNS} hashes of one password with argon2-cffi, in one process.",
        "",
        f"- Machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}.",
        "",
        "| Time cost | Memory | Lanes | Milliseconds per hash | Setting |",
        "| ---: | ---: | ---: | ---: | --- |",
        *rows,
        "",
    ]
    write_report("argon2.md", report)


if __name__ == "__main__":
    main()
