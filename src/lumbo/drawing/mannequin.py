"""Draw a posed 3-D body and its props as a small SVG line drawing (a mannequin).

An orthographic camera looks at the scene from an azimuth and an elevation. Each limb is a
chain of tapered capsules, the trunk two blocks (chest and pelvis), the head a ball with a
mark for the face. Parts are painted far to near; limbs on the far side are paler than
those on the near side, and the limbs of the working side are drawn in the accent colour.

Every part keeps the same outline structure in every key frame (a fixed number of points),
so CSS can move the body between frames by interpolating ``d: path(...)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from lumbo.domain.body import SIDES, Skeleton, Vec, add, cross, dot, scale, sub, torso_blocks, unit
from lumbo.domain.pose import Arrow, Prop
from lumbo.domain.props import Ball, Box, Line, Rod, Shape, box_corners, shapes

Point = tuple[float, float]

CAP_POINTS = 5  # points on each rounded end of a capsule
BLOCK_POINTS = 10  # points around each trunk block
HEAD_POINTS = 12

#: (fill, stroke) per colour class.
PALETTE = {
    "trunk": ("#d3e2f1", "#1f4f7f"),
    "near": ("#c3d8ee", "#1f4f7f"),
    "far": ("#e6eef6", "#86a3c0"),
    "work-near": ("#ffc68a", "#9c4a08"),
    "work-far": ("#ffe0bf", "#c58a4f"),
}
PROP_TONES = {
    "wood": ("#eadfcd", "#8a7556"),
    "mat": ("#d3e6da", "#6f9a80"),
    "wall": ("#e4e6e9", "#959ca5"),
    "soft": ("#f2d3de", "#9d5f78"),
    "metal": ("#d3d8de", "#56626f"),
}
LINE_TONES = {"band": "#c0392b", "strap": "#3b4650"}
FACE = "#1f4f7f"
FLOOR_FILL = "#eef1f4"
FLOOR_LINE = "#8795a3"
ARROW = "#d9661a"
GHOST = "#8aa0b6"
GHOST_OPACITY = 0.28
STROKE = 1.6
ASPECT = 4 / 3
PAD = 10.0


@dataclass(frozen=True)
class Camera:
    right: Vec
    up: Vec
    toward: Vec  # from the scene towards the eye

    @classmethod
    def at(cls, azimuth: float, elevation: float) -> Camera:
        a, e = math.radians(azimuth), math.radians(max(-80.0, min(80.0, elevation)))
        toward = (math.sin(a) * math.cos(e), math.sin(e), math.cos(a) * math.cos(e))
        right = unit(cross((0.0, 1.0, 0.0), toward))
        return cls(right=right, up=cross(toward, right), toward=toward)

    def point(self, p: Vec) -> Point:
        """Screen position, y down (SVG)."""
        return (dot(p, self.right), -dot(p, self.up))

    def depth(self, p: Vec) -> float:
        return dot(p, self.toward)


def fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")


def _poly(points: Sequence[Point], closed: bool = True) -> str:
    """An outline; the points after the first are implicit line-tos (shorter files)."""
    return "M" + " ".join(f"{fmt(x)} {fmt(y)}" for x, y in points) + ("Z" if closed else "")


def capsule(a: Point, b: Point, ra: float, rb: float) -> list[Point]:
    """Outline of a tapered capsule, always 2 * CAP_POINTS points."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = max(math.hypot(dx, dy), abs(ra - rb) + 1e-3)
    base = math.atan2(dy, dx) if math.hypot(dx, dy) > 1e-6 else 0.0
    alpha = math.acos(max(-1.0, min(1.0, (ra - rb) / length)))
    out = []
    for i in range(CAP_POINTS):  # around the far side of a, from +alpha to 2pi - alpha
        t = alpha + (2 * math.pi - 2 * alpha) * i / (CAP_POINTS - 1)
        out.append((a[0] + ra * math.cos(base + t), a[1] + ra * math.sin(base + t)))
    for i in range(CAP_POINTS):  # around the end at b, from -alpha to +alpha
        t = -alpha + 2 * alpha * i / (CAP_POINTS - 1)
        out.append((b[0] + rb * math.cos(base + t), b[1] + rb * math.sin(base + t)))
    return out


