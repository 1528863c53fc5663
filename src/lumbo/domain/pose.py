"""Exercise poses as data: key frames of a 3-D body given by joint angles, props, a camera.

The body model (axes, angle signs, bone lengths, limits) is in ``lumbo.domain.body``. A
pose file gives, per key frame, where the pelvis is and how it is turned, and the angles
of the spine, the neck and each limb. A limb may instead ``reach`` a point or another
joint (a hand on a knee, a foot on a bench); its angles are then solved, so every frame
still ends up as plain joint angles (``ResolvedFrame.angles``), which is what the checks
and a camera coach compare against.

By default a frame is lowered or raised until its lowest point rests on the floor
(``ground: floor``); ``ground: none`` keeps the pelvis where ``body.at`` puts it (hanging,
standing on a step, lying on a bench).

Per-side exercises are drawn doing the first side (``working``, normally ``left``); the
other side is the mirror image (``Pose.mirrored``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lumbo.domain.body import (
    SIDES,
    BodyAngles,
    LimbAngles,
    Rotation3,
    Side,
    Skeleton,
    SpineAngles,
    Vec,
    add,
    forward,
    reach,
)

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
Limb = Literal["arm", "leg"]
LIMBS: tuple[Limb, Limb] = ("arm", "leg")
CameraName = Literal["side", "front", "back", "three_quarter", "three_quarter_back", "top"]
#: Named cameras: (azimuth, elevation) in degrees. Azimuth 0 looks at the body's right
#: side from +z, 90 looks at its front from +x; elevation raises the eye.
CAMERAS: dict[str, tuple[float, float]] = {
    "side": (0.0, 8.0),
    "front": (90.0, 8.0),
    "back": (-90.0, 8.0),
    "three_quarter": (40.0, 20.0),
    "three_quarter_back": (-40.0, 20.0),
    "top": (20.0, 62.0),
}
#: Parts a contact may name: body segments, the trunk, and the joints' ends.
CONTACT_PARTS = (
    "head",
    "trunk",
    "pelvis",
    *(f"{side}.{part}" for side in SIDES for part in ("hand", "forearm", "elbow", "foot", "heel", "shin", "knee", "thigh")),
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Turns(_Strict):
    flex: float = 0.0
    abd: float = 0.0
    rot: float = 0.0


class SpineTurns(_Strict):
    flex: float = 0.0
    bend: float = 0.0
    twist: float = 0.0


class Root(_Strict):
    """Where the pelvis centre is (cm) and how the body is turned (see lumbo.domain.body)."""

    at: Vec = (0.0, 92.0, 0.0)
    turn: float = 0.0
    tilt: float = 0.0
    roll: float = 0.0


class Reach(_Strict):
    """Put the limb's end (ankle or wrist) on a point or on another joint plus an offset."""

    to: Vec | str
    offset: Vec = (0.0, 0.0, 0.0)
    #: World direction the knee or elbow points towards.
    pole: Vec = (1.0, 0.0, 0.0)


class Leg(_Strict):
    hip: Turns = Turns()
    knee: float = 0.0
    ankle: float = 0.0
    reach: Reach | None = None


class Arm(_Strict):
    shoulder: Turns = Turns()
    elbow: float = 0.0
    wrist: float = 0.0
    reach: Reach | None = None


class Frame(_Strict):
    body: Root = Root()
    ground: Literal["floor", "none"] = "floor"
    spine: SpineTurns = SpineTurns()
    neck: SpineTurns = SpineTurns()
    left_leg: Leg = Leg()
    right_leg: Leg = Leg()
    left_arm: Arm = Arm()
    right_arm: Arm = Arm()


class Prop(_Strict):
    """A piece of equipment in the scene. ``at`` is the centre of its footprint on the floor
    (round things: their centre); ``size`` is (length along x, height, depth along z) and
    ``turn`` turns it about the vertical. ``attach`` makes it follow a joint (weights in a
    hand, a roller under the back: ``at`` is then an offset from the joint); bands and
    straps run from ``at`` (their anchor) to the joint named in ``to``."""

    kind: PropKind
    at: Vec = (0.0, 0.0, 0.0)
    size: Vec | None = None
    turn: float = 0.0
    attach: str | None = None
    to: str | None = None


class Contact(_Strict):
    """A body part that touches the floor or a prop (by kind, or ``prop2`` by index) in a frame."""

    part: str
    on: str = "floor"
    frames: list[int] | None = None  # None: every frame


class Arrow(_Strict):
    """The path of a joint from one frame to another (or a circle around it), drawn curved."""

    joint: str
    start: int = 0
    stop: int = 1
    curve: float = 0.3
    offset: tuple[float, float] = (0.0, 0.0)
    both_ends: bool = False
    circle: float | None = None


class Camera(_Strict):
    azimuth: float
    elevation: float = 10.0


