"""What identity verification costs on this CPU: reading a card's back and a passport page,
one face match, and a whole self-service decision through the pages (documents, selfie,
records, phone, password). Writes `bench/results/idv.md`. Run with `make bench-idv`."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

from harness import ROOT, cpu_model, write_report

sys.path.insert(0, str(ROOT))
os.environ.setdefault("TAXGOV_DEPLOYABLE", "identity")
os.environ.setdefault("TAXGOV_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.identity")
RUNS = 7


def median_ms(work: Callable[[], object], runs: int = RUNS) -> float:
    work()  # warm up: models load once per process
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def main() -> None:
    import django

    django.setup()
    from taxgov.identity.verification.documents.barcode import read_card_back
    from taxgov.identity.verification.documents.passport import read_passport_page
    from taxgov.identity.verification.faces import Turn, compare, find_face, judge_liveness
    from tests.support.documents import (
        SAMPLE_ELEMENTS,
        card_back_photo,
        card_file,
        challenge_frames,
        passport_page_photo,
        passport_zone,
        sample_face,
    )

    today = dt.date(2026, 11, 21)
    back_level = card_back_photo(card_file(SAMPLE_ELEMENTS))
    back_turned = card_back_photo(card_file(SAMPLE_ELEMENTS), angle=-13)
    page = passport_page_photo(passport_zone(), angle=4, blur=1.0, jpeg=70)
    face = sample_face("astronaut")
    portrait = face.convert("L").convert("RGB").resize((256, 256))
    frames = challenge_frames(face, Turn.LEFT.value, frames=6)
    rows = [
        ("card back, level (1400x900)", median_ms(lambda: read_card_back(back_level))),
        ("card back, turned 13° (skew estimated)", median_ms(lambda: read_card_back(back_turned))),
        ("passport page, 4°, blurred, JPEG 70 (tesseract)", median_ms(lambda: read_passport_page(page, today=today))),
        ("one face found and described (512x512)", median_ms(lambda: find_face(face))),
        ("face match: portrait and selfie", median_ms(lambda: compare(find_face(portrait), find_face(face)))),
        ("liveness: six frames judged", median_ms(lambda: judge_liveness(frames, Turn.LEFT), runs=3)),
    ]
    cpu = cpu_model()
    whole = sum(ms for name, ms in rows if not name.startswith(("card back, level", "one face", "passport")))
    report = [
        "# Identity verification cost",
        "",
        f"Run with `make bench-idv` (`bench/idv_decisions.py`): the median of {RUNS} runs (3 for liveness) "
        "in one process, after one warm-up run that loads the models. Test material as the tests make it.",
        "",
        f"- Machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}.",
        f"- Date: {dt.date.today().isoformat()}.",  # noqa: DTZ011
        "",
        "| Work | Milliseconds |",
        "| --- | ---: |",
        *(f"| {name} | {ms:.0f} |" for name, ms in rows),
        "",
        f"A whole self-service decision with a licence (a turned card back, the portrait match and the "
        f"liveness frames) costs about {whole:.0f} ms of CPU; the records, phone and password checks add "
        "a few milliseconds of database work, and Argon2 (bench/results/argon2.md) about 90 ms.",
        "",
    ]
    write_report("idv.md", report)


if __name__ == "__main__":
    main()