def convex_hull(points: list[Point]) -> list[Point]:
    """The convex outline of ``points`` (Andrew's monotone chain), counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def turn(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _resample(loop: list[Point], count: int) -> list[Point]:
    """``count`` points evenly spaced along a closed outline, starting at its topmost point."""
    if len(loop) < 2:
        return [loop[0] if loop else (0.0, 0.0)] * count
    start = min(range(len(loop)), key=lambda i: (loop[i][1], loop[i][0]))
    loop = loop[start:] + loop[:start]
    edges = [(loop[i], loop[(i + 1) % len(loop)]) for i in range(len(loop))]
    lengths = [math.dist(a, b) for a, b in edges]
    total = sum(lengths) or 1.0
    out, index, walked = [], 0, 0.0
    for k in range(count):
        goal = total * k / count
        while index < len(edges) - 1 and walked + lengths[index] < goal:
            walked += lengths[index]
            index += 1
        a, b = edges[index]
        t = 0.0 if lengths[index] == 0 else (goal - walked) / lengths[index]
        out.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
    return out


def _circle(centre: Point, radius: float, count: int) -> list[Point]:
    return [
        (centre[0] + radius * math.cos(2 * math.pi * i / count), centre[1] + radius * math.sin(2 * math.pi * i / count))
        for i in range(count)
    ]


@dataclass
class Part:
    """One painted path of the body: its name, colour class, depth and outline per subpath."""

    name: str
    tone: str
    depth: float
    loops: list[list[Point]]

    @property
    def d(self) -> str:
        return "".join(_poly(loop) for loop in self.loops)


def body_parts(skeleton: Skeleton, camera: Camera, working: set[str]) -> list[Part]:
    """The body's paths for one frame, in a fixed order (not yet depth-sorted)."""
    j = skeleton.joints
    parts: list[Part] = []
    blocks = torso_blocks(skeleton)
    torso_loops = [_resample(convex_hull([camera.point(p) for p in block]), BLOCK_POINTS) for block in blocks]
    neck = capsule(camera.point(j["neck"]), camera.point(j["head"]), 5.0, 5.0)
    trunk_depth = sum(camera.depth(p) for block in blocks for p in block) / 16
    parts.append(Part("trunk", "trunk", trunk_depth, [neck, *torso_loops]))
    segments = {segment.name: segment for segment in skeleton.segments()}
    for side in SIDES:
        for limb, names in (("arm", ("upper_arm", "forearm", "hand")), ("leg", ("thigh", "shin", "foot"))):
            loops, depths = [], []
            for name in names:
                seg = segments[f"{side}.{name}"]
                loops.append(capsule(camera.point(seg.a), camera.point(seg.b), seg.ra, seg.rb))
                depths.append((camera.depth(seg.a) + camera.depth(seg.b)) / 2)
            depth = sum(depths) / len(depths)
            # Near or far by where the limb is attached (hip or shoulder) against the middle of
            # the body at the same height, so a raised camera does not make the legs "far".
            root, middle = (f"{side}.hip", "pelvis") if limb == "leg" else (f"{side}.shoulder", "neck")
            near = camera.depth(j[root]) >= camera.depth(j[middle]) - 0.5
            tone = ("work-" if f"{side}.{limb}" in working else "") + ("near" if near else "far")
            parts.append(Part(f"{side}-{limb}", tone, depth, loops))
    head = camera.point(j["head"])
    head_depth = camera.depth(j["head"])
    parts.append(Part("head", "trunk", head_depth + 0.01, [_circle(head, 11.0, HEAD_POINTS)]))
    parts.append(Part("face", "face", head_depth + 0.02, [_face(skeleton, camera)]))
    return parts


def _face(skeleton: Skeleton, camera: Camera) -> list[Point]:
    """A small eye mark on the side the face looks to; shrinks to nothing facing away."""
    head = skeleton.joints["head"]
    front = skeleton.axes["head"].front
    facing = dot(front, camera.toward)
    across = sub(front, scale(camera.toward, facing))
    cx, cy = camera.point(head)
    fx, fy = dot(across, camera.right), -dot(across, camera.up)
    size = 0.0 if facing < -0.35 else 2.2
    ex, ey = cx + 6.5 * fx, cy + 6.5 * fy - 2.0
    return [(ex, ey - size), (ex + size, ey), (ex, ey + size), (ex - size, ey)]


def ordered(parts: list[Part]) -> list[Part]:
    return sorted(parts, key=lambda part: part.depth)


@dataclass(frozen=True)
class PropDrawing:
    """One prop shape seen by the camera: its outlines, depth and colour."""

    line: bool  # a band or strap: an open stroke, no fill
    loops: list[list[Point]]
    depth: float
    tone: str

    @property
    def d(self) -> str:
        return "".join(_poly(loop, closed=not self.line) for loop in self.loops)


