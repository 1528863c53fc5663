"""Exercise poses as data: key frames of a 2-D stick body plus the props around it.

World coordinates: x to the right, y up, the floor at y = 0, one unit is roughly one
centimetre of a 175 cm person. Angles are absolute directions in degrees (0 = right,
90 = up, 180 = left, -90 = down), so a segment's angle does not depend on its parent.

Every figure is drawn with one handedness: the body's front lies clockwise of the
direction from hips to head (standing, the person faces right; lying on the back, the
head is on the left; lying on the front, the head is on the right). ``mirror: true``
flips the finished drawing left to right.

A limb is given either by the ``angles`` of its two segments or by the point its end
should ``reach``; a reached limb bends its middle joint (knee, elbow) towards ``bend``.
The ``near`` limbs are drawn dark and in front, the ``far`` limbs light and behind.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Point = tuple[float, float]
JointName = Literal[
    "head",
    "shoulder",
    "waist",
    "hip",
    "elbow_near",
    "hand_near",
    "elbow_far",
    "hand_far",
    "knee_near",
    "ankle_near",
    "toe_near",
    "knee_far",
    "ankle_far",
    "toe_far",
]
PropKind = Literal[
    "mat",
    "wall",
    "door_frame",
    "chair",
    "table",
    "bench",
    "step",
    "block",
    "ball",
    "roller",
    "peanut",
    "band",
    "bar",
    "weights",
    "suspension_trainer",
]

# Segment lengths (world units).
TRUNK = 26.0  # hip -> waist
CHEST = 28.0  # waist -> shoulders
NECK = 9.0  # shoulders -> bottom of the head
HEAD_RADIUS = 11.0
UPPER_ARM = 29.0
FOREARM = 28.0  # elbow -> hand, the hand included
THIGH = 44.0
SHIN = 43.0
FOOT = 13.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limb(_Strict):
    """An arm or a leg: two segments and, for legs, a foot."""

    angles: tuple[float, float] | None = None
    #: A point, or a joint of the same frame (e.g. ``knee_far``) plus ``offset``.
    reach: Point | JointName | None = None
    offset: Point = (0.0, 0.0)
    #: Direction (degrees) the middle joint is pushed towards when ``reach`` is used.
    bend: float = 0.0
    #: Direction of the foot (legs only); None = at a right angle to the shin, to the front.
    end: float | None = None
    #: Length factors of the two segments, for limbs pointing towards or away from the viewer.
    scale: tuple[float, float] = (1.0, 1.0)

    @model_validator(mode="after")
    def _angles_or_reach(self) -> Limb:
        if (self.angles is None) == (self.reach is None):
            raise ValueError("a limb has either angles or reach, not both or neither")
        return self


class Frame(_Strict):
    """One key frame of the body."""

    hip: Point
    trunk: float = 90.0  # direction hip -> waist
    chest: float | None = None  # direction waist -> shoulders; default: same as trunk
    neck: float | None = None  # direction shoulders -> head; default: same as chest
    #: Length factor of the trunk, for a trunk pointing towards or away from the viewer.
    spine: float = 1.0
    #: Where the face looks (degrees) for the small eye mark; None draws no eye (front views).
    face: float | None = None
    arm_near: Limb
    arm_far: Limb
    leg_near: Limb
    leg_far: Limb


class Prop(_Strict):
    """A piece of equipment. ``at`` is its anchor: the centre of round things, the
    bottom-left corner of boxes and furniture, the foot of walls and posts, the fixed end
    of bands and straps. With ``attach`` the prop follows that joint (``at`` is then an
    offset from it), except bands and straps, whose free end follows the joint."""

    kind: PropKind
    at: Point = (0.0, 0.0)
    size: Point | None = None
    attach: JointName | None = None
    flip: bool = False  # chairs: the backrest on the right instead of the left


class Arrow(_Strict):
    """A curved arrow: a joint's path from one frame to another, or a circle around a point."""

    joint: JointName | None = None
    start: int = 0  # frame indices for joint arrows
    stop: int = 1
    points: tuple[Point, Point] | None = None  # a fixed arrow instead of a joint's path
    offset: Point = (0.0, 0.0)
    #: Sideways sag of the arc as a fraction of its length; the sign picks the side.
    curve: float = 0.3
    both_ends: bool = False
    circle: float | None = None  # radius: draw a circling arrow around the joint or point

    @model_validator(mode="after")
    def _what(self) -> Arrow:
        if (self.joint is None) == (self.points is None):
            raise ValueError("an arrow follows either a joint or two fixed points")
        return self


