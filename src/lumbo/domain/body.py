"""A 3-D skeleton posed by joint angles: bone lengths, forward kinematics, reach, limits.

World: x points ahead of a person standing in the default pose, y points up, z points to
that person's right; the floor is y = 0 and one unit is one centimetre of a 175 cm adult.

Every body part carries a frame of three unit axes: ``front`` (where its front faces),
``up`` (along the part, towards the head for the trunk, towards the root for limbs) and
``left``. The pelvis frame comes from three turns applied in order: ``turn`` about the
vertical (positive: the front swings from +x towards -z, anticlockwise seen from above),
``tilt`` about the body's left axis (positive: tipping forward; 90 lies face down with the
head towards +x, -90 lies face up with the head towards -x) and ``roll`` about the body's
front axis (positive: the head tips towards the left side).

Joint angles are anatomical, in degrees, with the person's neutral standing posture at 0:
hip and shoulder ``flex`` (forward), ``abd`` (away from the midline) and ``rot`` (inward,
i.e. internal rotation); knee and elbow flexion; ankle dorsiflexion (toes up; negative
points the foot); wrist bend (negative: the hand bends to the palm side); spine and neck
``flex`` (forward), ``bend`` (to the left) and ``twist`` (to the left). The spine's angles
are shared equally between its lower and upper segment. Left and right use the same signs,
so a mirrored pose swaps the two sides' values and changes nothing else.

Range-of-motion limits (``LIMITS``) follow the normal adult values of the American Academy
of Orthopaedic Surgeons (Greene & Heckman, *The Clinical Measurement of Joint Motion*,
AAOS 1994), widened where a stretch takes a joint passively further (noted per line);
docs/figures.md prints the table with its source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

# Re-exported: the body model's users import the helpers from here.
from lumbo.domain.vectors import Vec as Vec
from lumbo.domain.vectors import add as add
from lumbo.domain.vectors import cross as cross
from lumbo.domain.vectors import dot as dot
from lumbo.domain.vectors import norm as norm
from lumbo.domain.vectors import scale as scale
from lumbo.domain.vectors import sub as sub
from lumbo.domain.vectors import unit as unit

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")


def other_side(side: Side) -> Side:
    return "right" if side == "left" else "left"

# --- bone lengths and widths (cm) ------------------------------------------------------
HIP_HALF_WIDTH = 9.0  # pelvis centre -> each hip joint
LUMBAR = 22.0  # pelvis centre -> waist
THORAX = 28.0  # waist -> base of the neck (between the shoulders)
SHOULDER_HALF_WIDTH = 18.0
SHOULDER_DROP = 3.0  # shoulder joints sit a little below the base of the neck
NECK = 9.0
HEAD_RADIUS = 11.0
UPPER_ARM = 29.0
FOREARM = 26.0
HAND = 9.0
THIGH = 44.0
SHIN = 43.0
FOOT = 15.0
#: The foot points this much below the shin's front when the ankle is at 0, so that the
#: heel and the toes both rest on the floor standing.
FOOT_PITCH = 6.0

#: Radius of each segment at its start and its end, for drawing and for contact checks.
RADII: dict[str, tuple[float, float]] = {
    "upper_arm": (5.0, 4.0),
    "forearm": (4.0, 3.0),
    "hand": (3.2, 2.6),
    "thigh": (7.5, 5.5),
    "shin": (5.5, 4.2),
    "foot": (4.5, 3.0),
    "neck": (5.0, 5.0),
}

#: Joint -> (minimum, maximum) in degrees, per angle. See the module docstring for the source.
LIMITS: dict[str, tuple[float, float]] = {
    "hip.flex": (-30.0, 140.0),  # AAOS 0-120 flexion, 0-30 extension; +20 for knee-to-chest stretches
    "hip.abd": (-30.0, 60.0),  # AAOS 0-45 abduction, 0-30 adduction; +15 for straddle stretches
    "hip.rot": (-60.0, 45.0),  # AAOS 45 internal, 45 external; +15 external for 90-90 and pigeon
    "knee": (0.0, 155.0),  # AAOS 0-135; +20 passive (deep squat, heel to buttock)
    "ankle": (-65.0, 40.0),  # AAOS 20 dorsiflexion, 50 plantarflexion; +20 passive in a deep squat, +15 kneeling
    "shoulder.flex": (-60.0, 180.0),  # AAOS 0-180 flexion, 0-60 extension
    "shoulder.abd": (-45.0, 180.0),  # AAOS 0-180 abduction; adduction across the body to 45
    "shoulder.rot": (-90.0, 70.0),  # AAOS 70 internal, 90 external
    "elbow": (0.0, 150.0),  # AAOS 0-150
    "wrist": (-80.0, 90.0),  # AAOS 80 flexion, 70 extension; +20 for a hand flat on the floor
    "spine.flex": (-35.0, 80.0),  # AAOS thoracolumbar 0-80 flexion, 0-25 extension; +10 in a cobra
    "spine.bend": (-35.0, 35.0),  # AAOS 35 each way
    "spine.twist": (-45.0, 45.0),  # AAOS 45 each way
    "neck.flex": (-45.0, 45.0),  # AAOS cervical 45 each way
    "neck.bend": (-45.0, 45.0),
    "neck.twist": (-60.0, 60.0),
}


# --- small vector helpers (lumbo.domain.vectors) ------------------------------------------
def rotate(v: Vec, axis: Vec, degrees: float) -> Vec:
    """Rodrigues: turn ``v`` about the unit ``axis`` by ``degrees`` (right-hand rule)."""
    if degrees == 0.0:
        return v
    theta = math.radians(degrees)
    c, s = math.cos(theta), math.sin(theta)
    k_cross_v = cross(axis, v)
    k_dot_v = dot(axis, v)
    return (
        v[0] * c + k_cross_v[0] * s + axis[0] * k_dot_v * (1 - c),
        v[1] * c + k_cross_v[1] * s + axis[1] * k_dot_v * (1 - c),
        v[2] * c + k_cross_v[2] * s + axis[2] * k_dot_v * (1 - c),
    )


@dataclass(frozen=True)
class Axes:
    """An orthonormal frame: front, up and left (left = up x front)."""

    front: Vec
    up: Vec
    left: Vec

    def turned(self, axis: Vec, degrees: float) -> Axes:
        if degrees == 0.0:
            return self
        return Axes(rotate(self.front, axis, degrees), rotate(self.up, axis, degrees), rotate(self.left, axis, degrees))

    def local(self, v: Vec) -> Vec:
        """``v`` in this frame's (front, up, left) coordinates."""
        return (dot(v, self.front), dot(v, self.up), dot(v, self.left))

    def world(self, f: float, u: float, l: float) -> Vec:  # noqa: E741 - the axis' name
        return add(add(scale(self.front, f), scale(self.up, u)), scale(self.left, l))


