"""The camera coach's pose tracker in headless chromium, fed a video file as a fake camera.

Starts `lumbo serve` on a free port with a throwaway SQLite file, opens Debian's chromium
(headless, CPU only) with a fake camera that plays ``--video FILE.y4m`` (640x480 I420, looped),
loads lumbo's welcome page (so lumbo's real CSP and Permissions-Policy apply), imports
``/static/camera/tracker.js`` in it and tracks for ``--seconds`` after ``--warmup``, ``--runs``
times (a fresh page each run). Without ``--video`` it plays a synthetic person doing glute
bridges (lumbo's own mannequin, drawn by ``tests/support/fake_video.py``, written to a
temporary file). Each frame also goes through the camera coach (``rules.js``, with the glute
bridge's rule), as in the player. Prints, per run and as the median of the runs: frames per
second sustained, median and p95 model time per frame, frame-to-landmarks latency,
frame-to-decision latency (landmarks plus the coach: what a spoken cue waits for), the share
of frames with a person found, start-up time (bundle + wasm + model), the page's timer jitter
(a 100 ms interval's p95 lateness: does the player's timer stutter?), the browser's CPU share
(all chromium processes, from /proc, as a share of the machine's cores) and the load average.
Targets (issue 13): >= 10 fps sustained at 640x480 (stretch 15), frame-to-cue latency < 200 ms.

A y4m file is a header line and raw I420 frames; make one from any clip, e.g. with ffmpeg
(``ffmpeg -i in.mp4 -vf scale=640:480 -pix_fmt yuv420p out.y4m``) or OpenCV. Keep it out
of git (large). Nothing is fetched from the network; every request is checked to stay on the
server.

Example::

    .venv/bin/python bench/camera_bench.py                # the synthetic bridges
    .venv/bin/python bench/camera_bench.py --video /tmp/person.y4m
    .venv/bin/python bench/camera_bench.py --video /tmp/person.y4m --fps 30 --runs 1 --seconds 10
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# bench/ is this script's folder, so it is on sys.path: the same server start as Lighthouse.
from lighthouse import free_port, start_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Runs in the page: camera on, tracker started, samples kept on window.__bench.
START_JS = """
async ({ fps, base, worker, rule }) => {
  const jitter = [];
  let expected = performance.now() + 100;
  const timer = setInterval(() => {
    const now = performance.now();
    jitter.push(Math.max(0, now - expected));
    expected = now + 100;
  }, 100);
  const bench = { samples: [], measuring: false, jitter, timer };
  window.__bench = bench;
  const { openCamera, startTracker } = await import("/static/camera/tracker.js");
  const { CameraCoach } = await import("/static/camera/rules.js");
  const coach = new CameraCoach(rule);
  bench.coach = coach;
  const video = document.createElement("video");
  video.width = 640;
  video.height = 480;
  document.body.append(video);
  const opened = performance.now();
  bench.stream = await openCamera(video);
  bench.tracker = await startTracker(video, {
    fps,
    worker,
    ...(base ? { base } : {}),
    onFrame: (frame) => {
      const before = performance.now();
      coach.update(frame.t, frame.world);
      const decided = frame.latencyMs + (performance.now() - before);
      if (bench.measuring) bench.samples.push([frame.ms, frame.latencyMs, frame.world !== null, frame.t, decided]);
    },
  });
  return { startupMs: performance.now() - opened, width: video.videoWidth, height: video.videoHeight };
}
"""
MEASURE_JS = "() => { window.__bench.samples = []; window.__bench.jitter.length = 0; window.__bench.measuring = true; }"
STOP_JS = """
() => {
  const bench = window.__bench;
  bench.measuring = false;
  clearInterval(bench.timer);
  bench.tracker.stop();
  for (const track of bench.stream.getTracks()) track.stop();
  return { samples: bench.samples, jitter: bench.jitter, stats: bench.tracker.stats() };
}
"""


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def chromium_ticks() -> int:
    """CPU time (clock ticks, user + system) of every chromium process started by this script."""
    tree = _children()
    total = 0
    pending = list(tree.get(os.getpid(), []))
    while pending:
        pid = pending.pop()
        pending.extend(tree.get(pid, []))
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if "chrom" in comm:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def bridge_rule() -> dict[str, Any]:
    """The glute bridge's compiled camera rule, as the session page gives it."""
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.domain.camera import camera_rules
    from lumbo.drawing.figures import load_pose

    rule: dict[str, Any] = camera_rules(default_catalogue(), load_pose)["glute-bridge"]
    return rule


