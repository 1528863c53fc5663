"""Exercise figures: load a 3-D pose file and draw it as a small, accessible SVG.

``render_svg(exercise_id)`` is used by the web app, the PDF handout and ``lumbo figure``.
The main key frame is drawn solid, the other frames faint, with curved arrows showing the
movement. ``animate=True`` adds CSS keyframes that move the body between its frames;
people who ask for reduced motion get the still figure. ``side="right"`` draws the mirror
image (the other side working); ``frame=k`` draws key frame k alone.

Pose files live in ``lumbo/catalogue/poses/<id>.yaml``; named base postures in
``lumbo/catalogue/postures.yaml`` (format: docs/figures.md).
"""

from __future__ import annotations

import difflib
from functools import cache, lru_cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from lumbo.domain.body import Side, Vec, other_side
from lumbo.domain.pose import Pose, ResolvedFrame, mirror_prop, mirrored_frames, resolve
from lumbo.domain.props import anchor
from lumbo.drawing.mannequin import (
    ARROW,
    ASPECT,
    FACE,
    FLOOR_FILL,
    FLOOR_LINE,
    GHOST,
    GHOST_OPACITY,
    LINE_TONES,
    PAD,
    PALETTE,
    PROP_TONES,
    STROKE,
    Camera,
    Part,
    arrow_path,
    body_parts,
    floor_quad,
    fmt,
    ordered,
    prop_drawing,
    scene_shapes,
)

CYCLE_SECONDS = 1.8  # per movement between two key frames


class FigureNotFound(LookupError):
    """No pose file for this id; ``suggestions`` holds close ids."""

    def __init__(self, exercise_id: str, suggestions: list[str]) -> None:
        self.exercise_id = exercise_id
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no figure for exercise {exercise_id!r}{hint}")


class PoseFileError(ValueError):
    """A pose file is broken (bad YAML, unknown base posture, failed validation)."""


def catalogue_dir() -> Path:
    return Path(str(resources.files("lumbo") / "catalogue"))


def poses_dir() -> Path:
    return catalogue_dir() / "poses"


def pose_ids() -> list[str]:
    return sorted(path.stem for path in poses_dir().glob("*.yaml"))