class Pose(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    view: Literal["side", "front"] = "side"
    mirror: bool = False
    frames: list[Frame] = Field(min_length=1, max_length=6)
    #: Index of the frame drawn solid; the others are drawn faint.
    main: int = -1
    props: list[Prop] = Field(default_factory=list)
    arrows: list[Arrow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _indices(self) -> Pose:
        count = len(self.frames)
        if not -count <= self.main < count:
            raise ValueError(f"main frame {self.main} is out of range for {count} frame(s)")
        for arrow in self.arrows:
            stop = arrow.start if arrow.circle is not None else arrow.stop
            if arrow.joint is not None and not (0 <= arrow.start < count and 0 <= stop < count):
                raise ValueError(f"an arrow refers to a frame outside 0..{count - 1}")
        for frame in self.frames:  # reaching for a joint that is not placed yet fails here
            frame_joints(frame, front_view=self.view == "front")
        return self

    @property
    def main_index(self) -> int:
        return self.main % len(self.frames)

    def joints(self, index: int) -> dict[str, Point]:
        """Joint positions of one frame, mirrored when the pose says so."""
        points = frame_joints(self.frames[index], front_view=self.view == "front")
        if self.mirror:
            return {name: (-x, y) for name, (x, y) in points.items()}
        return points


def _step(origin: Point, angle: float, length: float) -> Point:
    radians = math.radians(angle)
    return (origin[0] + length * math.cos(radians), origin[1] + length * math.sin(radians))


def _direction(origin: Point, target: Point) -> float:
    return math.degrees(math.atan2(target[1] - origin[1], target[0] - origin[0]))


def solve_two_bone(root: Point, target: Point, first: float, second: float, bend: float) -> Point:
    """The middle joint of a two-segment chain from ``root`` reaching towards ``target``.

    Out-of-reach targets straighten the chain towards them; of the two solutions the
    one whose middle joint lies further towards ``bend`` (degrees) is chosen.
    """
    dx, dy = target[0] - root[0], target[1] - root[1]
    distance = math.hypot(dx, dy)
    base = math.degrees(math.atan2(dy, dx))
    low, high = abs(first - second) + 1e-6, first + second
    distance = min(max(distance, low), high)
    cosine = (first * first + distance * distance - second * second) / (2 * first * distance)
    offset = math.degrees(math.acos(max(-1.0, min(1.0, cosine))))
    bend_x, bend_y = math.cos(math.radians(bend)), math.sin(math.radians(bend))
    options = [_step(root, base + offset, first), _step(root, base - offset, first)]
    return max(options, key=lambda p: (p[0] - root[0]) * bend_x + (p[1] - root[1]) * bend_y)


def _limb(root: Point, limb: Limb, first: float, second: float, target: Point | None) -> tuple[Point, Point]:
    first, second = first * limb.scale[0], second * limb.scale[1]
    if limb.angles is not None:
        middle = _step(root, limb.angles[0], first)
        return middle, _step(middle, limb.angles[1], second)
    assert target is not None  # a reached limb always has a target
    middle = solve_two_bone(root, target, first, second, limb.bend)
    return middle, _step(middle, _direction(middle, target), second)


_LIMBS = (
    ("arm_near", "shoulder", "elbow_near", "hand_near", UPPER_ARM, FOREARM),
    ("arm_far", "shoulder", "elbow_far", "hand_far", UPPER_ARM, FOREARM),
    ("leg_near", "hip", "knee_near", "ankle_near", THIGH, SHIN),
    ("leg_far", "hip", "knee_far", "ankle_far", THIGH, SHIN),
)


def frame_joints(frame: Frame, *, front_view: bool = False) -> dict[str, Point]:
    """Forward kinematics: every joint's position for one frame (not mirrored).

    A limb reaching for a joint is placed once that joint is; limbs that wait on each
    other (or on themselves) raise ValueError.
    """
    hip = frame.hip
    waist = _step(hip, frame.trunk, TRUNK * frame.spine)
    chest = frame.chest if frame.chest is not None else frame.trunk
    shoulder = _step(waist, chest, CHEST * frame.spine)
    neck = frame.neck if frame.neck is not None else chest
    head = _step(shoulder, neck, NECK + HEAD_RADIUS)
    points: dict[str, Point] = {"hip": hip, "waist": waist, "shoulder": shoulder, "head": head}
    pending = [(getattr(frame, name), *rest) for name, *rest in _LIMBS]
    while pending:
        ready = [item for item in pending if not isinstance(item[0].reach, str) or item[0].reach in points]
        if not ready:
            wanted = ", ".join(str(item[0].reach) for item in pending)
            raise ValueError(f"limbs reach for joints that are never placed: {wanted}")
        for item in ready:
            pending.remove(item)
            _place(points, *item, front_view=front_view)
    return points


def _place(
    points: dict[str, Point],
    limb: Limb,
    root: str,
    middle_name: str,
    end_name: str,
    first: float,
    second: float,
    *,
    front_view: bool,
) -> None:
    target: Point | None = None
    if isinstance(limb.reach, str):
        base = points[limb.reach]
        target = (base[0] + limb.offset[0], base[1] + limb.offset[1])
    elif limb.reach is not None:
        target = (limb.reach[0] + limb.offset[0], limb.reach[1] + limb.offset[1])
    middle, end = _limb(points[root], limb, first, second, target)
    points[middle_name], points[end_name] = middle, end
    if root == "hip":
        side = end_name.removeprefix("ankle_")
        if limb.end is not None:
            toe = _step(end, limb.end, FOOT)
        elif front_view:
            toe = _step(end, -90.0, 3.0)
        else:
            toe = _step(end, _direction(middle, end) + 90.0, FOOT)
        points[f"toe_{side}"] = toe
