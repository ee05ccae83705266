"""Issue 9's figures in one file: runs the benchmarks behind them one after another (nothing
else should run on the machine meanwhile), then writes ``bench/results/ratios.md`` from the
headline figures each wrote to ``bench/results/figures/``, every one against its goal.

    make bench-ratios                   # every benchmark, then the summary (about 75 minutes)
    bench/ratios.py --summary-only      # the summary of the figures already there

A benchmark that fails stops the run; the summary then says which figures are older than
this run (each line shows when and at what load it was measured).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness import ROOT, cpu_model, write_report

FIGURES = ROOT / "bench" / "results" / "figures"
# In the order they run: the long ones last, so a failure costs the least.
BENCHMARKS = ("signin-cost", "oidc-token", "federal-home", "load-test", "settlement", "ledger-scale")
TARGETS = {name: f"bench-{name.removesuffix('-cost').removesuffix('-test')}" for name in BENCHMARKS}


@dataclass(frozen=True)
class Ratio:
    """One line of the summary: a figure, how it reads, and whether it meets its goal."""

    benchmark: str
    measure: str
    goal: str
    value: Callable[[dict[str, Any]], str]
    met: Callable[[dict[str, Any]], bool]


RATIOS = (
    Ratio(
        "signin-cost",
        "Full sign-in (password + TOTP) CPU ÷ one Argon2id hash",
        "≤ 1.15",
        lambda f: f"{f['ratio']:.2f} ({f['sign_in_cpu_ms']:.0f} ms ÷ {f['hash_cpu_ms']:.0f} ms)",
        lambda f: f["ratio"] <= 1.15,
    ),
    Ratio(
        "oidc-token",
        "OIDC token endpoint requests/s ÷ panva oidc-provider's",
        "≥ 1.0",
        lambda f: f"{f['ratio']:.2f} ({f['ours_per_second']:.1f} ÷ {f['reference_per_second']:.1f} req/s)",
        lambda f: f["ratio"] >= 1.0,
    ),
    Ratio(
        "federal-home",
        "Federal home, 10 years x 200 transactions ÷ 1 transaction (time)",
        "≤ 1.2",
        lambda f: f"{f['time_ratio']:.2f} ({f['large_ms']:.1f} ms ÷ {f['small_ms']:.1f} ms)",
        lambda f: f["time_ratio"] <= 1.2,
    ),
    Ratio(
        "federal-home",
        "Federal home, queries for 2,000 transactions and for 1",
        "the same",
        lambda f: f"{f['large_queries']} and {f['small_queries']}",
        lambda f: f["large_queries"] == f["small_queries"],
    ),
    Ratio(
        "ledger-scale",
        "Federal home p95, 1,000,000 taxpayers (first visit of the day; again)",
        "≤ 30 ms",
        lambda f: (
            f"{f['home_first_p95_ms']:.1f} ms; {f['home_again_p95_ms']:.1f} ms ({f['transactions']:,} ledger entries)"
        ),
        lambda f: f["home_first_p95_ms"] <= 30,
    ),
    Ratio(
        "settlement",
        "Settlement of 1,000,000 scheduled payments on 2 cores",
        "≤ 300 s, exactly once",
        lambda f: f"{f['seconds']:.0f} s for {f['payments']:,}; exactly once: {'yes' if f['exactly_once'] else 'NO'}",
        lambda f: f["seconds"] <= 300 and f["exactly_once"],
    ),
    Ratio(
        "load-test",
        "Filing-season load test (sign-ins, homes, payments, state registrations)",
        "no errors",
        lambda f: (
            f"{f['users']} users, {f['per_second']:.1f} req/s, p50 {f['p50_ms']:.0f} / p95 {f['p95_ms']:.0f} / "
            f"p99 {f['p99_ms']:.0f} ms, {f['failures']} failed of {f['requests']:,}"
        ),
        lambda f: f["failures"] == 0,
    ),
)


def run_all() -> dt.datetime:
    began = dt.datetime.now(dt.UTC)
    for name in BENCHMARKS:
        print(f"=== make {TARGETS[name]} ===", flush=True)
        subprocess.run(["make", "--no-print-directory", TARGETS[name]], cwd=ROOT, check=True)
    return began


def summary(began: dt.datetime | None) -> list[str]:
    measured = {
        name: json.loads(path.read_text()) for name in BENCHMARKS if (path := FIGURES / f"{name}.json").exists()
    }
    lines = [
        "# Issue 9's benchmarks: every ratio against its goal",
        "",
        "Written by `make bench-ratios` (`bench/ratios.py`), which runs the benchmarks below one after "
        "another, then reads the headline figures each wrote to `bench/results/figures/`. Each benchmark's "
        "own file has its method, configuration and what limits it.",
        "",
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores.",
        f"- Summary written on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
        + (f"; the run began {began:%Y-%m-%d %H:%M} UTC." if began else " from the figures already there."),
        "",
        "| Measure | Goal | Measured | Met | Source, measured at (load average) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for ratio in RATIOS:
        found = measured.get(ratio.benchmark)
        source = f"[{ratio.benchmark}.md]({ratio.benchmark}.md)"
        if found is None:
            lines.append(f"| {ratio.measure} | {ratio.goal} | not measured yet | — | {source} |")
            continue
        at = dt.datetime.fromisoformat(found["measured_at"])
        stale = " (before this run)" if began and at < began else ""
        load = ", ".join(f"{value:.1f}" for value in found["load_average"])
        figures = found["figures"]
        lines.append(
            f"| {ratio.measure} | {ratio.goal} | {ratio.value(figures)} | {'yes' if ratio.met(figures) else '**no**'} "
            f"| {source}, {at:%Y-%m-%d %H:%M}{stale} ({load}) |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--summary-only", action="store_true", help="Do not run the benchmarks.")
    arguments = parser.parse_args()
    began = None if arguments.summary_only else run_all()
    write_report("ratios.md", summary(began))


if __name__ == "__main__":
    main()
