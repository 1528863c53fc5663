"""Movement for synthetic videos: blend key frames, change a pose by a known amount, measure it.

Everything works on ``BodyAngles`` (lumbo.domain.body), so what a video shows is a real
pose of the 3-D mannequin and the angles the camera coach should read back are measured
on the same skeleton (``truth``), in the coach's own terms (angle, offset, tilt).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import replace

from lumbo.domain.body import (
    SIDES,
    BodyAngles,
    LimbAngles,
    Rotation3,
    Side,
    Skeleton,
    SpineAngles,
    Vec,
    forward,
)
from lumbo.domain.landmarks import measure, resolve_point, skeleton_landmarks
from lumbo.drawing.figures import resolved


def key_frames(exercise_id: str, side: Side | None = None) -> list[BodyAngles]:
    """The exercise's key frames (from its pose file) as plain joint angles."""
    return [frame.angles for frame in resolved(exercise_id, side)]


# --- blending -----------------------------------------------------------------------------
def _mix(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def _mix_rotation(a: Rotation3, b: Rotation3, t: float) -> Rotation3:
    return Rotation3(_mix(a.flex, b.flex, t), _mix(a.abd, b.abd, t), _mix(a.rot, b.rot, t))


def _mix_spine(a: SpineAngles, b: SpineAngles, t: float) -> SpineAngles:
    return SpineAngles(_mix(a.flex, b.flex, t), _mix(a.bend, b.bend, t), _mix(a.twist, b.twist, t))


def _mix_limb(a: LimbAngles, b: LimbAngles, t: float) -> LimbAngles:
    return LimbAngles(_mix_rotation(a.root, b.root, t), _mix(a.middle, b.middle, t), _mix(a.end, b.end, t))


def blend(a: BodyAngles, b: BodyAngles, t: float) -> BodyAngles:
    """The pose a fraction ``t`` of the way from ``a`` to ``b`` (every angle moves evenly)."""
    at: Vec = (_mix(a.at[0], b.at[0], t), _mix(a.at[1], b.at[1], t), _mix(a.at[2], b.at[2], t))
    return BodyAngles(
        at=at,
        turn=_mix(a.turn, b.turn, t),
        tilt=_mix(a.tilt, b.tilt, t),
        roll=_mix(a.roll, b.roll, t),
        spine=_mix_spine(a.spine, b.spine, t),
        neck=_mix_spine(a.neck, b.neck, t),
        arms={side: _mix_limb(a.arms[side], b.arms[side], t) for side in SIDES},
        legs={side: _mix_limb(a.legs[side], b.legs[side], t) for side in SIDES},
    )


def ease(t: float) -> float:
    """Slow out, slow in (smoothstep), as a person moves."""
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


# --- the floor ----------------------------------------------------------------------------
def grounded(angles: BodyAngles) -> BodyAngles:
    """The same pose moved up or down until its lowest point rests on the floor."""
    drop = forward(angles).lowest()
    return replace(angles, at=(angles.at[0], angles.at[1] - drop, angles.at[2]))


def _lowest(skeleton: Skeleton, limbs: Iterable[str]) -> float:
    wanted = set(limbs)
    low = math.inf
    for seg in skeleton.segments():
        if f"{seg.side}.{seg.limb}" in wanted:
            low = min(low, seg.a[1] - seg.ra, seg.b[1] - seg.rb)
    return low


def levelled(
    angles: BodyAngles,
    turn: Callable[[BodyAngles, float], BodyAngles],
    low: float,
    high: float,
    first: Iterable[str],
    second: Iterable[str],
) -> BodyAngles:
    """Turn the body (``turn(angles, value)``, value in low..high) until the limbs in ``first``
    and those in ``second`` reach the same height, so both rest on the floor; then ground it."""
    first, second = tuple(first), tuple(second)

    def gap(value: float) -> float:
        skeleton = forward(turn(angles, value))
        return _lowest(skeleton, first) - _lowest(skeleton, second)

    g_low, g_high = gap(low), gap(high)
    if g_low * g_high > 0:
        raise ValueError(f"no turn between {low} and {high} rests both supports on the floor")
    for _ in range(50):
        middle = (low + high) / 2
        g_middle = gap(middle)
        if (g_middle > 0) == (g_low > 0):
            low, g_low = middle, g_middle
        else:
            high = middle
    return grounded(turn(angles, (low + high) / 2))


# --- known changes to a pose --------------------------------------------------------------
def _legs_hip(angles: BodyAngles, flex: float = 0.0, abd: dict[Side, float] | None = None) -> BodyAngles:
    abd = abd or {"left": 0.0, "right": 0.0}
    legs = {}
    for side in SIDES:
        leg = angles.legs[side]
        root = Rotation3(leg.root.flex + flex, leg.root.abd + abd[side], leg.root.rot)
        legs[side] = LimbAngles(root, leg.middle, leg.end)
    return replace(angles, legs=legs)


def plank_sag(angles: BodyAngles, degrees: float) -> BodyAngles:
    """A front plank whose hips sag by ``degrees`` (negative: they pike up instead).

    Both hips extend by ``degrees`` and the trunk tips until forearms and toes both rest on
    the floor again: the shoulders and feet stay down, the hips drop.
    """
    bent = _legs_hip(angles, flex=-degrees)

    def tilt(a: BodyAngles, value: float) -> BodyAngles:
        return replace(a, tilt=value)

    return levelled(bent, tilt, angles.tilt - abs(degrees) - 25, angles.tilt + abs(degrees) + 25, _ARMS, _LEGS)


def side_plank_drop(angles: BodyAngles, degrees: float, down: Side = "left") -> BodyAngles:
    """A side plank (lying on the ``down`` side) whose hips drop by ``degrees`` towards the floor.

    The legs swing sideways at the hips (towards the upper side) and the body rolls until
    the forearm and the feet both rest on the floor again.
    """
    up: Side = "right" if down == "left" else "left"
    bent = _legs_hip(angles, abd={down: -degrees, up: degrees})
    sign = 1.0 if down == "left" else -1.0

    def roll(a: BodyAngles, value: float) -> BodyAngles:
        return replace(a, roll=value)

    arm = (f"{down}.arm",)
    centre = angles.roll
    span = abs(degrees) + 25
    low, high = sorted((centre - sign * span, centre + sign * span))
    return levelled(bent, roll, low, high, arm, _LEGS)


_ARMS = ("left.arm", "right.arm")
_LEGS = ("left.leg", "right.leg")


# --- ground truth, in the camera coach's terms ----------------------------------------------
def truth(angles: BodyAngles, kind: str, points: list[str], side: Side) -> float:
    """A camera-coach measure taken on the 3-D mannequin itself (degrees): the coach's own
    measure on the landmarks the mannequin would give."""
    landmarks = skeleton_landmarks(forward(angles))
    return measure(kind, [resolve_point(name, side) for name in points], landmarks)
