"""Lighthouse (mobile preset) on the plan page and the session player of a seeded `lumbo serve`.

Starts `lumbo serve` on a free port with a throwaway SQLite file, saves a profile through the
JSON API (the same as tests/e2e/test_plan_mobile.py, with 8 desk hours and three tight
areas, so the week is full), opens today's session, then runs Lighthouse from npm with
Debian's chromium against ``/plan`` and ``/session/{id}`` and prints the performance and
accessibility scores and Total Blocking Time. Targets (issue 11): performance >= 95, TBT
< 200 ms, accessibility 100.

Lighthouse comes from ``bench/node`` (``npm install`` there; its node_modules are not
committed); when it is missing, this script runs that install first. Nothing is fetched by
the app itself.

Example::

    .venv/bin/python bench/lighthouse.py --runs 3
    .venv/bin/python bench/lighthouse.py --keep-reports   # HTML reports in bench/lighthouse-out/
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
NODE = HERE / "node"
LIGHTHOUSE = NODE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PROFILE = {
    "pain_now": 3,
    "pain_worst_week": 5,
    "duration_weeks": 10,
    "tight_areas": ["hip_flexors", "glutes", "hamstrings"],
    "equipment": ["mat", "chair"],
    "minutes_per_day": 10,
    "days_per_week": 5,
    "desk_hours_per_day": 8,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=NODE, check=True
        )


def start_server(database: Path, port: int) -> subprocess.Popen[bytes]:
    lumbo = Path(sys.executable).with_name("lumbo")
    env = dict(os.environ, LUMBO_DATABASE_URL=f"sqlite:///{database}")
    process = subprocess.Popen(
        [str(lumbo), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("lumbo serve did not start")


def seed(base: str) -> str:
    """A profile and today's opened session: the player's address."""
    with httpx.Client(base_url=base) as api:
        api.post("/api/v1/screen", json={}).raise_for_status()
        api.put("/api/v1/profile", json=PROFILE).raise_for_status()
        opened = api.post("/api/v1/sessions", json={"date": dt.date.today().isoformat(), "session_index": 0})
        opened.raise_for_status()
        body = opened.json()
        session_id = body["session"]["id"] if "session" in body else body["id"]
        api.get("/plan").raise_for_status()  # warm the page cache, as a person's second visit
    return f"/session/{session_id}"


def lighthouse(url: str, report: Path) -> dict[str, float]:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--only-categories=performance,accessibility",
            "--form-factor=mobile",  # the default preset: Moto G Power, slow 4G, 4x CPU slowdown
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--output=json",
            "--output=html",
            f"--output-path={report}",
        ],
        check=True,
    )
    data = json.loads(report.with_suffix(".report.json").read_text())
    audits = data["audits"]
    return {
        "performance": round(100 * data["categories"]["performance"]["score"]),
        "accessibility": round(100 * data["categories"]["accessibility"]["score"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "bytes_kb": round(audits["total-byte-weight"]["numericValue"] / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (medians are printed)")
    parser.add_argument(
        "--keep-reports", action="store_true", help="keep the reports in bench/lighthouse-out/"
    )
    args = parser.parse_args()
    ensure_lighthouse()
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(Path(folder) / "lumbo.sqlite3", port)
        try:
            pages = {"plan": "/plan", "player": seed(base)}
            out = HERE / "lighthouse-out" if args.keep_reports else Path(folder)
            out.mkdir(exist_ok=True)
            print(f"{'page':8} {'perf':>5} {'a11y':>5} {'TBT ms':>7} {'LCP ms':>7} {'CLS':>6} {'KB':>5}")
            for name, path in pages.items():
                runs = [lighthouse(base + path, out / f"{name}-{n}") for n in range(args.runs)]
                median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
                print(
                    f"{name:8} {median['performance']:>5.0f} {median['accessibility']:>5.0f} "
                    f"{median['tbt_ms']:>7.0f} {median['lcp_ms']:>7.0f} {median['cls']:>6.3f} {median['bytes_kb']:>5.0f}"
                    + (f"   (perf runs: {[run['performance'] for run in runs]})" if args.runs > 1 else "")
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