WORLD = Axes(front=(1.0, 0.0, 0.0), up=(0.0, 1.0, 0.0), left=(0.0, 0.0, -1.0))


def pelvis_axes(turn: float, tilt: float, roll: float) -> Axes:
    axes = WORLD.turned((0.0, 1.0, 0.0), turn)
    axes = axes.turned(axes.left, tilt)
    return axes.turned(axes.front, -roll)


# --- a posed body ----------------------------------------------------------------------
@dataclass(frozen=True)
class Rotation3:
    flex: float = 0.0
    abd: float = 0.0
    rot: float = 0.0


@dataclass(frozen=True)
class SpineAngles:
    flex: float = 0.0
    bend: float = 0.0
    twist: float = 0.0


@dataclass(frozen=True)
class LimbAngles:
    root: Rotation3 = Rotation3()  # hip or shoulder
    middle: float = 0.0  # knee or elbow flexion
    end: float = 0.0  # ankle dorsiflexion or wrist bend


@dataclass(frozen=True)
class BodyAngles:
    """Everything that places a body: the pelvis (position and turns) and every joint angle."""

    at: Vec
    turn: float
    tilt: float
    roll: float
    spine: SpineAngles
    neck: SpineAngles
    arms: dict[Side, LimbAngles]
    legs: dict[Side, LimbAngles]

    def angle_table(self) -> dict[str, float]:
        """Every joint angle by name (``left.hip.flex``, ``spine.flex`` …), for limits and coaching."""
        table = {f"spine.{k}": getattr(self.spine, k) for k in ("flex", "bend", "twist")}
        table.update({f"neck.{k}": getattr(self.neck, k) for k in ("flex", "bend", "twist")})
        for side in SIDES:
            leg, arm = self.legs[side], self.arms[side]
            for name, value in (("flex", "flex"), ("abd", "abd"), ("rot", "rot")):
                table[f"{side}.hip.{name}"] = getattr(leg.root, value)
                table[f"{side}.shoulder.{name}"] = getattr(arm.root, value)
            table[f"{side}.knee"] = leg.middle
            table[f"{side}.ankle"] = leg.end
            table[f"{side}.elbow"] = arm.middle
            table[f"{side}.wrist"] = arm.end
        return table

    def mirrored(self) -> BodyAngles:
        """The same pose done with the other side: left and right swap; the body turns the other way."""
        spine = SpineAngles(self.spine.flex, -self.spine.bend, -self.spine.twist)
        neck = SpineAngles(self.neck.flex, -self.neck.bend, -self.neck.twist)
        return BodyAngles(
            at=(self.at[0], self.at[1], -self.at[2]),
            turn=-self.turn,
            tilt=self.tilt,
            roll=-self.roll,
            spine=spine,
            neck=neck,
            arms={"left": self.arms["right"], "right": self.arms["left"]},
            legs={"left": self.legs["right"], "right": self.legs["left"]},
        )


