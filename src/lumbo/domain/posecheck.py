"""Checks a machine can make on a pose: bones, joint limits, the floor, props, contacts.

Each check returns readable problems (empty when the pose passes); the tests run them on
every pose file and ``python -m lumbo.drawing.check ID ...`` prints them while drawing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from lumbo.domain.body import SIDES, Skeleton, Vec, add, norm, out_of_range, scale, sub
from lumbo.domain.pose import Pose, ResolvedFrame
from lumbo.domain.props import Line, Shape, distance, shapes

#: How far a part may sink into the floor or a prop (soft tissue, a mat), and how close a
#: declared contact must be.
SINK = 1.5
CONTACT = 1.0
#: Catalogue equipment words -> the prop kinds that show them.
EQUIPMENT_PROPS = {"foam_roller": "roller"}

BONES = (
    ("pelvis", "waist"),
    ("waist", "neck"),
    ("neck", "head"),
    *((f"{s}.hip", f"{s}.knee") for s in SIDES),
    *((f"{s}.knee", f"{s}.ankle") for s in SIDES),
    *((f"{s}.ankle", f"{s}.toes") for s in SIDES),
    *((f"{s}.shoulder", f"{s}.elbow") for s in SIDES),
    *((f"{s}.elbow", f"{s}.wrist") for s in SIDES),
    *((f"{s}.wrist", f"{s}.fingers") for s in SIDES),
    ("left.hip", "right.hip"),
    ("left.shoulder", "right.shoulder"),
)


def bone_lengths(skeleton: Skeleton) -> dict[str, float]:
    return {f"{a}-{b}": norm(sub(skeleton.joints[b], skeleton.joints[a])) for a, b in BONES}


def check_bones(frames: Sequence[ResolvedFrame]) -> list[str]:
    first = bone_lengths(frames[0].skeleton)
    problems = []
    for index, frame in enumerate(frames[1:], start=1):
        for name, length in bone_lengths(frame.skeleton).items():
            if abs(length - first[name]) > 1e-6:
                problems.append(f"frame {index}: bone {name} is {length:.2f} cm, not {first[name]:.2f}")
    return problems


def check_limits(frames: Sequence[ResolvedFrame]) -> list[str]:
    return [f"frame {i}: {line}" for i, frame in enumerate(frames) for line in out_of_range(frame.angles)]


def surface_samples(skeleton: Skeleton) -> dict[str, list[tuple[Vec, float]]]:
    """Points along every body part with the part's radius there, by contact-part name."""
    samples: dict[str, list[tuple[Vec, float]]] = {"trunk": [(p, 0.0) for p in skeleton.torso_points()]}
    samples["pelvis"] = samples["trunk"][8:]
    for segment in skeleton.segments():
        points = []
        for k in range(7):
            t = k / 6
            points.append((add(segment.a, scale(sub(segment.b, segment.a), t)), segment.ra + (segment.rb - segment.ra) * t))
        samples[segment.name] = points
    for side in SIDES:
        samples[f"{side}.knee"] = [(skeleton.joints[f"{side}.knee"], 5.5)]
        samples[f"{side}.elbow"] = [(skeleton.joints[f"{side}.elbow"], 4.0)]
        samples[f"{side}.heel"] = [(skeleton.joints[f"{side}.ankle"], 4.5)]
    return samples


def _gap(samples: Iterable[tuple[Vec, float]], shape: Shape | None) -> float:
    """Smallest surface gap between body samples and a shape (or the floor when None)."""
    if shape is None:
        return min(point[1] - radius for point, radius in samples)
    return min(distance(point, shape) - radius for point, radius in samples)


def _prop_shapes(pose: Pose, skeleton: Skeleton) -> list[tuple[int, str, Shape]]:
    return [
        (index, prop.kind, shape)
        for index, prop in enumerate(pose.props)
        for shape in shapes(prop, skeleton)
        if not isinstance(shape, Line)
    ]


def check_floor_and_props(pose: Pose, frames: Sequence[ResolvedFrame]) -> list[str]:
    """No part below the floor, none inside a prop (a prop a part holds or rests in excepted)."""
    problems = []
    for index, frame in enumerate(frames):
        samples = surface_samples(frame.skeleton)
        parts = {name: points for name, points in samples.items() if name.count(".") == 1 or name in ("head", "trunk")}
        low = min(_gap(points, None) for points in parts.values())
        if low < -SINK:
            problems.append(f"frame {index}: the body goes {-low:.1f} cm below the floor")
        for prop_index, kind, shape in _prop_shapes(pose, frame.skeleton):
            held = pose.props[prop_index].attach
            for name, points in parts.items():
                if held is not None and name.split(".")[0] == held.split(".")[0] and _limb_holds(name, held):
                    continue
                gap = _gap(points, shape)
                if gap < -SINK - _allowance(kind):
                    problems.append(f"frame {index}: {name} is {-gap:.1f} cm inside the {kind}")
    return problems


def _limb_holds(part: str, joint: str) -> bool:
    hand = joint.endswith(("wrist", "fingers", "hand"))
    return part.endswith(("hand", "forearm")) if hand else not part.endswith(("hand", "forearm", "upper_arm"))


def _allowance(kind: str) -> float:
    """Soft props give a little: a ball or roller presses into muscle, a mat into the floor."""
    return {"ball": 3.0, "roller": 3.0, "peanut": 3.0, "mat": 1.0}.get(kind, 0.0)


def check_contacts(pose: Pose, frames: Sequence[ResolvedFrame]) -> list[str]:
    problems = []
    for contact in pose.contacts:
        for index in contact.frames if contact.frames is not None else range(len(frames)):
            skeleton = frames[index].skeleton
            samples = surface_samples(skeleton)[contact.part]
            if contact.on == "floor":
                gap = _gap(samples, None)
            else:
                targets = [
                    shape
                    for prop_index, kind, shape in _prop_shapes(pose, skeleton)
                    if contact.on in (kind, f"prop{prop_index}")
                ]
                if not targets:
                    problems.append(f"frame {index}: {contact.part} rests on {contact.on!r}, which is not in the scene")
                    continue
                gap = min(_gap(samples, shape) for shape in targets)
            if gap > CONTACT:
                problems.append(f"frame {index}: {contact.part} is {gap:.1f} cm off the {contact.on}")
    return problems


def check_equipment(pose: Pose, equipment: Sequence[Sequence[str]]) -> list[str]:
    """The first equipment option of the catalogue entry must be drawn."""
    if not equipment or not equipment[0]:
        return []
    kinds = {prop.kind for prop in pose.props}
    missing = [word for word in equipment[0] if EQUIPMENT_PROPS.get(word, word) not in kinds]
    return [f"the {word} the exercise needs is not drawn" for word in missing]


def check_all(pose: Pose, frames: Sequence[ResolvedFrame], equipment: Sequence[Sequence[str]] = ()) -> list[str]:
    return [
        *check_bones(frames),
        *check_limits(frames),
        *check_floor_and_props(pose, frames),
        *check_contacts(pose, frames),
        *check_equipment(pose, equipment),
    ]


def mirrored_differs(first: Skeleton, other: Skeleton, working: str) -> bool:
    """The working side's limb sits elsewhere in the mirrored figure (left/right really swap)."""
    moved = 0.0
    for joint in ("knee", "ankle", "elbow", "wrist"):
        a, b = first.joints[f"{working}.{joint}"], other.joints[f"{working}.{joint}"]
        moved = max(moved, math.dist(a, b))
    return moved > 1.0
