"""Planner benchmark: plans per second and p50/p99 ms per plan over random valid profiles
with histories, and the cold start of `lumbo plan --json` as a fresh process.

With ``--history-sessions N``: p50/p99 ms per plan for a person with N logged sessions (one
a day up to the day before the start), planned as the store does it: from the folded
progression state plus the last four weeks of logs (lumbo.services.folded), and, on a few
plans, by replaying the whole history (as every plan did before the folded state).

Run: .venv/bin/python bench/plan_bench.py [--plans 2000] [--cold 15] [--history-sessions N]
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
from lumbo.domain.catalogue import Catalogue
from lumbo.domain.model import History, ItemLog, Profile, SessionLog
from lumbo.domain.progression import Progression, horizon_after, settled_state
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


def long_history(catalogue: Catalogue, sessions: int, seed: int = 11) -> History:
    """``sessions`` daily sessions up to the day before START, six drills each at a step of
    their ladder, mostly rated right or easy, now and then hard, rarely pain. Built without
    validation (model_construct): 10,000 sessions take well under a second."""
    rng = random.Random(seed)
    families = sorted(
        entry.id
        for entry in catalogue
        if entry.family_id == entry.id and entry.category in {"activation", "strength", "mobility", "stretch"}
    )
    ladders = {family: catalogue.ladder(family) for family in families}
    logged = []
    for n in range(sessions):
        items = []
        for family in rng.sample(families, 6):
            chance = rng.random()
            rating = "pain" if chance < 0.01 else "hard" if chance < 0.06 else "easy" if chance < 0.5 else "right"
            items.append(
                ItemLog.model_construct(
                    exercise=family, variation=rng.choice(ladders[family]), completed=True, sets=None,
                    hold_seconds=None, reps=None, rating=rating, skipped=False,
                )
            )
        pain = rng.randint(1, 3)
        logged.append(
            SessionLog.model_construct(
                date=START - dt.timedelta(days=sessions - n), pain_before=pain, pain_after=pain, items=items
            )
        )
    return History.model_construct(sessions=logged)


def bench_history(count: int, sessions: int, replays: int) -> None:
    catalogue = default_catalogue()
    rng = random.Random(7)
    history = long_history(catalogue, sessions)
    # What the store keeps: the settled state per level (random profiles give no age), and
    # the sessions from its horizon on.
    settled: dict[str, Progression] = {
        level: settled_state(catalogue, history.sessions, level) for level in LEVELS
    }
    horizon = horizon_after(max(session.date for session in history.sessions))
    assert horizon is not None
    window = History.model_construct(sessions=[s for s in history.sessions if s.date >= horizon])
    people = [random_profile(rng) for _ in range(count)]
    timings: list[float] = []
    for person in people:
        t0 = time.perf_counter()
        decide(person, window, START, 7, catalogue, settled[person.level])
        timings.append((time.perf_counter() - t0) * 1000)
    print(f"history of {sessions} sessions, folded state + {len(window.sessions)} recent: {count} plans, "
          f"p50 {statistics.median(timings):.2f} ms, p99 {percentile(timings, 0.99):.2f} ms")
    if replays > 0:
        replayed: list[float] = []
        for person in people[:replays]:
            t0 = time.perf_counter()
            decide(person, history, START, 7, catalogue)
            replayed.append((time.perf_counter() - t0) * 1000)
        print(f"history of {sessions} sessions, full replay: {len(replayed)} plans, "
              f"p50 {statistics.median(replayed):.2f} ms, p99 {percentile(replayed, 0.99):.2f} ms")


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
    parser.add_argument("--history-sessions", type=int, default=None, metavar="N",
                        help="time plans for a person with N logged sessions (folded state + recent logs)")
    parser.add_argument("--replays", type=int, default=20, metavar="N",
                        help="with --history-sessions: also time N plans by full replay (0: none)")
    args = parser.parse_args()
    if args.history_sessions is not None:
        bench_history(args.plans, args.history_sessions, args.replays)
        return
    bench_plans(args.plans)
    if args.cold > 0:
        bench_cold(args.cold)


if __name__ == "__main__":
    main()