@cache
def postures() -> dict[str, dict[str, Any]]:
    """The named base postures (``base: hooklying`` in a pose file)."""
    data = yaml.safe_load((catalogue_dir() / "postures.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise PoseFileError("postures.yaml: must be a mapping of names to frames")
    return data


def merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``extra`` laid over ``base``: mappings merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and "reach" not in value:
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


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
    _contact_keys(data)
    like = data.pop("like", None)
    if like is not None:
        if not (poses_dir() / f"{like}.yaml").is_file():
            raise PoseFileError(f"{path.name}: 'like: {like}' names no pose file")
        base = _read_raw(str(like), (*seen, exercise_id))
        base.update(data)  # top-level keys replace the base's
        data = base
    result: dict[str, Any] = data
    return result


def _contact_keys(data: dict[Any, Any]) -> None:
    """YAML 1.1 reads a bare ``on`` key as true: give contacts their ``on`` back."""
    contacts = data.get("contacts")
    if isinstance(contacts, list):
        for contact in contacts:
            if isinstance(contact, dict) and True in contact and "on" not in contact:
                contact["on"] = contact.pop(True)


def _expand_frames(data: dict[str, Any], name: str) -> None:
    frames = data.get("frames")
    if not isinstance(frames, list):
        return
    expanded = []
    for frame in frames:
        if isinstance(frame, dict) and "base" in frame:
            extra = dict(frame)
            base_name = str(extra.pop("base"))
            if base_name not in postures():
                known = ", ".join(sorted(postures()))
                raise PoseFileError(f"{name}.yaml: unknown base posture {base_name!r} (known: {known})")
            frame = merged(postures()[base_name], extra)
        expanded.append(frame)
    data["frames"] = expanded


@cache
def load_pose(exercise_id: str) -> Pose:
    """The validated pose of one exercise; FigureNotFound (with close ids) when there is none."""
    if not (poses_dir() / f"{exercise_id}.yaml").is_file():
        raise FigureNotFound(exercise_id, difflib.get_close_matches(exercise_id, pose_ids(), n=3))
    data = _read_raw(exercise_id)
    data["id"] = exercise_id
    _expand_frames(data, exercise_id)
    try:
        return Pose.model_validate(data)
    except ValidationError as error:
        raise PoseFileError(f"{exercise_id}.yaml: {error}") from None


@cache
def resolved(exercise_id: str, side: Side | None = None) -> tuple[ResolvedFrame, ...]:
    """Every key frame as joint angles and a skeleton; ``side`` other than the pose's working
    side gives the mirror image."""
    pose = load_pose(exercise_id)
    try:
        frames = [resolve(frame) for frame in pose.frames]
    except ValueError as error:
        raise PoseFileError(f"{exercise_id}.yaml: {error}") from None
    if _mirrors(pose, side):
        frames = mirrored_frames(frames)
    return tuple(frames)


def _mirrors(pose: Pose, side: Side | None) -> bool:
    return side is not None and side != (pose.working or "left")


def frame_count(exercise_id: str) -> int:
    """How many key frames the exercise's figure has (1 for a still pose)."""
    return len(load_pose(exercise_id).frames)


def exercise_name(exercise_id: str) -> str:
    """The catalogue name, or a readable form of the id if the catalogue cannot say."""
    from lumbo.adapters.catalogue_files import default_catalogue

    try:
        entry = default_catalogue().get(exercise_id)
    except Exception:
        entry = None
    return entry.name if entry is not None else exercise_id.replace("-", " ").capitalize()


def working_limbs(pose: Pose, side: Side | None) -> set[str]:
    if pose.working is None:
        return set()
    working = pose.working
    if _mirrors(pose, side):
        working = other_side(working)
    return {f"{working}.{limb}" for limb in pose.highlight}


def render_svg(
    exercise_id: str,
    *,
    width: int = 320,
    title: str | None = None,
    animate: bool = False,
    side: Side | None = None,
    frame: int | None = None,
) -> str:
    """The exercise's figure as a standalone SVG document (also fine inline in HTML)."""
    return _render(exercise_id, width, title, animate, side, frame)


@lru_cache(maxsize=1024)
def _render(
    exercise_id: str, width: int, title: str | None, animate: bool, side: Side | None, frame: int | None
) -> str:
    pose = load_pose(exercise_id)
    frames = list(resolved(exercise_id, side))
    props = [mirror_prop(p) for p in pose.props] if _mirrors(pose, side) else list(pose.props)
    azimuth, elevation = pose.view
    if _mirrors(pose, side):
        azimuth = 180.0 - azimuth
    camera = Camera.at(azimuth, elevation)
    main = pose.main_index
    arrows = list(pose.arrows)
    if frame is not None:
        frames = [frames[frame]]
        main, arrows = 0, []
    name = title if title is not None else exercise_name(exercise_id)
    working = working_limbs(pose, side)
    skeletons = [f.skeleton for f in frames]
    per_frame = [body_parts(s, camera, working) for s in skeletons]
    order = [part.name for part in ordered(per_frame[main])]
    uid = "lf-" + exercise_id + ("-r" if _mirrors(pose, side) else "")
    animated = animate and len(frames) > 1

    points: list[tuple[float, float]] = []
    for parts in per_frame:
        for part in parts:
            for loop in part.loops:
                points.extend(loop)
    # Props: drawn once from the main frame; those that follow a joint move with it.
    drawn_props: list[tuple[float, str]] = []
    moving: dict[str, list[str]] = {}
    shape_lists = [scene_shapes(props, s) for s in skeletons]
    floor_points: list[Vec] = [p for s in skeletons for p in s.joints.values()]
    for k, shape in enumerate(shape_lists[main]):
        drawing = prop_drawing(shape, camera)
        css = f"{uid}-p{k}"
        for other in (prop_drawing(lists[k], camera) for lists in shape_lists):
            points.extend(point for loop in other.loops for point in loop)
            moving.setdefault(css, []).append(other.d)
        if drawing.line:
            element = (
                f'<path class="{css}" d="{drawing.d}" fill="none" stroke="{LINE_TONES[drawing.tone]}" '
                'stroke-width="2.2" stroke-linecap="round"/>'
            )
        else:
            fill, stroke = PROP_TONES[drawing.tone]
            element = (
                f'<path class="{css}" d="{drawing.d}" fill="{fill}" stroke="{stroke}" stroke-width="{STROKE}" '
                'stroke-linejoin="round"/>'
            )
        layer = -1e6 if drawing.tone == "mat" else drawing.depth
        drawn_props.append((layer, element))
        floor_points.append(anchor(shape))
    # The floor reaches past the picture on every side: the view frames the body and its
    # props, not the floor (SVG clips what lies outside the view box).
    floor = floor_quad(floor_points, camera, margin=150.0)

    arrow_elements = []
    for arrow in arrows:
        drawn = arrow_path(arrow, skeletons, camera)
        if drawn is not None:
            path, covered = drawn
            points.extend(covered)
            arrow_elements.append(path)

    vx, vy, vw, vh = _view_box(points)
    height = round(width * vh / vw)
    label = escape(f"Figure: {name}", quote=True)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lumbo-figure {uid}" role="img" '
        f'aria-label="{label}" viewBox="{fmt(vx)} {fmt(vy)} {fmt(vw)} {fmt(vh)}" '
        f'width="{width}" height="{height}">',
        f"<title>{escape(name)}</title>",
    ]
    if animated:
        out.append(_animation_css(uid, per_frame, order, moving, len(frames)))
    out.append(
        f'<path class="lf-floor" d="M{"L".join(f"{fmt(x)} {fmt(y)}" for x, y in floor)}Z" fill="{FLOOR_FILL}" '
        f'stroke="{FLOOR_LINE}" stroke-width="1"/>'
    )
    by_name = {part.name: part for part in per_frame[main]}
    body = [(by_name[n].depth, _part_element(by_name[n], uid)) for n in order]
    scene = sorted(drawn_props + body, key=lambda item: item[0])
    ghosts = [i for i in range(len(frames)) if i != main]
    if ghosts:
        ghost_d = "".join(part.d for i in ghosts for part in per_frame[i] if part.name != "face")
        out.append(f'<path class="lf-ghost" d="{ghost_d}" fill="{GHOST}" opacity="{GHOST_OPACITY}"/>')
    out.extend(element for _, element in scene)
    if arrow_elements:
        out.append(
            f'<path class="lf-arrows" d="{"".join(arrow_elements)}" fill="none" stroke="{ARROW}" '
            'stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _part_element(part: Part, uid: str) -> str:
    if part.tone == "face":
        return f'<path class="{uid}-{part.name}" d="{part.d}" fill="{FACE}"/>'
    fill, stroke = PALETTE[part.tone]
    return (
        f'<path class="{uid}-{part.name} lf-{part.tone}" d="{part.d}" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{STROKE}" stroke-linejoin="round"/>'
    )


def _animation_css(
    uid: str, per_frame: list[list[Part]], order: list[str], moving: dict[str, list[str]], count: int
) -> str:
    duration = fmt(CYCLE_SECONDS * (count - 1))
    rules = [f".{uid} .lf-ghost,.{uid} .lf-arrows{{display:none}}"]
    keyframes = []

    def stops(values: list[str]) -> str:
        return "".join(f"{fmt(100 * i / (count - 1))}%{{d:path(\"{value}\")}}" for i, value in enumerate(values))

    for name in order:
        values = [next(p.d for p in parts if p.name == name) for parts in per_frame]
        keyframes.append(f"@keyframes {uid}-{name}{{{stops(values)}}}")
        rules.append(f".{uid} .{uid}-{name}{{animation:{uid}-{name} {duration}s ease-in-out infinite alternate}}")
    for css, values in moving.items():
        if len(set(values)) > 1:
            keyframes.append(f"@keyframes {css}{{{stops(values)}}}")
            rules.append(f".{uid} .{css}{{animation:{css} {duration}s ease-in-out infinite alternate}}")
    inner = "".join(rules) + "".join(keyframes)
    return f"<style>@media (prefers-reduced-motion:no-preference){{{inner}}}</style>"


def _view_box(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1, y0, y1 = min(xs) - PAD, max(xs) + PAD, min(ys) - PAD, max(ys) + PAD
    w, h = x1 - x0, y1 - y0
    if w / h < ASPECT:  # too tall: widen
        extra = h * ASPECT - w
        x0, w = x0 - extra / 2, w + extra
    else:  # too wide: heighten, keeping the floor near the bottom
        extra = w / ASPECT - h
        y0, h = y0 - extra * 0.7, h + extra
    return x0, y0, w, h


def clear_caches() -> None:
    """Forget loaded poses and drawings (after pose files change on disk)."""
    load_pose.cache_clear()
    resolved.cache_clear()
    postures.cache_clear()
    _render.cache_clear()

