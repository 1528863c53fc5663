"""Equipment in 3-D: each prop becomes boxes, balls, cylinders and lines (cm, y up).

The same shapes are drawn by the renderer and used by the checks (nothing inside a prop,
contacts within a centimetre), so what is seen is what is checked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lumbo.domain.body import Skeleton, Vec, add, dot, norm, rotate, scale, sub
from lumbo.domain.pose import Prop

UP: Vec = (0.0, 1.0, 0.0)


@dataclass(frozen=True)
class Box:
    centre: Vec
    half: Vec  # half-sizes along the box's own x, y, z
    turn: float = 0.0  # degrees about the vertical
    tone: str = "wood"


@dataclass(frozen=True)
class Ball:
    centre: Vec
    radius: float
    tone: str = "soft"


@dataclass(frozen=True)
class Rod:
    """A cylinder (drawn and checked as a capsule)."""

    a: Vec
    b: Vec
    radius: float
    tone: str = "soft"


@dataclass(frozen=True)
class Line:
    """A band or a strap: drawn, never an obstacle."""

    a: Vec
    b: Vec
    tone: str = "band"


Shape = Box | Ball | Rod | Line


def _box(at: Vec, turn: float, dx: float, y0: float, dz: float, size: Vec, tone: str = "wood") -> Box:
    """A box whose footprint centre sits at ``at`` + (dx, dz) turned, from height y0 up."""
    offset = rotate((dx, 0.0, dz), UP, turn)
    centre = (at[0] + offset[0], at[1] + y0 + size[1] / 2, at[2] + offset[2])
    return Box(centre, (size[0] / 2, size[1] / 2, size[2] / 2), turn, tone)


def _legs(at: Vec, turn: float, length: float, depth: float, height: float, thick: float) -> list[Shape]:
    hx, hz = length / 2 - thick / 2, depth / 2 - thick / 2
    return [_box(at, turn, sx * hx, 0.0, sz * hz, (thick, height, thick)) for sx in (-1, 1) for sz in (-1, 1)]


def shapes(prop: Prop, skeleton: Skeleton | None = None) -> list[Shape]:
    """The shapes of one prop; ``skeleton`` places props that follow a joint."""
    at, turn, size = prop.at, prop.turn, prop.size
    if prop.attach is not None and skeleton is not None:
        at = add(skeleton.joints[prop.attach], prop.at)
    kind = prop.kind
    if kind == "mat":
        s = size or (180.0, 1.0, 60.0)
        return [_box(at, turn, 0, 0, 0, s, "mat")]
    if kind in ("wall", "step", "block"):
        default = {"wall": (6.0, 200.0, 160.0), "step": (40.0, 18.0, 60.0), "block": (23.0, 9.0, 15.0)}[kind]
        return [_box(at, turn, 0, 0, 0, size or default, "wall" if kind == "wall" else "wood")]
    if kind == "door_frame":
        width, height = (size or (10.0, 205.0, 85.0))[2], (size or (10.0, 205.0, 85.0))[1]
        post = (10.0, height, 8.0)
        return [
            _box(at, turn, 0, 0, -width / 2 - 4, post, "wall"),
            _box(at, turn, 0, 0, width / 2 + 4, post, "wall"),
            _box(at, turn, 0, height, 0, (10.0, 8.0, width + 16), "wall"),
        ]
    if kind == "chair":
        seat = 45.0 if size is None else size[1]
        out = _legs(at, turn, 42.0, 42.0, seat, 3.0)
        out.append(_box(at, turn, 0, seat, 0, (42.0, 4.0, 42.0)))
        out.append(_box(at, turn, -19.5, seat + 4, 0, (3.0, 40.0, 42.0)))
        return out
    if kind in ("table", "bench"):
        s = size or ((120.0, 74.0, 70.0) if kind == "table" else (110.0, 45.0, 35.0))
        top = 4.0
        return [*_legs(at, turn, s[0], s[2], s[1] - top, 4.0), _box(at, turn, 0, s[1] - top, 0, (s[0], top, s[2]))]
    if kind == "ball":
        radius = (size or (10.0, 10.0, 10.0))[0] / 2
        centre = at if prop.attach else (at[0], at[1] if at[1] else radius, at[2])
        return [Ball(centre, radius)]
    if kind == "peanut":
        centre = at if prop.attach else (at[0], at[1] if at[1] else 6.0, at[2])
        along = rotate((0.0, 0.0, 6.5), UP, turn)
        return [Ball(add(centre, along), 6.0), Ball(sub(centre, along), 6.0)]
    if kind == "roller":
        length = (size or (15.0, 15.0, 45.0))[2]
        centre = at if prop.attach else (at[0], at[1] if at[1] else 7.5, at[2])
        along = rotate((0.0, 0.0, length / 2), UP, turn)
        return [Rod(sub(centre, along), add(centre, along), 7.5)]
    if kind == "bar":
        height = at[1] if at[1] else 210.0
        half = (size or (120.0, 4.0, 120.0))[2] / 2
        centre = (at[0], height, at[2])
        along = rotate((0.0, 0.0, half), UP, turn)
        return [Rod(sub(centre, along), add(centre, along), 1.8, "metal")]
    if kind == "weights":
        along = rotate((0.0, 0.0, 9.0), UP, turn)
        return [
            Rod(sub(at, along), add(at, along), 1.5, "metal"),
            Rod(sub(at, scale(along, 1.0)), sub(at, scale(along, 0.6)), 5.5, "metal"),
            Rod(add(at, scale(along, 0.6)), add(at, scale(along, 1.0)), 5.5, "metal"),
        ]
    if kind in ("band", "suspension_trainer"):
        tone = "band" if kind == "band" else "strap"
        anchor: list[Shape] = [Ball(prop.at, 2.5 if kind == "band" else 3.0, "metal")]
        if skeleton is None or prop.to is None:
            return anchor
        ends = [prop.to] if prop.to not in ("hands", "feet") else _pair(prop.to)
        lines: list[Shape] = [Line(prop.at, skeleton.joints[end], tone) for end in ends]
        return anchor + lines
    raise ValueError(f"unknown prop kind {kind!r}")  # pragma: no cover - the model allows only known kinds


def _pair(which: str) -> list[str]:
    joint = "wrist" if which == "hands" else "ankle"
    return [f"left.{joint}", f"right.{joint}"]


def distance(point: Vec, shape: Shape) -> float:
    """Signed distance from a point to a shape's surface (negative inside); lines are never near."""
    if isinstance(shape, Ball):
        return norm(sub(point, shape.centre)) - shape.radius
    if isinstance(shape, Rod):
        return _to_segment(point, shape.a, shape.b) - shape.radius
    if isinstance(shape, Line):
        return math.inf
    local = rotate(sub(point, shape.centre), UP, -shape.turn)
    q = [abs(local[i]) - shape.half[i] for i in range(3)]
    outside = math.sqrt(sum(max(v, 0.0) ** 2 for v in q))
    return outside + min(max(q[0], q[1], q[2]), 0.0)


def _to_segment(point: Vec, a: Vec, b: Vec) -> float:
    ab = sub(b, a)
    length2 = dot(ab, ab)
    t = 0.0 if length2 < 1e-12 else max(0.0, min(1.0, dot(sub(point, a), ab) / length2))
    return norm(sub(point, add(a, scale(ab, t))))


def anchor(shape: Shape) -> Vec:
    """A point of the shape on the ground plan (where the floor must reach)."""
    return shape.centre if isinstance(shape, Box | Ball) else shape.a


def box_corners(box: Box) -> list[Vec]:
    hx, hy, hz = box.half
    return [
        add(box.centre, rotate((sx * hx, sy * hy, sz * hz), UP, box.turn))
        for sx in (-1, 1)
        for sy in (-1, 1)
        for sz in (-1, 1)
    ]
