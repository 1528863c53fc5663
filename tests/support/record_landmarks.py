"""Record the world landmarks lumbo's real pose model gives on synthetic clips, as test fixtures.

Each clip (``tests.support.fake_video``) is written as a y4m, run frame by frame through the
vendored model in headless chromium (``tests.support.browser_pose.track``), subsampled to
about ten frames a second and saved as compact JSON::

    {"clip": ..., "fps": 10, "rule": "<exercise id>", "side": null | "left",
     "expected": {...}, "frames": [[t_ms, [[x, y, z, visibility] x 33] | null], ...]}

``expected`` comes from the clip's own timeline (when the hips start to sag, how many reps it
shows), never from running the coach. The compiled rules the fixtures need are written to
``rules.json`` next to them (tests/unit/test_recorded_rules_current.py keeps it current)::

    .venv/bin/python -m tests.support.record_landmarks tests/js/fixtures
    .venv/bin/python -m tests.support.record_landmarks tests/js/fixtures --rules-only
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.fake_video import Clip, bridge_clip, plank_clip, side_plank_clip

#: Frames a second kept in a fixture (the clips play at fake_video.FPS).
KEEP_FPS = 10
RULES_FILE = "rules.json"


@dataclass(frozen=True)
class Recording:
    """One fixture: a clip, the rule it is checked with and what its timeline shows."""

    name: str
    rule: str
    side: str | None
    make: Callable[[], Clip]
    expected: dict[str, Any]


# Timings (seconds) of the shortened clips, so each fixture stays under ~150 KB.
PLANK_LEAD, PLANK_GOOD, PLANK_BAD = 1.0, 4.0, 5.0
BRIDGE_LEAD, BRIDGE_UP, BRIDGE_TOP, BRIDGE_DOWN, BRIDGE_REST = 1.5, 1.2, 0.8, 1.2, 0.8
SIDE_LEAD, SIDE_GOOD, SIDE_MOVE, SIDE_BAD = 1.0, 4.0, 1.5, 5.0


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _plank(sag: float) -> Recording:
    # plank_clip: hold good (lead + good), move to the sag over 1 s, hold it, move back over 1 s, hold 2 s.
    sag_starts = PLANK_LEAD + PLANK_GOOD
    expected: dict[str, Any] = {
        "fault": "hips-sag",
        "sag_degrees": sag,
        "straight_until_ms": _ms(sag_starts),
        "fault_after_ms": _ms(sag_starts),
        "sag_full_from_ms": _ms(sag_starts + 1.0),
        "sag_full_until_ms": _ms(sag_starts + 1.0 + PLANK_BAD),
        "straight_again_from_ms": _ms(sag_starts + 1.0 + PLANK_BAD + 1.0),
        "in_position_all_along": sag <= 10,
    }
    if sag > 10:
        expected["say"] = "Back into position."
    return Recording(
        name=f"forearm-plank-sag-{sag:g}",
        rule="forearm-plank",
        side=None,
        make=lambda: plank_clip(sag, good_seconds=PLANK_GOOD, bad_seconds=PLANK_BAD, lead_seconds=PLANK_LEAD),
        expected=expected,
    )


def _bridge(reps: int) -> Recording:
    rep = BRIDGE_UP + BRIDGE_TOP + BRIDGE_DOWN + BRIDGE_REST
    tops = [
        [_ms(BRIDGE_LEAD + k * rep + BRIDGE_UP), _ms(BRIDGE_LEAD + k * rep + BRIDGE_UP + BRIDGE_TOP)]
        for k in range(reps)
    ]
    return Recording(
        name=f"glute-bridge-{reps}-reps",
        rule="glute-bridge",
        side=None,
        make=lambda: bridge_clip(
            reps,
            up_seconds=BRIDGE_UP,
            top_seconds=BRIDGE_TOP,
            down_seconds=BRIDGE_DOWN,
            rest_seconds=BRIDGE_REST,
            lead_seconds=BRIDGE_LEAD,
        ),
        expected={"reps": reps, "tops_ms": tops, "ends_ms": _ms(BRIDGE_LEAD + reps * rep + 2.0)},
    )


def _side_plank(drop: float) -> Recording:
    drop_starts = SIDE_LEAD + SIDE_GOOD
    return Recording(
        name=f"side-plank-drop-{drop:g}",
        rule="side-plank",
        side="left",
        make=lambda: side_plank_clip(
            drop, good_seconds=SIDE_GOOD, bad_seconds=SIDE_BAD, lead_seconds=SIDE_LEAD
        ),
        expected={
            "fault": "hips-drop",
            "drop_degrees": drop,
            "straight_until_ms": _ms(drop_starts),
            "fault_after_ms": _ms(drop_starts),
            "drop_full_from_ms": _ms(drop_starts + SIDE_MOVE),
            "ends_ms": _ms(drop_starts + SIDE_MOVE + SIDE_BAD),
        },
    )


RECORDINGS: tuple[Recording, ...] = (_bridge(3), _plank(10.0), _plank(25.0), _side_plank(20.0))


def compiled_rules(ids: Sequence[str]) -> dict[str, Any]:
    """The rules ``camera_rules`` compiles today for the exercises ``ids``."""
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.domain.camera import camera_rules
    from lumbo.drawing.figures import load_pose

    rules = camera_rules(default_catalogue(), load_pose)
    return {rule_id: rules[rule_id] for rule_id in sorted(set(ids))}


def rules_text(ids: Sequence[str]) -> str:
    """rules.json's text: the compiled rules, sorted, indented, ending in a newline."""
    return json.dumps(compiled_rules(ids), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def kept(times_ms: Sequence[float], source_fps: float, keep_fps: float = KEEP_FPS) -> list[int]:
    """Indices of the frames kept to make about ``keep_fps`` frames a second."""
    out: list[int] = []
    last = -1
    for index, _ in enumerate(times_ms):
        slot = int(index * keep_fps // source_fps)
        if slot != last:
            out.append(index)
            last = slot
    return out


def compact(world: Sequence[dict[str, float]] | None) -> list[list[float]] | None:
    if world is None:
        return None
    return [
        [round(p["x"], 3), round(p["y"], 3), round(p["z"], 3), round(p.get("visibility", 0.0), 2)]
        for p in world
    ]


def record(page: Any, recording: Recording, folder: Path) -> dict[str, Any]:
    from tests.support.browser_pose import track

    clip = recording.make()
    video = clip.write(folder / f"{recording.name}.y4m")
    try:
        frames = track(page, video)
    finally:
        video.unlink()
    indices = kept([f.t for f in frames], clip.fps)
    return {
        "clip": recording.name,
        "fps": KEEP_FPS,
        "source_fps": clip.fps,
        "rule": recording.rule,
        "side": recording.side,
        "expected": recording.expected,
        "frames": [[round(frames[k].t), compact(frames[k].world)] for k in indices],
    }


def main(argv: Sequence[str] | None = None) -> None:  # pragma: no cover - a recording tool
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--rules-only", action="store_true", help="only rewrite rules.json (no browser)")
    args = parser.parse_args(argv)
    out: Path = args.outdir
    out.mkdir(parents=True, exist_ok=True)
    (out / RULES_FILE).write_text(rules_text([r.rule for r in RECORDINGS]), encoding="utf-8")
    print(f"wrote {out / RULES_FILE}")
    if args.rules_only:
        return

    from tests.support.browser_pose import lumbo_page

    with tempfile.TemporaryDirectory(prefix="record-landmarks-") as tmp, lumbo_page() as page:
        for recording in RECORDINGS:
            data = record(page, recording, Path(tmp))
            path = out / f"{recording.name}.json"
            path.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
            found = sum(world is not None for _, world in data["frames"])
            print(
                f"wrote {path}: {path.stat().st_size // 1024} KB, {found}/{len(data['frames'])} frames with a person"
            )


if __name__ == "__main__":
    main()
