"""Drawing the props of a figure (floor, furniture, rollers, bands...) as SVG fragments.

Coordinates come in world units (y up); ``svg_y`` flips them. Each drawer returns SVG
elements and the points it covers, so the figure's view box can include the prop.
"""

from __future__ import annotations

from collections.abc import Callable

from lumbo.domain.pose import Point, Prop

INK = "#56677a"
FILL = "#e4eaf0"
SOFT = "#f3a65a"
ROLLER = "#8cc7a1"
BAND = "#d94f70"

#: Props drawn after the body (in front of it); the rest go behind.
FRONT_KINDS = frozenset({"band", "suspension_trainer", "weights"})


def fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def svg_y(y: float) -> float:
    return -y


def _rect(x: float, y: float, w: float, h: float, fill: str = FILL, rx: float = 2.0) -> str:
    return (
        f'<rect x="{fmt(x)}" y="{fmt(svg_y(y + h))}" width="{fmt(w)}" height="{fmt(h)}" '
        f'rx="{fmt(rx)}" fill="{fill}" stroke="{INK}" stroke-width="1.5"/>'
    )


def _circle(cx: float, cy: float, r: float, fill: str) -> str:
    return (
        f'<circle cx="{fmt(cx)}" cy="{fmt(svg_y(cy))}" r="{fmt(r)}" fill="{fill}" '
        f'stroke="{INK}" stroke-width="1.5"/>'
    )


def line_path(points: list[Point]) -> str:
    return "M" + " L".join(f"{fmt(x)} {fmt(svg_y(y))}" for x, y in points)


def _box(x: float, y: float, w: float, h: float) -> list[Point]:
    return [(x, y), (x + w, y + h)]


Drawn = tuple[list[str], list[Point]]


def _size(prop: Prop, default: Point) -> Point:
    return prop.size if prop.size is not None else default


def _mat(prop: Prop, at: Point, mirror: bool, end: Point | None, front: bool) -> Drawn:
    w, h = _size(prop, (190.0, 2.0))
    x = at[0] - w if mirror else at[0]
    return [_rect(x, 0, w, h, "#cfe6d8", 1)], _box(x, 0, w, h)


def _wall(prop: Prop, at: Point, mirror: bool, end: Point | None, front: bool) -> Drawn:
    w, h = _size(prop, (8.0, 200.0))
    x = at[0] - w if mirror else at[0]
    return [_rect(x, 0, w, h, FILL, 0)], _box(x, 0, w, h)


def _door_frame(prop: Prop, at: Point, mirror: bool, end: Point | None, front: bool) -> Drawn:
    w, h = _size(prop, (90.0, 205.0))
    x = at[0] - 7 if mirror else at[0]
    if not front:  # seen from the side: one jamb
        return [_rect(x, 0, 7, h, "#d9c3a5", 0)], _box(x, 0, 7, h)
    left = at[0] - w if mirror else at[0]
    parts = [
        _rect(left, 0, 7, h, "#d9c3a5", 0),
        _rect(left + w - 7, 0, 7, h, "#d9c3a5", 0),
        _rect(left, h - 7, w, 7, "#d9c3a5", 0),
    ]
    return parts, _box(left, 0, w, h)


def _chair(prop: Prop, at: Point, mirror: bool, end: Point | None, front: bool) -> Drawn:
    depth, seat = _size(prop, (42.0, 45.0))
    x = at[0] - depth if mirror else at[0]
    back_right = prop.flip != mirror
    back_x = x + depth - 4 if back_right else x
    parts = [
        _rect(x + 2, 0, 4, seat - 3, FILL, 1),
        _rect(x + depth - 6, 0, 4, seat - 3, FILL, 1),
        _rect(back_x, seat, 4, 42, FILL, 1),
        _rect(x, seat - 4, depth, 5, FILL, 1.5),
    ]
    return parts, _box(x, 0, depth, seat + 42)


def _table(prop: Prop, at: Point, mirror: bool, end: Point | None, front: bool) -> Drawn:
    default = (100.0, 45.0) if prop.kind == "bench" else (110.0, 74.0)
    w, h = _size(prop, default)
    x = at[0] - w if mirror else at[0]
    parts = [
        _rect(x + 5, 0, 5, h - 4, FILL, 1),
        _rect(x + w - 10, 0, 5, h - 4, FILL, 1),
        _rect(x, h - 5, w, 5, FILL, 1.5),
    ]
    return parts, _box(x, 0, w, h)


