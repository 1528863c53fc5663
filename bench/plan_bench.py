"""Planner benchmark: plans per second and p50/p99 ms per plan over random valid profiles
with histories, and the cold start of `lumbo plan --json` as a fresh process.

Run: .venv/bin/python bench/plan_bench.py [--plans 2000] [--cold 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.domain.model import History, ItemLog, Profile, SessionLog
from lumbo.domain.words import AREAS, EQUIPMENT, LEVELS
from lumbo.services import decide

START = dt.date(2026, 11, 23)


def random_profile(rng: random.Random) -> Profile:
    now = rng.randint(0, 8)
    return Profile(
        pain_now=now,
        pain_worst_week=rng.randint(now, 10),
        duration_weeks=rng.randint(0, 200),
        tight_areas=rng.sample(AREAS, rng.randint(0, 5)),
        equipment=rng.sample(EQUIPMENT, rng.randint(0, 8)),
        minutes_per_day=rng.randint(5, 60),
        days_per_week=rng.randint(1, 7),
        level=rng.choice(LEVELS),
        desk_hours_per_day=rng.randint(0, 12),
    )


def random_history(rng: random.Random, slugs: list[str]) -> History:
    sessions = [
        SessionLog(
            date=START - dt.timedelta(days=rng.randint(1, 60)),
            pain_before=rng.randint(0, 6),
            pain_after=rng.randint(0, 6),
            items=[
                ItemLog(exercise=slug, variation=slug, rating=rng.choice(["easy", "right", "right", "hard", "pain"]))
                for slug in rng.sample(slugs, 6)
            ],
        )
        for _ in range(rng.randint(0, 30))
    ]
    return History(sessions=sessions)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def bench_plans(count: int) -> None:
    catalogue = default_catalogue()
    rng = random.Random(7)
    slugs = sorted(entry.id for entry in catalogue)
    cases = [(random_profile(rng), random_history(rng, slugs)) for _ in range(count)]
    timings: list[float] = []
    began = time.perf_counter()
    for person, history in cases:
        t0 = time.perf_counter()
        decide(person, history, START, 7, catalogue)
        timings.append((time.perf_counter() - t0) * 1000)
    total = time.perf_counter() - began
    print(f"plans: {count}, {count / total:.0f} plans/s, p50 {statistics.median(timings):.2f} ms, "
          f"p99 {percentile(timings, 0.99):.2f} ms (7-day plans, histories of 0-30 sessions)")


def bench_cold(runs: int) -> None:
    profile = Path(__file__).parents[1] / "examples" / "profile.json"
    lumbo = Path(sys.executable).with_name("lumbo")
    timings: list[float] = []
    with tempfile.TemporaryDirectory():
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([str(lumbo), "plan", "--profile", str(profile), "--json"], check=True,
                           stdout=subprocess.DEVNULL)
            timings.append((time.perf_counter() - t0) * 1000)
    print(f"cold `lumbo plan --json`: {runs} runs, median {statistics.median(timings):.0f} ms, "
          f"min {min(timings):.0f} ms, max {max(timings):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--cold", type=int, default=15)
    args = parser.parse_args()
    bench_plans(args.plans)
    if args.cold > 0:
        bench_cold(args.cold)


if __name__ == "__main__":
    main()