def prop_drawing(shape: Shape, camera: Camera) -> PropDrawing:
    if isinstance(shape, Line):
        loop = [camera.point(shape.a), camera.point(shape.b)]
        return PropDrawing(True, [loop], camera.depth(shape.a), shape.tone)
    if isinstance(shape, Ball):
        loop = _circle(camera.point(shape.centre), shape.radius, 16)
        return PropDrawing(False, [loop], camera.depth(shape.centre), shape.tone)
    if isinstance(shape, Rod):
        loop = capsule(camera.point(shape.a), camera.point(shape.b), shape.radius, shape.radius)
        depth = (camera.depth(shape.a) + camera.depth(shape.b)) / 2
        return PropDrawing(False, [loop], depth, shape.tone)
    return PropDrawing(False, _box_faces(shape, camera), camera.depth(shape.centre), shape.tone)


_FACES = ((0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3))


def _box_faces(box: Box, camera: Camera) -> list[list[Point]]:
    """The faces of a box that look towards the camera."""
    corners = box_corners(box)
    loops = []
    for face in _FACES:
        points = [corners[i] for i in face]
        middle = scale(add(add(points[0], points[1]), add(points[2], points[3])), 0.25)
        if dot(sub(middle, box.centre), camera.toward) > 1e-6:
            loops.append([camera.point(p) for p in points])
    if not loops:  # seen exactly edge-on: the outline of the corners
        loops.append(convex_hull([camera.point(p) for p in corners]))
    return loops


def arrow_path(arrow: Arrow, frames: list[Skeleton], camera: Camera) -> tuple[str, list[Point]] | None:
    """A curved arrow with a head: a joint's path between two frames, or a circle around it."""
    if arrow.joint not in frames[0].joints:
        return None
    ox, oy = arrow.offset
    if arrow.circle is not None:
        cx, cy = camera.point(frames[arrow.start].joints[arrow.joint])
        cx, cy = cx + ox, cy - oy
        r = arrow.circle
        points = [(cx + r * math.cos(math.radians(a)), cy + r * math.sin(math.radians(a))) for a in range(20, 330, 20)]
        d = "M" + "L".join(f"{fmt(x)} {fmt(y)}" for x, y in points)
        return d + _head(points[-2], points[-1]), points
    ax, ay = camera.point(frames[arrow.start].joints[arrow.joint])
    bx, by = camera.point(frames[arrow.stop].joints[arrow.joint])
    a, b = (ax + ox, ay - oy), (bx + ox, by - oy)
    length = math.dist(a, b)
    if length < 3.0:
        return None
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    nx, ny = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
    control = (mx + nx * arrow.curve * length, my + ny * arrow.curve * length)
    d = f"M{fmt(a[0])} {fmt(a[1])}Q{fmt(control[0])} {fmt(control[1])} {fmt(b[0])} {fmt(b[1])}"
    d += _head(control, b)
    if arrow.both_ends:
        d += _head(control, a)
    return d, [a, b, control]


def _head(toward_from: Point, tip: Point) -> str:
    angle = math.atan2(tip[1] - toward_from[1], tip[0] - toward_from[0])
    left = (tip[0] - 7 * math.cos(angle - 0.45), tip[1] - 7 * math.sin(angle - 0.45))
    right = (tip[0] - 7 * math.cos(angle + 0.45), tip[1] - 7 * math.sin(angle + 0.45))
    return f"M{fmt(left[0])} {fmt(left[1])}L{fmt(tip[0])} {fmt(tip[1])}L{fmt(right[0])} {fmt(right[1])}"


def scene_shapes(props: Sequence[Prop], skeleton: Skeleton) -> list[Shape]:
    """Every prop's shapes for one frame (those that follow a joint placed by ``skeleton``)."""
    return [shape for prop in props for shape in shapes(prop, skeleton)]


def floor_quad(points: list[Vec], camera: Camera, margin: float = 25.0) -> list[Point]:
    xs = [p[0] for p in points]
    zs = [p[2] for p in points]
    x0, x1, z0, z1 = min(xs) - margin, max(xs) + margin, min(zs) - margin, max(zs) + margin
    return [camera.point(c) for c in ((x0, 0.0, z0), (x1, 0.0, z0), (x1, 0.0, z1), (x0, 0.0, z1))]