class Pose(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    camera: CameraName | Camera = "side"
    #: The side that works in the drawn (first) side; None for exercises done with both.
    working: Side | None = None
    #: Which limbs to colour on the working side.
    highlight: list[Limb] = Field(default_factory=lambda: list(LIMBS))
    frames: list[Frame] = Field(min_length=1, max_length=6)
    main: int = -1
    props: list[Prop] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    arrows: list[Arrow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _indices(self) -> Pose:
        count = len(self.frames)
        if not -count <= self.main < count:
            raise ValueError(f"main frame {self.main} is out of range for {count} frame(s)")
        for arrow in self.arrows:
            stop = arrow.start if arrow.circle is not None else arrow.stop
            if not (0 <= arrow.start < count and 0 <= stop < count):
                raise ValueError(f"an arrow refers to a frame outside 0..{count - 1}")
        for contact in self.contacts:
            if contact.part not in CONTACT_PARTS:
                raise ValueError(f"unknown contact part {contact.part!r}")
            if contact.frames and not all(0 <= index < count for index in contact.frames):
                raise ValueError(f"a contact refers to a frame outside 0..{count - 1}")
        return self

    @property
    def main_index(self) -> int:
        return self.main % len(self.frames)

    @property
    def view(self) -> tuple[float, float]:
        if isinstance(self.camera, Camera):
            return (self.camera.azimuth, self.camera.elevation)
        return CAMERAS[self.camera]


@dataclass(frozen=True)
class ResolvedFrame:
    """One key frame as plain joint angles, and the skeleton they give."""

    angles: BodyAngles
    skeleton: Skeleton


def resolve(frame: Frame) -> ResolvedFrame:
    """Joint angles for a frame: grounds the body, then solves every reaching limb."""

    def limb(spec: Leg | Arm) -> LimbAngles:
        if isinstance(spec, Leg):
            return LimbAngles(Rotation3(spec.hip.flex, spec.hip.abd, spec.hip.rot), spec.knee, spec.ankle)
        return LimbAngles(Rotation3(spec.shoulder.flex, spec.shoulder.abd, spec.shoulder.rot), spec.elbow, spec.wrist)

    specs: dict[str, Leg | Arm] = {
        "left.leg": frame.left_leg,
        "right.leg": frame.right_leg,
        "left.arm": frame.left_arm,
        "right.arm": frame.right_arm,
    }
    reached = {name for name, spec in specs.items() if spec.reach is not None}
    angles = BodyAngles(
        at=frame.body.at,
        turn=frame.body.turn,
        tilt=frame.body.tilt,
        roll=frame.body.roll,
        spine=SpineAngles(frame.spine.flex, frame.spine.bend, frame.spine.twist),
        neck=SpineAngles(frame.neck.flex, frame.neck.bend, frame.neck.twist),
        arms={side: limb(specs[f"{side}.arm"]) for side in SIDES},
        legs={side: limb(specs[f"{side}.leg"]) for side in SIDES},
    )
    skeleton = forward(angles)
    if frame.ground == "floor":
        drop = skeleton.lowest(skip=frozenset(reached))
        at = (frame.body.at[0], frame.body.at[1] - drop, frame.body.at[2])
        angles = replace(angles, at=at)
        skeleton = forward(angles)
    # Legs first, so that hands can reach for knees and ankles.
    for name in sorted(reached, key=lambda n: (n.endswith("arm"), n)):
        side_name, kind = name.split(".")
        side: Side = "left" if side_name == "left" else "right"
        spec = specs[name]
        assert spec.reach is not None
        target = _target(spec.reach, skeleton)
        is_leg = kind == "leg"
        parent = skeleton.axes["pelvis"] if is_leg else skeleton.axes["chest"]
        root = skeleton.joints[f"{side}.hip" if is_leg else f"{side}.shoulder"]
        rotation, bend = reach(parent, root, target, spec.reach.pole, side, leg=is_leg)
        end = spec.ankle if isinstance(spec, Leg) else spec.wrist
        solved = LimbAngles(rotation, bend, end)
        if is_leg:
            angles = replace(angles, legs={**angles.legs, side: solved})
        else:
            angles = replace(angles, arms={**angles.arms, side: solved})
        skeleton = forward(angles)
    return ResolvedFrame(angles=angles, skeleton=skeleton)


def _target(spec: Reach, skeleton: Skeleton) -> Vec:
    if isinstance(spec.to, str):
        if spec.to not in skeleton.joints:
            raise ValueError(f"a limb reaches for {spec.to!r}, which is not a joint")
        return add(skeleton.joints[spec.to], spec.offset)
    return add(spec.to, spec.offset)


def mirror_prop(prop: Prop) -> Prop:
    return prop.model_copy(update={"at": (prop.at[0], prop.at[1], -prop.at[2]), "turn": -prop.turn, **_swap_joint(prop)})


def swap_side(name: str | None) -> str | None:
    """``left.knee`` <-> ``right.knee``; names without a side stay."""
    if name is None:
        return None
    if name.startswith("left."):
        return "right." + name[5:]
    if name.startswith("right."):
        return "left." + name[6:]
    return name


def _swap_joint(prop: Prop) -> dict[str, str | None]:
    return {"attach": swap_side(prop.attach), "to": swap_side(prop.to)}


def mirrored_scene(pose: Pose) -> Pose:
    """The pose's props and contacts for the other side (left and right swapped)."""
    contacts = [c.model_copy(update={"part": swap_side(c.part)}) for c in pose.contacts]
    return pose.model_copy(update={"props": [mirror_prop(p) for p in pose.props], "contacts": contacts})


def mirrored_frames(frames: list[ResolvedFrame]) -> list[ResolvedFrame]:
    """The other side: every frame mirrored (left and right swap)."""
    out = []
    for frame in frames:
        angles = frame.angles.mirrored()
        out.append(ResolvedFrame(angles=angles, skeleton=forward(angles)))
    return out

