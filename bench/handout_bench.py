"""Handout benchmark: how long a 7-day and a 28-day PDF handout take to build.

Warm: in one process, one build first (imports, catalogue, figures, fonts), then the median
of ``--runs`` builds (wall and CPU time). Cold: ``lumbo handout`` as a fresh process, the
way the command line runs it (median of ``--cold`` runs). The load average is printed
before and after, because the machines are shared.

A build is ``lumbo.reports.handout.handout_pdf``: the plan's HTML (week tick sheets, safety
box, cards with figures, lessons, suggestions, progress charts) and WeasyPrint's PDF.

Run: .venv/bin/python bench/handout_bench.py [--runs 5] [--cold 3] [--paper a4]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lumbo.domain.model import History, ItemLog, Profile, SessionLog
from lumbo.services import decide

START = dt.date(2026, 3, 2)


def profile() -> Profile:
    """A desk worker with three tight areas: a full week with a desk-break session each day."""
    return Profile(
        age=38,
        pain_now=3,
        pain_worst_week=5,
        duration_weeks=10,
        tight_areas=["hip_flexors", "hamstrings", "pecs"],
        equipment=["mat", "ball", "chair", "wall"],
        minutes_per_day=15,
        days_per_week=5,
        desk_hours_per_day=8,
    )


def history(end: dt.date = START) -> History:
    """Twelve sessions over the four weeks before ``end``, so the progress section is drawn
    (it covers the 12 weeks up to the day the handout is made)."""
    return History(
        sessions=[
            SessionLog(
                date=end - dt.timedelta(days=28 - 2 * n),
                pain_before=6 - n // 3,
                pain_after=5 - n // 3,
                items=[ItemLog(exercise="forearm-plank", hold_seconds=15 + 2 * n, rating="right")],
            )
            for n in range(12)
        ]
    )


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def warm(days: int, runs: int, paper: str) -> tuple[float, float, float, int, int]:
    from lumbo.reports.handout import handout_pdf

    person, past = profile(), history()
    decision = decide(person, past, START, days)

    def build() -> bytes:
        return handout_pdf(decision, history=past, paper=paper, today=START, profile=person)  # type: ignore[arg-type]

    started = time.perf_counter()
    pdf = build()
    first = time.perf_counter() - started
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        build()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return first, statistics.median(walls), statistics.median(cpus), pages, len(pdf)


def cold(days: int, runs: int, paper: str) -> float:
    lumbo = Path(sys.executable).with_name("lumbo")
    with tempfile.TemporaryDirectory() as folder:
        profile_file = Path(folder) / "profile.json"
        profile_file.write_text(profile().model_dump_json())
        history_file = Path(folder) / "history.json"
        # `lumbo handout` makes the handout today: its progress section shows the 12 weeks before.
        history_file.write_text(history(dt.date.today()).model_dump_json())
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [str(lumbo), "handout", "--profile", str(profile_file), "--history", str(history_file),
                 "--start", START.isoformat(), "--days", str(days), "--paper", paper,
                 "-o", str(Path(folder) / "plan.pdf"), "--force"],
                check=True, stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="warm builds per plan length (median)")
    parser.add_argument("--cold", type=int, default=3, help="fresh `lumbo handout` processes (0: skip)")
    parser.add_argument("--paper", choices=["a4", "letter"], default="a4")
    args = parser.parse_args()
    print(f"load average at start: {load()}")
    for days in (7, 28):
        first, wall, cpu, pages, size = warm(days, args.runs, args.paper)
        line = (f"{days:>2}-day handout: first build {first:.2f} s, median of {args.runs} {wall:.2f} s "
                f"(CPU {cpu:.2f} s), {pages} pages, {size // 1024} KB")
        if args.cold:
            line += f"; cold `lumbo handout` median of {args.cold}: {cold(days, args.cold, args.paper):.2f} s"
        print(line, flush=True)
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