def out_of_range(angles: BodyAngles, tolerance: float = 0.5) -> list[str]:
    """Angles outside ``LIMITS``, as readable lines (empty when the pose is humanly possible)."""
    problems = []
    for name, value in angles.angle_table().items():
        key = name.split(".", 1)[1] if name.startswith(SIDES) else name
        low, high = LIMITS[key]
        if not low - tolerance <= value <= high + tolerance:
            problems.append(f"{name} = {value:.0f} is outside {low:.0f}..{high:.0f}")
    return problems


@dataclass(frozen=True)
class Segment:
    """A drawn and checked part of the body: a tapered capsule from ``a`` to ``b``."""

    name: str  # e.g. left.thigh, trunk.upper, head
    a: Vec
    b: Vec
    ra: float
    rb: float
    side: Side | None
    limb: Literal["arm", "leg"] | None = None


@dataclass(frozen=True)
class Skeleton:
    """Joint positions and body-part frames of one posed body."""

    joints: dict[str, Vec]
    axes: dict[str, Axes]

    def segments(self) -> list[Segment]:
        j = self.joints
        out = [
            Segment("neck", j["neck"], j["head"], *RADII["neck"], None),
            Segment("head", j["head"], j["head"], HEAD_RADIUS, HEAD_RADIUS, None),
        ]
        for side in SIDES:
            out += [
                Segment(f"{side}.upper_arm", j[f"{side}.shoulder"], j[f"{side}.elbow"], *RADII["upper_arm"], side, "arm"),
                Segment(f"{side}.forearm", j[f"{side}.elbow"], j[f"{side}.wrist"], *RADII["forearm"], side, "arm"),
                Segment(f"{side}.hand", j[f"{side}.wrist"], j[f"{side}.fingers"], *RADII["hand"], side, "arm"),
                Segment(f"{side}.thigh", j[f"{side}.hip"], j[f"{side}.knee"], *RADII["thigh"], side, "leg"),
                Segment(f"{side}.shin", j[f"{side}.knee"], j[f"{side}.ankle"], *RADII["shin"], side, "leg"),
                Segment(f"{side}.foot", j[f"{side}.ankle"], j[f"{side}.toes"], *RADII["foot"], side, "leg"),
            ]
        return out

    def torso_points(self) -> list[Vec]:
        """The outline points of chest and pelvis (width and depth), for drawing and the floor check."""
        return [point for group in torso_blocks(self) for point in group]

    def lowest(self, skip: frozenset[str] = frozenset()) -> float:
        """The lowest y any part of the body reaches (surfaces, not joint centres), leaving
        out the limbs named in ``skip`` (``left.arm``, ``right.leg`` ...)."""
        low = min(p[1] for p in self.torso_points())
        for seg in self.segments():
            if f"{seg.side}.{seg.limb}" not in skip:
                low = min(low, seg.a[1] - seg.ra, seg.b[1] - seg.rb)
        return low


