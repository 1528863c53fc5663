"""Pose landmarks as the camera coach sees them, and the measures it takes on them.

The browser's pose model (MediaPipe BlazePose) gives 33 *world* landmarks per frame: metres,
origin between the hips, x to the image's right, **y down**, z towards or away from the
camera, each ``{x, y, z, visibility}``. "Up" is ``-y``. The camera coach's rules measure
angles on them (``measure``); the browser evaluator (``web/static/camera/rules.js``) computes
the same four measures, and ``tests/unit/camera_measure_cases.json`` holds cases both check.

Measures (degrees, except ``ratio``):

- ``angle [a, b, c]``: the unsigned angle at b between b->a and b->c, 0..180.
- ``offset [a, b, c]``: how far b bends off the straight line a-c, ``180 - angle``, signed:
  negative when b lies *below* the point of segment a-c closest to it (larger y), positive
  otherwise (above it, or level with it). A straight line is 0; a plank's sagging hips
  read negative, piking hips positive.
- ``tilt [a, b]``: the angle of a->b from straight up: 0 when b is right above a (the ankle
  to shoulder line of a person standing; knee to hip of a hanging leg), 90 level, 180 when
  b is right below a.
- ``ratio [a, b, c, d]``: the level (x-z plane) distance a-b over the level distance c-d
  (knees apart over ankles apart). No unit.

Point names: the 33 landmark names and the midpoints ``mid_shoulder``, ``mid_hip``,
``mid_knee`` ... of every side-less name (visibility: the smaller of the two). Rules also
write side-less names (``knee``) and ``other_knee``; :func:`resolve_point` turns those into
full names for a given side.

:func:`skeleton_landmarks` places the 33 landmarks on lumbo's own 3-D mannequin
(``lumbo.domain.body``), so target angles can be measured on an exercise's key frames. The
mannequin's axes (x ahead, y up, z to the right, centimetres) become (x, -y, -z) / 100 with
the origin between the hips: a half turn about x, so y points down and left stays left.
The measures do not depend on how the body is turned about the vertical.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from lumbo.domain.vectors import Vec, add, dot, norm, scale, sub

if TYPE_CHECKING:  # the body model is imported only when a mannequin is measured (a faster start)
    from lumbo.domain.body import Skeleton

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")

MeasureKind = Literal["angle", "offset", "tilt", "ratio"]
#: How many points each kind of measure takes.
POINT_COUNT: dict[str, int] = {"angle": 3, "offset": 3, "tilt": 2, "ratio": 4}

LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
LANDMARK_INDEX: dict[str, int] = {name: index for index, name in enumerate(LANDMARK_NAMES)}
#: Side-less names a rule may use; each resolves to ``left_NAME`` or ``right_NAME``.
SIDELESS: tuple[str, ...] = (
    "shoulder", "hip", "knee", "ankle", "elbow", "wrist", "ear", "heel", "foot_index", "eye", "pinky", "index", "thumb",
)  # fmt: skip
#: Midpoints of the two sides' landmarks: ``mid_shoulder``, ``mid_hip``, ``mid_knee`` ... (one
#: for every side-less name). Lines through midpoints do not zigzag sideways: shoulders sit
#: wider apart than hips, so a left shoulder-hip-knee line bends about 10 degrees across the
#: body even when the body is straight, and its "above or below" sign would flicker.
MIDPOINTS: dict[str, tuple[str, str]] = {f"mid_{name}": (f"left_{name}", f"right_{name}") for name in SIDELESS}
#: Every name a rule may write.
RULE_POINTS: frozenset[str] = frozenset(
    {*LANDMARK_NAMES, *SIDELESS, *(f"other_{name}" for name in SIDELESS), *MIDPOINTS}
)

Landmark = Mapping[str, float]
Landmarks = Sequence[Landmark]


class MeasureError(ValueError):
    """A measure that cannot be taken: an unknown point name or the wrong number of points."""


def resolve_point(name: str, side: Side) -> str:
    """A rule's point name as a landmark or midpoint name: ``knee`` -> ``left_knee`` for the
    left side, ``other_knee`` -> ``right_knee``; full names and midpoints stay."""
    if name in LANDMARK_INDEX or name in MIDPOINTS:
        return name
    if name in SIDELESS:
        return f"{side}_{name}"
    if name.startswith("other_") and name[6:] in SIDELESS:
        return f"{'right' if side == 'left' else 'left'}_{name[6:]}"
    raise MeasureError(f"unknown point {name!r}")


def point(landmarks: Landmarks, name: str) -> Vec:
    """The position of a landmark or midpoint (full names only; see ``resolve_point``)."""
    if name in MIDPOINTS:
        first, second = (point(landmarks, part) for part in MIDPOINTS[name])
        return scale(add(first, second), 0.5)
    if name not in LANDMARK_INDEX:
        raise MeasureError(f"unknown point {name!r}")
    found = landmarks[LANDMARK_INDEX[name]]
    return (float(found["x"]), float(found["y"]), float(found["z"]))


def visibility(landmarks: Landmarks, name: str) -> float:
    if name in MIDPOINTS:
        return min(visibility(landmarks, part) for part in MIDPOINTS[name])
    return float(landmarks[LANDMARK_INDEX[name]].get("visibility", 1.0))


# --- the four measures ----------------------------------------------------------------------
def _angle_between(u: Vec, v: Vec) -> float:
    lengths = norm(u) * norm(v)
    if lengths < 1e-12:
        return math.nan
    cosine = dot(u, v) / lengths
    return math.degrees(math.acos(max(-1.0, min(1.0, cosine))))


def angle(a: Vec, b: Vec, c: Vec) -> float:
    return _angle_between(sub(a, b), sub(c, b))


def offset(a: Vec, b: Vec, c: Vec) -> float:
    bend = 180.0 - angle(a, b, c)
    line = sub(c, a)
    squared = dot(line, line)
    projected = dot(sub(b, a), line)
    share = 0.0 if squared < 1e-12 else max(0.0, min(1.0, projected / squared))
    closest_y = a[1] + share * line[1]  # the y of the point of segment a-c closest to b
    return -bend if b[1] > closest_y else bend


def tilt(a: Vec, b: Vec) -> float:
    return _angle_between(sub(b, a), (0.0, -1.0, 0.0))


def ratio(a: Vec, b: Vec, c: Vec, d: Vec) -> float:
    apart = math.hypot(a[0] - b[0], a[2] - b[2])
    base = math.hypot(c[0] - d[0], c[2] - d[2])
    return math.nan if base < 1e-12 else apart / base


def measure(kind: str, points: Sequence[str], landmarks: Landmarks) -> float:
    """One measure on 33 world landmarks; ``points`` are landmark or midpoint names.

    Returns NaN when the points coincide (no angle, or a zero distance to divide by).
    """
    if kind not in POINT_COUNT:
        raise MeasureError(f"unknown measure kind {kind!r}")
    if len(points) != POINT_COUNT[kind]:
        raise MeasureError(f"a {kind} takes {POINT_COUNT[kind]} points, not {len(points)}")
    at = [point(landmarks, name) for name in points]
    if kind == "angle":
        return angle(at[0], at[1], at[2])
    if kind == "offset":
        return offset(at[0], at[1], at[2])
    if kind == "tilt":
        return tilt(at[0], at[1])
    return ratio(at[0], at[1], at[2], at[3])


# --- the mannequin's landmarks ------------------------------------------------------------
#: Where each landmark sits on the mannequin (lumbo.domain.body). Joint centres where the
#: skeleton has them; the face, hands and heels are placed from the nearest part's frame
#: (centimetres along that part's front / up / left axes), close to where BlazePose puts them.
LANDMARK_PLACES: dict[str, str] = {
    "nose": "head centre + 10.5 front",
    "eyes": "head centre + 8 front + 3 up, 2.5 (inner) / 3.5 / 4.5 (outer) to the side",
    "ears": "head centre + 1 back, 7.5 to the side",
    "mouth": "head centre + 8 front - 4.5 up, 2.5 to the side",
    "shoulder, elbow, wrist": "the joints of the same name",
    "index": "the hand's end (the fingers' joint)",
    "pinky": "the hand's end, 2.5 to the little-finger side",
    "thumb": "halfway along the hand, 2.5 to the thumb side",
    "hip, knee, ankle": "the joints of the same name",
    "heel": "ankle - 4 along the shin - 5 front",
    "foot_index": "the toes' end of the foot",
}


def _face(skeleton: Skeleton, front: float, up: float, left: float) -> Vec:
    return add(skeleton.joints["head"], skeleton.axes["head"].world(front, up, left))


def skeleton_points(skeleton: Skeleton) -> dict[str, Vec]:
    """The 33 landmarks on a posed mannequin, in its own axes (cm, y up); see LANDMARK_PLACES."""
    from lumbo.domain.body import HEAD_RADIUS

    j = skeleton.joints
    at: dict[str, Vec] = {"nose": _face(skeleton, HEAD_RADIUS - 0.5, 0.0, 0.0)}
    for side in SIDES:
        s = 1.0 if side == "left" else -1.0
        for suffix, across in (("_inner", 2.5), ("", 3.5), ("_outer", 4.5)):
            at[f"{side}_eye{suffix}"] = _face(skeleton, 8.0, 3.0, s * across)
        at[f"{side}_ear"] = _face(skeleton, -1.0, 0.0, s * 7.5)
        at[f"mouth_{side}"] = _face(skeleton, 8.0, -4.5, s * 2.5)
        for joint in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle"):
            at[f"{side}_{joint}"] = j[f"{side}.{joint}"]
        fore = skeleton.axes[f"{side}.forearm"]
        fingers, wrist = j[f"{side}.fingers"], j[f"{side}.wrist"]
        at[f"{side}_index"] = fingers
        # The thumb is on the forearm's front side (palm down, thumb in), the little finger opposite.
        at[f"{side}_pinky"] = add(fingers, scale(fore.front, -2.5))
        at[f"{side}_thumb"] = add(scale(add(wrist, fingers), 0.5), scale(fore.front, 2.5))
        shin = skeleton.axes[f"{side}.shin"]
        at[f"{side}_heel"] = add(add(j[f"{side}.ankle"], scale(shin.up, -4.0)), scale(shin.front, -5.0))
        at[f"{side}_foot_index"] = j[f"{side}.toes"]
    return at


def skeleton_landmarks(skeleton: Skeleton, seen: float = 1.0) -> list[dict[str, float]]:
    """The 33 world landmarks the pose model would report for this mannequin: metres, origin
    between the hips, y down (the mannequin's (x, y, z) cm -> (x, -y, -z) / 100), each with
    visibility ``seen``."""
    at = skeleton_points(skeleton)
    centre = scale(add(at["left_hip"], at["right_hip"]), 0.5)
    out = []
    for name in LANDMARK_NAMES:
        x, y, z = sub(at[name], centre)
        out.append({"x": x / 100.0, "y": -y / 100.0, "z": -z / 100.0, "visibility": seen})
    return out
