"""Run lumbo's vendored pose model in headless chromium on a y4m video, frame by frame.

The page is any lumbo page (its real CSP applies); the model runs in lumbo's own
``/static/camera/pose_worker.js``, with the same options the player uses. Frames are not
played by a fake camera here but handed over one by one (each frame of the y4m is served to
the page by Playwright, converted from I420 as chromium converts a camera's frames, and given
to the model with the frame's own time), so every frame is measured and the numbers repeat
from run to run. ``coach`` then feeds those landmarks to ``/static/camera/rules.js``'s
``CameraCoach`` in the same page.

Calibration from the command line (starts lumbo and chromium itself)::

    .venv/bin/python -m tests.support.browser_pose
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, serve_command

FRAME_PATH = "/__test-frames/"
Landmark = dict[str, float]

# Loads the model into a fresh pose worker (a new video starts with no tracking history).
LOAD_JS = """
async () => {
  if (window.__pose) window.__pose.worker.terminate();
  const worker = new Worker("/static/camera/pose_worker.js");
  let waiting = null;
  worker.onmessage = ({ data }) => { const w = waiting; waiting = null; w && w(data); };
  const ask = (message, transfer = []) => new Promise((resolve) => {
    waiting = resolve;
    worker.postMessage(message, transfer);
  });
  const { VENDOR_BASE } = await import("/static/camera/tracker.js");
  const ready = await ask({ kind: "load", base: new URL(VENDOR_BASE, location.href).href });
  if (ready.kind !== "ready") throw new Error(ready.message);
  window.__pose = { ask, worker };
  return true;
}
"""

# Every frame: fetch its I420 bytes, convert to RGBA (BT.601, limited range, as chromium shows
# a camera's I420), hand it to the model with the frame's own time.
TRACK_JS = """
async ({ count, width, height, fps, path }) => {
  const out = [];
  const rgba = new Uint8ClampedArray(width * height * 4);
  const clamp = (v) => (v < 0 ? 0 : v > 255 ? 255 : v);
  for (let k = 0; k < count; k += 1) {
    const data = new Uint8Array(await (await fetch(`${path}${k}`)).arrayBuffer());
    const ySize = width * height;
    const cSize = ySize / 4;
    for (let row = 0; row < height; row += 1) {
      for (let col = 0; col < width; col += 1) {
        const c = (row >> 1) * (width >> 1) + (col >> 1);
        const y = 1.164 * (data[row * width + col] - 16);
        const u = data[ySize + c] - 128;
        const v = data[ySize + cSize + c] - 128;
        const at = 4 * (row * width + col);
        rgba[at] = clamp(y + 1.596 * v);
        rgba[at + 1] = clamp(y - 0.392 * u - 0.813 * v);
        rgba[at + 2] = clamp(y + 2.017 * u);
        rgba[at + 3] = 255;
      }
    }
    const frame = await createImageBitmap(new ImageData(rgba, width, height));
    const t = (k * 1000) / fps;
    const answer = await window.__pose.ask({ kind: "frame", frame, t }, [frame]);
    if (answer.kind === "error") throw new Error(answer.message);
    out.push({ t, world: answer.world, ms: answer.ms });
  }
  return out;
}
"""

COACH_JS = """
async ({ rule, frames, options }) => {
  const { CameraCoach } = await import("/static/camera/rules.js");
  const coach = new CameraCoach(rule, options);
  const outputs = frames.map(({ t, world }) => ({ t, ...coach.update(t, world) }));
  return { outputs, summary: coach.summary() };
}
"""


@dataclass(frozen=True)
class Tracked:
    """One frame's answer from the model: time (ms), world landmarks (None: nobody found)."""

    t: float
    world: list[Landmark] | None
    ms: float


def _y4m_frames(path: Path) -> tuple[int, int, int, list[bytes]]:
    from tests.support.fake_video import read_y4m

    header, frames = read_y4m(path)
    fps = header["F"].split(":")
    return int(header["W"]), int(header["H"]), round(int(fps[0]) / int(fps[1])), frames


def load_model(page: Any) -> None:
    """Start the pose model in a fresh copy of lumbo's pose worker on ``page`` (a page of the
    lumbo server); a worker left from an earlier video is stopped."""
    page.evaluate(LOAD_JS)