def _box_prop(prop: Prop, at: Point, mirror: bool, end: Point | None, front: bool) -> Drawn:
    default = (40.0, 20.0) if prop.kind == "step" else (24.0, 14.0)
    w, h = _size(prop, default)
    x = at[0] - w if mirror else at[0]
    return [_rect(x, at[1], w, h, "#e8d9c4", 2)], _box(x, at[1], w, h)


def _round(prop: Prop, at: Point, mirror: bool, end: Point | None, front: bool) -> Drawn:
    x, y = at
    if prop.kind == "roller":
        r = _size(prop, (8.0, 8.0))[0]
        parts = [_circle(x, y, r, ROLLER), _circle(x, y, r * 0.35, "#ffffff")]
    elif prop.kind == "peanut":
        r = _size(prop, (6.0, 6.0))[0]
        parts = [_circle(x - r * 0.6, y, r, SOFT), _circle(x + r * 0.6, y, r, SOFT)]
        return parts, [(x - 2 * r, y - r), (x + 2 * r, y + r)]
    else:
        r = _size(prop, (7.0, 7.0))[0]
        parts = [_circle(x, y, r, SOFT)]
    return parts, [(x - r, y - r), (x + r, y + r)]


def _bar(prop: Prop, at: Point, mirror: bool, end: Point | None, front: bool) -> Drawn:
    x, y = at
    if front:  # a horizontal bar between two uprights
        w = _size(prop, (120.0, 0.0))[0]
        parts = [
            _rect(x - w / 2, 0, 6, y + 3, FILL, 0),
            _rect(x + w / 2 - 6, 0, 6, y + 3, FILL, 0),
            _rect(x - w / 2, y - 2.5, w, 5, "#7d8b99", 2.5),
        ]
        return parts, _box(x - w / 2, 0, w, y + 3)
    parts = [_rect(x - 30, y + 6, 34, 4, FILL, 0), _circle(x, y, 3.5, "#7d8b99")]
    return parts, [(x - 30, y - 4), (x + 4, y + 10)]


def _band(prop: Prop, at: Point, mirror: bool, end: Point | None, front: bool) -> Drawn:
    x, y = at
    tip = end if end is not None else (x + 40, y)
    colour = BAND if prop.kind == "band" else "#444f5a"
    parts = [
        _rect(x - 3, y - 3, 6, 6, "#7d8b99", 1),
        f'<path class="lf-prop-line" d="{line_path([(x, y), tip])}" fill="none" stroke="{colour}" '
        f'stroke-width="2.5" stroke-linecap="round"/>',
    ]
    return parts, [(x - 3, y - 3), (x + 3, y + 3), tip]


def _weights(prop: Prop, at: Point, mirror: bool, end: Point | None, front: bool) -> Drawn:
    x, y = at
    w, h = _size(prop, (16.0, 10.0))
    if h == 0:  # a weight plate seen from the side of the bar: a disc
        return [_circle(x, y, w, "#6b7785"), _circle(x, y, 3, "#d5dbe1")], [(x - w, y - w), (x + w, y + w)]
    return [_rect(x - w / 2, y - h / 2, w, h, "#6b7785", 2.5)], _box(x - w / 2, y - h / 2, w, h)


DRAWERS: dict[str, Callable[[Prop, Point, bool, Point | None, bool], Drawn]] = {
    "mat": _mat,
    "wall": _wall,
    "door_frame": _door_frame,
    "chair": _chair,
    "table": _table,
    "bench": _table,
    "step": _box_prop,
    "block": _box_prop,
    "ball": _round,
    "roller": _round,
    "peanut": _round,
    "bar": _bar,
    "band": _band,
    "suspension_trainer": _band,
    "weights": _weights,
}


LINE_KINDS = frozenset({"band", "suspension_trainer"})


def draw_prop(prop: Prop, *, mirror: bool, joint: Point | None, front_view: bool) -> Drawn:
    """SVG elements for one prop; ``joint`` is the (mirrored) position of its attached joint.

    Anchors are given as authored and mirrored here; a box's anchor is its bottom-left
    corner, which becomes the bottom-right corner of a mirrored figure.
    """
    at = (-prop.at[0], prop.at[1]) if mirror else prop.at
    end: Point | None = None
    if joint is not None and prop.kind in LINE_KINDS:
        end = joint
    elif joint is not None:
        at = (joint[0] + at[0], joint[1] + at[1])
    return DRAWERS[prop.kind](prop, at, mirror, end, front_view)
