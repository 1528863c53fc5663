"""Named base postures that pose files build on (``- base: quadruped`` plus overrides).

Each posture is the raw data of one frame (see lumbo.domain.pose.Frame). A pose file's
frame may name a ``base`` and override any of its keys; a limb given again replaces the
whole limb. Coordinates follow the conventions in lumbo.domain.pose: y up, floor at 0,
the body's front clockwise of its spine (supine = head left, prone = head right).
"""

from __future__ import annotations

from typing import Any

Raw = dict[str, Any]


def _arm(a: float, b: float) -> Raw:
    return {"angles": [a, b]}


def _reach(x: float, y: float, bend: float = 0.0, end: float | None = None) -> Raw:
    limb: Raw = {"reach": [x, y], "bend": bend}
    if end is not None:
        limb["end"] = end
    return limb


POSTURES: dict[str, Raw] = {
    # Upright, facing right.
    "standing": {
        "hip": [0, 89.5],
        "trunk": 90,
        "face": 0,
        "arm_near": _arm(-95, -82),
        "arm_far": _arm(-92, -80),
        "leg_near": _reach(3, 3),
        "leg_far": _reach(-2, 3),
    },
    # Lying on the back, head on the left, legs long.
    "supine": {
        "hip": [0, 9],
        "trunk": 180,
        "face": 90,
        "neck": 180,
        "arm_near": _arm(-3, 0),
        "arm_far": _arm(-1, 0),
        "leg_near": _arm(-1, 0),
        "leg_far": _arm(0, 0),
    },
    # Lying on the back with knees bent and feet flat (hook lying).
    "hooklying": {
        "hip": [0, 9],
        "trunk": 180,
        "face": 90,
        "neck": 180,
        "arm_near": _arm(-3, 0),
        "arm_far": _arm(-1, 0),
        "leg_near": _reach(50, 4, 90),
        "leg_far": _reach(48, 4, 90),
    },
    # Lying on the front, head on the right.
    "prone": {
        "hip": [0, 9],
        "trunk": 0,
        "face": -90,
        "arm_near": _arm(-178, -180),
        "arm_far": _arm(-176, -180),
        "leg_near": {"angles": [180, 180], "end": 185},
        "leg_far": {"angles": [180, 180], "end": 183},
    },
    # On hands and knees, head on the right.
    "quadruped": {
        "hip": [0, 48],
        "trunk": 12,
        "face": -60,
        "neck": 18,
        "arm_near": _arm(-89, -90),
        "arm_far": _arm(-92, -92),
        "leg_near": {"reach": [-42, 5], "bend": -90, "end": 180},
        "leg_far": {"reach": [-44, 5], "bend": -90, "end": 180},
    },
    # Kneeling upright, facing right.
    "kneeling": {
        "hip": [0, 50],
        "trunk": 90,
        "face": 0,
        "arm_near": _arm(-95, -82),
        "arm_far": _arm(-92, -80),
        "leg_near": {"reach": [-41, 5], "bend": -90, "end": 180},
        "leg_far": {"reach": [-43, 5], "bend": -90, "end": 180},
    },
    # Sitting on the floor with the legs long, facing right.
    "long_sitting": {
        "hip": [0, 9],
        "trunk": 95,
        "face": 0,
        "arm_near": _arm(-110, -95),
        "arm_far": _arm(-115, -98),
        "leg_near": {"angles": [0, 0], "end": 90},
        "leg_far": {"angles": [1, -1], "end": 92},
    },
    # Sitting on a chair (seat height 45), facing right.
    "chair_sitting": {
        "hip": [6, 54],
        "trunk": 92,
        "face": 0,
        "arm_near": _arm(-70, -10),
        "arm_far": _arm(-72, -12),
        "leg_near": _reach(48, 3, 90),
        "leg_far": _reach(45, 3, 90),
    },
    # Deep squat, heels down, facing right.
    "squat": {
        "hip": [-14, 26],
        "trunk": 70,
        "chest": 78,
        "face": 5,
        "arm_near": _arm(-40, 10),
        "arm_far": _arm(-38, 12),
        "leg_near": _reach(10, 3, 10),
        "leg_far": _reach(6, 3, 10),
    },
    # Front forearm plank on the toes, head on the right.
    "plank": {
        "hip": [0, 26],
        "trunk": 7.3,
        "face": -90,
        "arm_near": _arm(-90, 0),
        "arm_far": _arm(-92, -2),
        "leg_near": _arm(187.3, 187.3),
        "leg_far": _arm(187.8, 187.8),
    },
    # Standing, seen from the front.
    "standing_front": {
        "hip": [0, 88],
        "trunk": 90,
        "face": None,
        "arm_near": _arm(-105, -98),
        "arm_far": _arm(-75, -82),
        "leg_near": _reach(-11, 3, 180),
        "leg_far": _reach(11, 3, 0),
    },
    # Hanging from a bar at height 214, seen from the front.
    "hanging": {
        "hip": [0, 103],
        "trunk": 90,
        "face": None,
        "arm_near": _reach(-22, 212, 180),
        "arm_far": _reach(22, 212, 0),
        "leg_near": _arm(-93, -91),
        "leg_far": _arm(-87, -89),
    },
    # Forearm side plank seen from the front: head left, feet stacked on the right.
    "side_plank": {
        "hip": [0, 22.6],
        "trunk": 169,
        "face": None,
        "arm_near": {"angles": [-90, -90], "scale": [1, 0.15]},
        "arm_far": _arm(90, 90),
        "leg_near": {"angles": [-11, -11], "end": -20},
        "leg_far": {"angles": [-10, -10], "end": -20},
    },
    # Half kneeling: front foot flat, back knee down, trunk upright, facing right.
    "half_kneeling": {
        "hip": [0, 48],
        "trunk": 90,
        "face": 0,
        "arm_near": _arm(-85, -60),
        "arm_far": _arm(-88, -65),
        "leg_near": _reach(40, 3, 90),
        "leg_far": {"reach": [-50, 5], "bend": -90, "end": 180},
    },
    # On hands and knees seen from the front: the trunk points at the viewer (short), the
    # head hangs between the arms, the thighs go down to the knees behind.
    "all_fours_front": {
        "hip": [0, 48],
        "trunk": 90,
        "spine": 0.22,
        "neck": -90,
        "face": None,
        "arm_near": _reach(-30, 3, 180),
        "arm_far": _reach(30, 3, 0),
        "leg_near": {"angles": [-108, -90], "scale": [1, 0.1]},
        "leg_far": {"angles": [-72, -90], "scale": [1, 0.1]},
    },
    # Lying on the side, seen from the front: head on the left, legs stacked to the right.
    "side_lying": {
        "hip": [0, 16],
        "trunk": 178,
        "face": None,
        "neck": 165,
        "arm_near": _arm(-10, -30),
        "arm_far": _arm(170, 120),
        "leg_near": {"angles": [0, 0], "end": 10},
        "leg_far": {"angles": [-2, -2], "end": 10},
    },
}


def posture(name: str) -> Raw:
    """A copy of a named base posture; KeyError names the known ones."""
    try:
        return dict(POSTURES[name])
    except KeyError:
        raise KeyError(f"unknown base posture {name!r}; known: {', '.join(sorted(POSTURES))}") from None
