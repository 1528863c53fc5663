"""Exercise figures: load a pose file and draw it as a small, accessible SVG.

``render_svg(exercise_id)`` is used by the web app, the PDF handout and ``lumbo figure``.
The main key frame is drawn solid, the other frames faint, with curved arrows showing the
movement. ``animate=True`` adds CSS keyframes that move the body between its frames;
people who ask for reduced motion get the still figure.

Pose files live in ``lumbo/catalogue/poses/<id>.yaml`` (format: docs/figures.md).
"""

from __future__ import annotations

import difflib
import math
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from lumbo.domain.catalogue import Catalogue, CatalogueError
from lumbo.domain.pose import HEAD_RADIUS, Arrow, Frame, Point, Pose
from lumbo.reports.figure_props import FRONT_KINDS, LINE_KINDS, draw_prop, fmt, line_path, svg_y
from lumbo.reports.postures import posture

NEAR = "#1f4f7f"
FAR = "#9fbfdc"
ARROW = "#e0701f"
GHOST_OPACITY = 0.22
LIMB_WIDTH = 8
TRUNK_WIDTH = 12
PAD = 14.0
MIN_W, MIN_H = 160.0, 120.0  # keep small poses from being blown up too far
ASPECT = 4 / 3
CYCLE_SECONDS = 1.8  # per movement between two key frames


class FigureNotFound(LookupError):
    """No pose and no catalogue entry for this id; ``suggestions`` holds close ids."""

    def __init__(self, exercise_id: str, suggestions: list[str]) -> None:
        self.exercise_id = exercise_id
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no figure for exercise {exercise_id!r}{hint}")


class PoseFileError(ValueError):
    """A pose file is broken (bad YAML, unknown base posture, failed validation)."""


def poses_dir() -> Path:
    return Path(str(resources.files("lumbo") / "catalogue" / "poses"))


def pose_ids() -> list[str]:
    return sorted(path.stem for path in poses_dir().glob("*.yaml"))