#: Half-width and half-depth of the trunk at its levels, and how far below the level the
#: outline reaches (cm): shoulders, waist and pelvis.
TRUNK_SHAPE = {"chest": (17.0, 10.0), "waist": (13.0, 8.5), "pelvis": (16.0, 9.5)}


def torso_blocks(skeleton: Skeleton) -> list[list[Vec]]:
    """Two blocks of eight corner points: chest (shoulders to waist) and pelvis (waist to hips)."""
    j, axes = skeleton.joints, skeleton.axes

    def ring(centre: Vec, frame: Axes, half_width: float, half_depth: float) -> list[Vec]:
        return [add(centre, frame.world(f * half_depth, 0.0, l * half_width)) for f in (1, -1) for l in (1, -1)]  # noqa: E741

    chest_top = add(j["neck"], scale(axes["chest"].up, -4.0))
    pelvis_bottom = add(j["pelvis"], scale(axes["pelvis"].up, -6.0))
    chest = ring(chest_top, axes["chest"], *TRUNK_SHAPE["chest"]) + ring(j["waist"], axes["waist"], *TRUNK_SHAPE["waist"])
    pelvis = ring(j["waist"], axes["waist"], *TRUNK_SHAPE["waist"]) + ring(
        pelvis_bottom, axes["pelvis"], *TRUNK_SHAPE["pelvis"]
    )
    return [chest, pelvis]


def _side_sign(side: Side) -> float:
    return 1.0 if side == "left" else -1.0


def _limb_axes(parent: Axes, rotation: Rotation3, side: Side) -> Axes:
    """The frame of a thigh or upper arm: abduction, then flexion, then rotation about itself."""
    s = _side_sign(side)
    axes = parent.turned(parent.front, s * rotation.abd)
    axes = axes.turned(parent.left, -rotation.flex)
    return axes.turned(axes.up, -s * rotation.rot)


def forward(angles: BodyAngles) -> Skeleton:
    """Forward kinematics: joint positions and part frames from the angles."""
    pelvis = pelvis_axes(angles.turn, angles.tilt, angles.roll)
    joints: dict[str, Vec] = {"pelvis": angles.at}
    frames: dict[str, Axes] = {"pelvis": pelvis}

    def spine_part(parent: Axes, spine: SpineAngles, share: float) -> Axes:
        axes = parent.turned(parent.left, spine.flex * share)
        axes = axes.turned(axes.front, -spine.bend * share)
        return axes.turned(axes.up, spine.twist * share)

    waist_axes = spine_part(pelvis, angles.spine, 0.5)
    joints["waist"] = add(angles.at, scale(waist_axes.up, LUMBAR))
    chest_axes = spine_part(waist_axes, angles.spine, 0.5)
    joints["neck"] = add(joints["waist"], scale(chest_axes.up, THORAX))
    head_axes = spine_part(chest_axes, angles.neck, 1.0)
    joints["head"] = add(joints["neck"], scale(head_axes.up, NECK + HEAD_RADIUS))
    frames.update(waist=waist_axes, chest=chest_axes, head=head_axes)

    for side in SIDES:
        s = _side_sign(side)
        leg = angles.legs[side]
        hip = add(angles.at, scale(pelvis.left, s * HIP_HALF_WIDTH))
        thigh = _limb_axes(pelvis, leg.root, side)
        knee = add(hip, scale(thigh.up, -THIGH))
        shin = thigh.turned(thigh.left, leg.middle)
        ankle = add(knee, scale(shin.up, -SHIN))
        foot_dir = rotate(shin.front, shin.left, FOOT_PITCH - leg.end)
        joints.update({f"{side}.hip": hip, f"{side}.knee": knee, f"{side}.ankle": ankle})
        joints[f"{side}.toes"] = add(ankle, scale(foot_dir, FOOT))
        frames.update({f"{side}.thigh": thigh, f"{side}.shin": shin})

        arm = angles.arms[side]
        shoulder = add(add(joints["neck"], scale(chest_axes.left, s * SHOULDER_HALF_WIDTH)), scale(chest_axes.up, -SHOULDER_DROP))
        upper = _limb_axes(chest_axes, arm.root, side)
        elbow = add(shoulder, scale(upper.up, -UPPER_ARM))
        fore = upper.turned(upper.left, -arm.middle)
        wrist = add(elbow, scale(fore.up, -FOREARM))
        hand_dir = rotate(scale(fore.up, -1.0), fore.left, -arm.end)
        joints.update({f"{side}.shoulder": shoulder, f"{side}.elbow": elbow, f"{side}.wrist": wrist})
        joints[f"{side}.fingers"] = add(wrist, scale(hand_dir, HAND))
        frames.update({f"{side}.upper_arm": upper, f"{side}.forearm": fore})
    return Skeleton(joints=joints, axes=frames)