def synthetic_video(folder: Path) -> Path:
    """Eight glute bridges by lumbo's mannequin, as a y4m file in ``folder``."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for tests.support
    from tests.support.fake_video import bridge_clip

    return bridge_clip(8).write(folder / "bridges.y4m")


def one_run(
    browser: Any,
    base: str,
    fps: int,
    warmup: float,
    seconds: float,
    vendor: str | None,
    worker: bool,
    rule: dict[str, Any],
) -> dict[str, Any]:
    context = browser.new_context(base_url=base, viewport={"width": 800, "height": 600})
    context.grant_permissions(["camera"], origin=base)
    outside: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    answer = page.goto("/")
    assert answer is not None and "wasm-unsafe-eval" in answer.headers["content-security-policy"]
    started = page.evaluate(START_JS, {"fps": fps, "base": vendor, "worker": worker, "rule": rule})
    time.sleep(warmup)
    page.evaluate(MEASURE_JS)
    ticks_before, wall_before = chromium_ticks(), time.monotonic()
    time.sleep(seconds)
    ticks_after, wall_after = chromium_ticks(), time.monotonic()
    result = page.evaluate(STOP_JS)
    context.close()
    if outside:
        raise SystemExit(f"requests left the machine: {outside}")
    samples = result["samples"]
    if len(samples) < 2:
        raise SystemExit(f"no frames were tracked; page errors: {errors}")
    span_s = (samples[-1][3] - samples[0][3]) / 1000
    cpu_seconds = (ticks_after - ticks_before) / CLOCK_TICKS
    return {
        "fps": (len(samples) - 1) / span_s,
        "median_ms": statistics.median(sample[0] for sample in samples),
        "p95_ms": percentile([sample[0] for sample in samples], 0.95),
        "latency_median_ms": statistics.median(sample[1] for sample in samples),
        "latency_p95_ms": percentile([sample[1] for sample in samples], 0.95),
        "decision_median_ms": statistics.median(sample[4] for sample in samples),
        "decision_p95_ms": percentile([sample[4] for sample in samples], 0.95),
        "found_share": sum(1 for sample in samples if sample[2]) / len(samples),
        "startup_ms": started["startupMs"],
        "jitter_p95_ms": percentile(result["jitter"], 0.95),
        "jitter_max_ms": max(result["jitter"], default=float("nan")),
        "cpu_share": cpu_seconds / (wall_after - wall_before) / (os.cpu_count() or 1),
        "video": f"{started['width']}x{started['height']}",
        "errors": errors,
    }


FIGURES = [
    ("fps", "frames/s sustained", "{:.1f}"),
    ("median_ms", "model ms/frame, median", "{:.1f}"),
    ("p95_ms", "model ms/frame, p95", "{:.1f}"),
    ("latency_median_ms", "frame-to-landmarks ms, median", "{:.1f}"),
    ("latency_p95_ms", "frame-to-landmarks ms, p95", "{:.1f}"),
    ("decision_median_ms", "frame-to-decision ms (+ coach), median", "{:.1f}"),
    ("decision_p95_ms", "frame-to-decision ms (+ coach), p95", "{:.1f}"),
    ("found_share", "frames with a person", "{:.0%}"),
    ("startup_ms", "start-up ms (camera + bundle + wasm + model)", "{:.0f}"),
    ("jitter_p95_ms", "100 ms timer lateness, p95", "{:.1f}"),
    ("jitter_max_ms", "100 ms timer lateness, max", "{:.1f}"),
    ("cpu_share", "chromium CPU, share of all cores", "{:.0%}"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--video", type=Path, help="a 640x480 I420 .y4m file (looped); default: synthetic glute bridges"
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds tracked before measuring")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--fps", type=int, default=12, help="the tracker's frame cap (the player's default is 12)"
    )
    parser.add_argument(
        "--inline", action="store_true", help="run the model on the page's main thread, not in a worker"
    )
    parser.add_argument(
        "--vendor", help="another vendored tasks-vision folder to try, e.g. /static/vendor/NAME-VERSION"
    )
    args = parser.parse_args()
    if args.video is not None and not args.video.is_file():
        raise SystemExit(f"{args.video} is not a file")
    rule = bridge_rule()

    from playwright.sync_api import sync_playwright

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        video = args.video if args.video is not None else synthetic_video(Path(folder))
        server = start_server(Path(folder) / "lumbo.sqlite3", port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={video.resolve()}"],
                )
                runs = [
                    one_run(
                        browser, base, args.fps, args.warmup, args.seconds, args.vendor, not args.inline, rule
                    )
                    for _ in range(args.runs)
                ]
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    load_end = os.getloadavg()

    print(
        f"video {video.name} ({runs[0]['video']}), cap {args.fps} fps, "
        f"model {'on the main thread' if args.inline else 'in a worker'}, {args.runs} runs of {args.seconds:g} s"
    )
    print(
        f"{'figure':46} "
        + " ".join(f"{'run ' + str(i + 1):>8}" for i in range(len(runs)))
        + f" {'median':>8}"
    )
    for key, label, fmt in FIGURES:
        values = [run[key] for run in runs]
        cells = " ".join(f"{fmt.format(value):>8}" for value in values)
        print(f"{label:46} {cells} {fmt.format(statistics.median(values)):>8}")
    print(
        f"load average (1 min): {load_start[0]:.2f} at start, {load_end[0]:.2f} at end; {os.cpu_count()} cores"
    )
    # MediaPipe prints its "INFO: Created TensorFlow Lite XNNPACK delegate" line as an error.
    errors = sorted(
        {message[:200] for run in runs for message in run["errors"] if not message.startswith("INFO:")}
    )
    if errors:
        print("page errors and console errors:", *errors, sep="\n  ")


if __name__ == "__main__":
    main()