def _read_raw(exercise_id: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    path = poses_dir() / f"{exercise_id}.yaml"
    if exercise_id in seen:
        raise PoseFileError(f"pose files refer to each other in a loop: {' -> '.join((*seen, exercise_id))}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise PoseFileError(f"{path.name}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise PoseFileError(f"{path.name}: a pose file must be a mapping")
    like = data.pop("like", None)
    if like is not None:
        if not (poses_dir() / f"{like}.yaml").is_file():
            raise PoseFileError(f"{path.name}: 'like: {like}' names no pose file")
        base = _read_raw(str(like), (*seen, exercise_id))
        base.update(data)  # top-level keys replace the base's
        data = base
    result: dict[str, Any] = data
    return result


def _expand_frames(data: dict[str, Any], name: str) -> None:
    frames = data.get("frames")
    if not isinstance(frames, list):
        return
    expanded = []
    for frame in frames:
        if isinstance(frame, dict) and "base" in frame:
            extra = dict(frame)
            try:
                merged = posture(str(extra.pop("base")))
            except KeyError as error:
                raise PoseFileError(f"{name}.yaml: {error.args[0]}") from None
            merged.update(extra)
            frame = merged
        expanded.append(frame)
    data["frames"] = expanded


#: Stand-in postures by catalogue position, used only while an entry has no pose file yet.
_FALLBACK = {
    "standing": "standing",
    "lying_on_back": "hooklying",
    "lying_on_front": "prone",
    "lying_on_side": "side_lying",
    "kneeling": "kneeling",
    "half_kneeling": "kneeling",
    "seated": "long_sitting",
    "quadruped": "quadruped",
    "hanging": "standing",
    "squatting": "squat",
}


def _catalogue() -> Catalogue | None:
    from lumbo.adapters.catalogue_files import default_catalogue

    try:
        return default_catalogue()
    except (CatalogueError, OSError, yaml.YAMLError):
        return None


@cache
def load_pose(exercise_id: str) -> Pose:
    """The validated pose of one exercise.

    An exercise of the catalogue without a pose file gets a generic posture for its
    position (the tests require a real pose file for every entry); any other id raises
    FigureNotFound with the closest known ids.
    """
    if not (poses_dir() / f"{exercise_id}.yaml").is_file():
        catalogue = _catalogue()
        entry = catalogue.get(exercise_id) if catalogue is not None else None
        if entry is None:
            known = set(pose_ids()) | set(catalogue.ids if catalogue is not None else ())
            raise FigureNotFound(exercise_id, difflib.get_close_matches(exercise_id, sorted(known), n=3))
        side_lying = entry.position == "lying_on_side"
        return Pose(
            id=exercise_id,
            view="front" if side_lying else "side",
            frames=[Frame.model_validate(posture(_FALLBACK[entry.position]))],
        )
    data = _read_raw(exercise_id)
    data["id"] = exercise_id
    _expand_frames(data, exercise_id)
    try:
        return Pose.model_validate(data)
    except ValidationError as error:
        raise PoseFileError(f"{exercise_id}.yaml: {error}") from None


def exercise_name(exercise_id: str) -> str:
    """The catalogue name, or a readable form of the id if the catalogue cannot say."""
    catalogue = _catalogue()
    entry = catalogue.get(exercise_id) if catalogue is not None else None
    return entry.name if entry is not None else exercise_id.replace("-", " ").capitalize()


# --- geometry -------------------------------------------------------------------------

_PARTS: tuple[tuple[str, tuple[str, ...], str, int], ...] = (
    # name, joints, colour, width; drawn in this order (far side first)
    ("leg-far", ("hip", "knee_far", "ankle_far", "toe_far"), FAR, LIMB_WIDTH),
    ("arm-far", ("shoulder", "elbow_far", "hand_far"), FAR, LIMB_WIDTH),
    ("trunk", ("hip", "waist", "shoulder"), NEAR, TRUNK_WIDTH),
    ("neck", ("shoulder", "head"), NEAR, 6),
    ("leg-near", ("hip", "knee_near", "ankle_near", "toe_near"), NEAR, LIMB_WIDTH),
    ("arm-near", ("shoulder", "elbow_near", "hand_near"), NEAR, LIMB_WIDTH),
)


def _part_path(joints: dict[str, Point], names: tuple[str, ...]) -> str:
    return line_path([joints[name] for name in names])


def _arrow_path(arrow: Arrow, pose: Pose, frames: list[dict[str, Point]]) -> tuple[str, list[Point]] | None:
    """The curve (SVG path data) and arrow-head points of one arrow."""
    dx, dy = (-arrow.offset[0], arrow.offset[1]) if pose.mirror else arrow.offset
    if arrow.joint is not None:
        start = frames[arrow.start][arrow.joint]
        stop = frames[arrow.start if arrow.circle is not None else arrow.stop][arrow.joint]
    else:
        assert arrow.points is not None
        start, stop = arrow.points
        if pose.mirror:
            start, stop = (-start[0], start[1]), (-stop[0], stop[1])
    start, stop = (start[0] + dx, start[1] + dy), (stop[0] + dx, stop[1] + dy)
    if arrow.circle is not None:
        return _circle_arrow(start, arrow.circle, arrow.curve >= 0)
    length = math.dist(start, stop)
    if length < 4:
        return None
    curve = -arrow.curve if pose.mirror else arrow.curve
    nx, ny = -(stop[1] - start[1]) / length, (stop[0] - start[0]) / length
    control = ((start[0] + stop[0]) / 2 + nx * curve * length, (start[1] + stop[1]) / 2 + ny * curve * length)
    d = f"M{fmt(start[0])} {fmt(svg_y(start[1]))} Q{fmt(control[0])} {fmt(svg_y(control[1]))} {fmt(stop[0])} {fmt(svg_y(stop[1]))}"
    heads = [_head(control, stop)]
    if arrow.both_ends:
        heads.append(_head(control, start))
    return d + "".join(heads), [start, stop, control]


def _circle_arrow(centre: Point, radius: float, counter: bool) -> tuple[str, list[Point]]:
    sweep_from, sweep_to = (200.0, 500.0) if counter else (500.0, 200.0)
    steps = 24
    points = [
        (
            centre[0] + radius * math.cos(math.radians(sweep_from + (sweep_to - sweep_from) * i / steps)),
            centre[1] + radius * math.sin(math.radians(sweep_from + (sweep_to - sweep_from) * i / steps)),
        )
        for i in range(steps + 1)
    ]
    box = [(centre[0] - radius, centre[1] - radius), (centre[0] + radius, centre[1] + radius)]
    return line_path(points) + _head(points[-3], points[-1]), box


def _head(towards_from: Point, tip: Point) -> str:
    """A small open V at ``tip``, pointing away from ``towards_from``."""
    angle = math.atan2(tip[1] - towards_from[1], tip[0] - towards_from[0])
    wings = []
    for turn in (2.6, -2.6):
        wings.append((tip[0] + 7 * math.cos(angle + turn), tip[1] + 7 * math.sin(angle + turn)))
    return f" M{fmt(wings[0][0])} {fmt(svg_y(wings[0][1]))} L{fmt(tip[0])} {fmt(svg_y(tip[1]))} L{fmt(wings[1][0])} {fmt(svg_y(wings[1][1]))}"


def _view_box(points: list[Point]) -> tuple[float, float, float, float]:
    """x, y (SVG, y down), width and height of a 4:3 box around the points and the floor."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points] + [-8.0]
    left, right = min(xs) - PAD, max(xs) + PAD
    bottom, top = min(ys) - PAD / 2, max(ys) + PAD
    width, height = max(right - left, MIN_W), max(top - bottom, MIN_H)
    width, height = max(width, height * ASPECT), max(height, width / ASPECT)
    centre_x = (left + right) / 2
    # keep the floor near the bottom edge: grow upwards
    return centre_x - width / 2, svg_y(bottom + height), width, height


def body_points(pose: Pose) -> list[Point]:
    """Every point the body covers in every frame (joints, and the head's extent)."""
    points: list[Point] = []
    for index in range(len(pose.frames)):
        joints = pose.joints(index)
        points.extend(joints.values())
        hx, hy = joints["head"]
        points.extend([(hx - HEAD_RADIUS, hy - HEAD_RADIUS), (hx + HEAD_RADIUS, hy + HEAD_RADIUS)])
    return points


def _attached(pose: Pose, frames: list[dict[str, Point]], index: int, frame: int) -> Point | None:
    prop = pose.props[index]
    return frames[frame][prop.attach] if prop.attach is not None else None


# --- SVG ------------------------------------------------------------------------------


def _body(joints: dict[str, Point], face: float | None, mirror: bool, css: str) -> list[str]:
    out = []
    for name, names, colour, width in _PARTS:
        out.append(
            f'<path class="{css}{name}" d="{_part_path(joints, names)}" fill="none" stroke="{colour}" '
            f'stroke-width="{width}" stroke-linecap="round" stroke-linejoin="round"/>'
        )
        if name == "neck":
            hx, hy = joints["head"]
            eye = ""
            if face is not None:
                angle = math.radians(180 - face if mirror else face)
                ex, ey = 5.5 * math.cos(angle), 5.5 * math.sin(angle)
                eye = f'<circle cx="{fmt(ex)}" cy="{fmt(svg_y(ey))}" r="1.8" fill="#ffffff"/>'
            out.append(
                f'<g class="{css}head" transform="translate({fmt(hx)} {fmt(svg_y(hy))})">'
                f'<circle r="{fmt(HEAD_RADIUS)}" fill="{NEAR}"/>{eye}</g>'
            )
    return out


def _animation_css(uid: str, pose: Pose, frames: list[dict[str, Point]]) -> str:
    count = len(frames)
    duration = CYCLE_SECONDS * (count - 1)
    rules = [f".{uid} .lf-ghost,.{uid} .lf-arrows{{display:none}}"]
    keyframes = []

    def stops(values: list[str]) -> str:
        return "".join(f"{fmt(100 * i / (count - 1))}%{{{value}}}" for i, value in enumerate(values))

    for name, names, _colour, _width in _PARTS:
        values = [f'd:path("{_part_path(joints, names)}")' for joints in frames]
        keyframes.append(f"@keyframes {uid}-{name}{{{stops(values)}}}")
        rules.append(
            f".{uid} .lf-m-{name}{{animation:{uid}-{name} {fmt(duration)}s ease-in-out infinite alternate}}"
        )
    head = [f"transform:translate({fmt(j['head'][0])}px,{fmt(svg_y(j['head'][1]))}px)" for j in frames]
    keyframes.append(f"@keyframes {uid}-head{{{stops(head)}}}")
    rules.append(f".{uid} .lf-m-head{{animation:{uid}-head {fmt(duration)}s ease-in-out infinite alternate}}")
    main = pose.main_index
    for index, prop in enumerate(pose.props):
        if prop.attach is None:
            continue
        if prop.kind in LINE_KINDS:
            anchor = (-prop.at[0], prop.at[1]) if pose.mirror else prop.at
            values = [f'd:path("{line_path([anchor, j[prop.attach]])}")' for j in frames]
        else:
            mx, my = frames[main][prop.attach]
            values = [
                f"transform:translate({fmt(j[prop.attach][0] - mx)}px,{fmt(my - j[prop.attach][1])}px)"
                for j in frames
            ]
        keyframes.append(f"@keyframes {uid}-prop{index}{{{stops(values)}}}")
        rules.append(
            f".{uid} .lf-prop{index}{{animation:{uid}-prop{index} {fmt(duration)}s ease-in-out infinite alternate}}"
        )
    inner = "".join(rules) + "".join(keyframes)
    return f"<style>@media (prefers-reduced-motion:no-preference){{{inner}}}</style>"


def frame_count(exercise_id: str) -> int:
    """How many key frames the exercise's figure has (1 for a still pose)."""
    return len(load_pose(exercise_id).frames)


def render_svg(
    exercise_id: str,
    *,
    width: int = 320,
    title: str | None = None,
    animate: bool = False,
    side: str | None = None,
    frame: int | None = None,
) -> str:
    """The exercise's figure as a standalone SVG document (also fine inline in HTML).

    Raises FigureNotFound for an id without a pose file (with close matches) and
    PoseFileError for a broken pose file.
    """
    pose = load_pose(exercise_id)
    if side == "right":
        pose = pose.model_copy(update={"mirror": not pose.mirror})
    if frame is not None:
        pose = pose.model_copy(update={"frames": [pose.frames[frame]], "main": 0, "arrows": []})
    name = title if title is not None else exercise_name(exercise_id)
    frames = [pose.joints(index) for index in range(len(pose.frames))]
    main = pose.main_index
    front_view = pose.view == "front"
    uid = "lf-" + exercise_id
    animated = animate and len(frames) > 1

    back: list[str] = []
    front: list[str] = []
    points = body_points(pose)
    for index, prop in enumerate(pose.props):
        joint = frames[main][prop.attach] if prop.attach is not None else None
        parts, covered = draw_prop(prop, mirror=pose.mirror, joint=joint, front_view=front_view)
        for frame in range(len(frames)):  # attached props travel with their joint
            moved = _attached(pose, frames, index, frame)
            if moved is not None and joint is not None:
                covered = covered + [
                    (p[0] + moved[0] - joint[0], p[1] + moved[1] - joint[1]) for p in covered
                ]
        points.extend(covered)
        group = f'<g class="lf-prop lf-prop-{prop.kind}{" lf-prop" + str(index) if prop.attach and prop.kind not in LINE_KINDS else ""}">'
        if prop.attach and prop.kind in LINE_KINDS:
            parts = [
                part.replace('class="lf-prop-line"', f'class="lf-prop-line lf-prop{index}"') for part in parts
            ]
        (front if prop.kind in FRONT_KINDS else back).append(group + "".join(parts) + "</g>")

    arrows: list[str] = []
    for arrow in pose.arrows:
        drawn = _arrow_path(arrow, pose, frames)
        if drawn is not None:
            path, covered = drawn
            points.extend(covered)
            arrows.append(
                f'<path d="{path}" fill="none" stroke="{ARROW}" stroke-width="2.5" '
                'stroke-linecap="round" stroke-linejoin="round"/>'
            )

    vx, vy, vw, vh = _view_box(points)
    height = round(width * vh / vw)
    ghosts = ["".join(_body(frames[i], None, pose.mirror, "lf-g-")) for i in range(len(frames)) if i != main]
    body = _body(frames[main], pose.frames[main].face, pose.mirror, "lf-m-")
    label = escape(f"Figure: {name}", quote=True)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lumbo-figure {uid}" role="img" '
        f'aria-label="{label}" viewBox="{fmt(vx)} {fmt(vy)} {fmt(vw)} {fmt(vh)}" '
        f'width="{width}" height="{height}">',
        f"<title>{escape(name)}</title>",
    ]
    if animated:
        out.append(_animation_css(uid, pose, frames))
    floor_y = svg_y(0)
    out.append(
        f'<rect x="{fmt(vx)}" y="{fmt(floor_y)}" width="{fmt(vw)}" height="{fmt(vy + vh - floor_y)}" fill="#eef1f4"/>'
        f'<line class="lf-floor" x1="{fmt(vx)}" y1="{fmt(floor_y)}" x2="{fmt(vx + vw)}" y2="{fmt(floor_y)}" '
        'stroke="#8795a3" stroke-width="2"/>'
    )
    out.extend(back)
    if ghosts:
        out.append(f'<g class="lf-ghost" opacity="{GHOST_OPACITY}">{"".join(ghosts)}</g>')
    out.append(f'<g class="lf-body">{"".join(body)}</g>')
    out.extend(front)
    if arrows:
        out.append(f'<g class="lf-arrows">{"".join(arrows)}</g>')
    out.append("</svg>")
    return "\n".join(out)