def track(page: Any, video: Path) -> list[Tracked]:
    """The model's world landmarks for every frame of ``video`` (a y4m), in order."""
    width, height, fps, frames = _y4m_frames(video)

    def serve(route: Any) -> None:
        index = int(route.request.url.rsplit("/", 1)[1])
        route.fulfill(status=200, body=frames[index], headers={"content-type": "application/octet-stream"})

    pattern = f"**{FRAME_PATH}*"
    page.route(pattern, serve)
    try:
        load_model(page)
        answers = page.evaluate(
            TRACK_JS, {"count": len(frames), "width": width, "height": height, "fps": fps, "path": FRAME_PATH}
        )
    finally:
        page.unroute(pattern)
    return [Tracked(t=a["t"], world=a["world"], ms=a["ms"]) for a in answers]


def coach(
    page: Any,
    rule: dict[str, Any],
    frames: Sequence[Tracked],
    *,
    side: str | None = None,
    cue_gap_ms: float = 4000,
    lost_ms: float = 1000,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Feed tracked frames to rules.js's CameraCoach in ``page``: every frame's output
    (with its time ``t``) and the summary."""
    result = page.evaluate(
        COACH_JS,
        {
            "rule": rule,
            "frames": [{"t": f.t, "world": f.world} for f in frames],
            "options": {"side": side, "cueGapMs": cue_gap_ms, "lostMs": lost_ms},
        },
    )
    return result["outputs"], result["summary"]


# --- measures on tracked frames (Python side, the same definitions as rules.js) ---------------
def measured(
    frames: Sequence[Tracked], kind: str, points: list[str], side: Literal["left", "right"] = "left"
) -> list[float | None]:
    """A measure on every tracked frame (None where nobody was found)."""
    from lumbo.domain.landmarks import measure, resolve_point

    names = [resolve_point(name, side) for name in points]
    return [None if f.world is None else measure(kind, names, f.world) for f in frames]


# --- a server and a browser for the command line ---------------------------------------------
@contextmanager
def lumbo_page() -> Iterator[Any]:
    """A chromium page on a fresh ``lumbo serve`` (nothing may leave the machine)."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, LUMBO_DATABASE_URL=f"sqlite:///{Path(folder) / 'lumbo.sqlite3'}")
        server = subprocess.Popen(
            [*serve_command(), "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(url + "/", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("lumbo serve did not start")
                time.sleep(0.2)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                context = browser.new_context(base_url=url)
                context.route(
                    "**/*",
                    lambda route: route.continue_() if route.request.url.startswith(url) else route.abort(),
                )
                page = context.new_page()
                page.goto("/")
                yield page
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


def _stats(values: Sequence[float | None]) -> str:
    found = [v for v in values if v is not None]
    if not found:
        return "nobody found"
    ordered = sorted(found)
    p10, p90 = ordered[len(ordered) // 10], ordered[(9 * len(ordered)) // 10]
    return f"median {statistics.median(found):+6.1f}  p10 {p10:+6.1f}  p90 {p90:+6.1f}  n={len(found)}"


def main() -> None:  # pragma: no cover - a calibration tool
    from lumbo.adapters.catalogue_files import load_catalogue
    from lumbo.domain.camera import camera_rules
    from lumbo.drawing.figures import load_pose
    from tests.support.fake_video import bridge_clip, plank_clip, side_plank_clip

    rules = camera_rules(load_catalogue(), load_pose)
    out = Path(tempfile.mkdtemp(prefix="browser-pose-"))
    with lumbo_page() as page:
        for name, clip, rule_id, side in (
            ("plank sag 0", plank_clip(0.0), "forearm-plank", None),
            ("plank sag 10", plank_clip(10.0), "forearm-plank", None),
            ("plank sag 25", plank_clip(25.0), "forearm-plank", None),
            ("bridge x8", bridge_clip(8), "glute-bridge", None),
            ("side plank drop 20", side_plank_clip(20.0), "side-plank", "left"),
        ):
            video = clip.write(out / f"{name.replace(' ', '-')}.y4m")
            frames = track(page, video)
            rule = rules[rule_id]
            print(f"== {name}: {sum(f.world is not None for f in frames)}/{len(frames)} frames with a person")
            for measure_name, spec in rule["measures"].items():
                values = measured(frames, spec["kind"], spec["points"], "left")
                print(f"   {measure_name:8} {_stats(values)}")
            outputs, summary = coach(page, rule, frames, side=side)
            print(f"   summary {summary}; reps {outputs[-1]['reps']}")
            for o in outputs:
                if o["say"]:
                    print(f"   {o['t'] / 1000:6.2f}s say {o['say']!r}")
            video.unlink()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
