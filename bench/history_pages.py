"""Page times against history length: does a page cost more after years of use?

    .venv/bin/python bench/history_pages.py                       # 10, 100, 1000 and 10000 sessions
    .venv/bin/python bench/history_pages.py --sessions 1000 --runs 9 --path /progress

For each N, a fresh SQLite store (in a temporary folder) gets a profile and N finished
sessions, one a day up to the day before the bench's "today", six exercises each (the same
generated history as ``plan_bench.py --history-sessions``, stored through an import). Then
each page is fetched in-process (Starlette's TestClient, a fixed clock) once untimed and
``--runs`` times timed; the median and the maximum are printed, with the response size.

The pages a person opens every day (/plan, /session, /progress, the API's progress) should
cost about the same at 10 and at 10,000 sessions; `/progress?weeks=all` and the exports read
everything on purpose and are there for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plan_bench import START, long_history

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import open_database
from lumbo.config import Settings
from lumbo.services import records

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["/plan", "/session", "/progress", "/api/v1/progress", "/progress?weeks=all", "/api/v1/sessions"]
TODAY = START


def export_of(sessions: int) -> dict[str, Any]:
    """An export document: the example profile and ``sessions`` finished daily sessions."""
    import json

    history = long_history(default_catalogue(), sessions)
    profile = json.loads((ROOT / "examples" / "profile.json").read_text())
    first = history.sessions[0].date
    saved = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(8), tzinfo=dt.UTC)
    stored = []
    for session in history.sessions:
        at = dt.datetime.combine(session.date, dt.time(18), tzinfo=dt.UTC)
        stored.append({
            "id": uuid.uuid4().hex,
            "date": session.date.isoformat(),
            "started_at": at.isoformat(),
            "finished_at": (at + dt.timedelta(minutes=20)).isoformat(),
            "pain_before": session.pain_before,
            "pain_after": session.pain_after,
            "items": [
                {
                    "position": position,
                    "logged_at": (at + dt.timedelta(minutes=position)).isoformat(),
                    "item": item.model_dump(mode="json", exclude_defaults=True),
                }
                for position, item in enumerate(session.items)
            ],
        })
    return {
        "format": "lumbo-export",
        "version": 1,
        "exported_at": dt.datetime.combine(TODAY, dt.time(7), tzinfo=dt.UTC).isoformat(),
        "profile": profile,
        "profile_history": [{"version": 1, "saved_at": saved.isoformat(), "profile": profile}],
        "sessions": stored,
    }


def bench(sessions: int, paths: list[str], runs: int) -> None:
    from fastapi.testclient import TestClient

    from lumbo.web.app import create_app

    folder = tempfile.mkdtemp(prefix="lumbo-history-pages-")
    url = f"sqlite:///{folder}/lumbo.sqlite3"
    database = open_database(url)
    records.import_document(database.unit_of_work(), export_of(sessions))
    clock = FixedClock(dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC))
    app = create_app(Settings(database_url=url), clock=clock, database=database)
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        for path in paths:
            answer = client.get(path)
            if answer.status_code != 200:
                raise SystemExit(f"{path}: {answer.status_code} {answer.text[:200]}")
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                answer = client.get(path)
                times.append(time.perf_counter() - started)
            print(
                f"{sessions:>6} sessions  {path:<24} median {statistics.median(times) * 1000:8.1f} ms"
                f"  max {max(times) * 1000:8.1f} ms  {len(answer.content) / 1024:8.0f} KB",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--path", action="append", help="a page to time (repeatable; default: a set)")
    parser.add_argument("--runs", type=int, default=7, help="timed fetches per page (default 7)")
    options = parser.parse_args()
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    for sessions in options.sessions:
        bench(sessions, options.path or PATHS, options.runs)
    print(f"load average after:  {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