# --- reaching: solve a limb's angles so its end lands on a point ------------------------
def _signed_angle(a: Vec, b: Vec, axis: Vec) -> float:
    return math.degrees(math.atan2(dot(cross(a, b), axis), dot(a, b)))


def reach(
    parent: Axes,
    root: Vec,
    target: Vec,
    pole: Vec,
    side: Side,
    *,
    leg: bool,
) -> tuple[Rotation3, float]:
    """Root rotation and middle-joint flexion that put the limb's end (ankle or wrist) on ``target``.

    ``pole`` is a world direction the knee or elbow points towards. Targets out of reach
    straighten the limb towards them; targets too close fold it fully.
    """
    first, second = (THIGH, SHIN) if leg else (UPPER_ARM, FOREARM)
    to_target = sub(target, root)
    distance = min(max(norm(to_target), abs(first - second) + 1e-6), first + second - 1e-6)
    direction = unit(to_target)
    side_way = sub(pole, scale(direction, dot(pole, direction)))
    if norm(side_way) < 1e-9:
        side_way = parent.front
    side_way = unit(side_way)
    cos_a = (first * first + distance * distance - second * second) / (2 * first * distance)
    alpha = math.acos(max(-1.0, min(1.0, cos_a)))
    middle_dir = add(scale(direction, math.cos(alpha)), scale(side_way, math.sin(alpha)))
    middle = add(root, scale(middle_dir, first))
    end = add(root, scale(direction, distance))
    lower_dir = unit(sub(end, middle))
    bend = math.degrees(math.acos(max(-1.0, min(1.0, dot(middle_dir, lower_dir)))))

    s = _side_sign(side)
    f, u, l = parent.local(middle_dir)  # noqa: E741
    abd = math.degrees(math.asin(max(-1.0, min(1.0, s * l))))
    flex = math.degrees(math.atan2(f, -u)) if abs(f) + abs(u) > 1e-9 else 0.0
    if flex < -90.0:  # the same direction, said the anatomical way: overhead is 181, not -179
        flex += 360.0
    untwisted = _limb_axes(parent, Rotation3(flex=flex, abd=abd), side)
    # The knee folds the shin behind the thigh, the elbow the forearm in front of the arm:
    # the part's front must face away from (knee) or towards (elbow) the lower segment.
    across = sub(lower_dir, scale(middle_dir, dot(lower_dir, middle_dir)))
    if norm(across) < 1e-6:  # straight: the pole says where the joint points
        across = scale(side_way, -1.0)
    wanted_front = unit(scale(across, -1.0 if leg else 1.0))
    twist = _signed_angle(untwisted.front, wanted_front, untwisted.up)
    return Rotation3(flex=flex, abd=abd, rot=-s * twist), bend

