"""Camera coach rules as catalogue data, with their numbers taken from the figures' key frames.

An exercise's ``camera:`` section (``CameraSection``) says where to put the device, which
landmarks must be in view, what to measure, when the person is "in position", how a rep
moves a measure and which faults to name. It never writes a target angle as a bare number:
every threshold is *relative to a key frame* of the exercise's pose file, so the drawing and
the camera agree on what the exercise looks like. ``compile_rule(exercise, pose)`` measures
the key frames (``lumbo.domain.landmarks``: the same measures the browser takes) and returns
the Rule JSON the session page sends to the browser, every threshold a number:

- position ``{measure, margin}`` (or ``below`` / ``above``): the range the measure spans over
  the key frames (all of them, or those in ``frames``), widened by the margins. A side left
  out has no limit.
- rep ``{measure, frames: [0, 1], start: 0.35, end: 0.7}``: the thresholds lie 35 % and 70 %
  of the way from frame 0's value to frame 1's (hysteresis: the band between is ignored).
- fault ``{id, measure, below: 12, frame: 1}``: fires under frame 1's value minus 12
  (``above``: over it plus the amount). ``frame`` defaults to the pose's main frame.

Side-less point names (``knee``) resolve to the working side of a per-side exercise (the
pose's ``working`` side in the drawn frames; ``side: working``) and otherwise to whichever
side the camera sees better (``side: visible``): key frames are then measured on both sides
and averaged.

Errors::

    ValueError
     +-- pydantic.ValidationError  a section that breaks the model (unknown point, bad mode)
     +-- CameraRuleError           a section that does not fit its pose file (unknown frame,
                                   a rep measure that does not move, a threshold that can
                                   never or always fire)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lumbo.domain.landmarks import (
    MIDPOINTS,
    POINT_COUNT,
    RULE_POINTS,
    SIDES,
    Landmarks,
    MeasureKind,
    Side,
    measure,
    resolve_point,
    skeleton_landmarks,
    visibility,
)

if TYPE_CHECKING:
    from lumbo.domain.catalogue import Exercise
    from lumbo.domain.pose import Pose

View = Literal["three_quarter", "front", "side"]
SideRule = Literal["visible", "working"]
When = Literal["always", "hold", "top"]
FaultId = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=40)]
MeasureName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=30)]
#: The natural limits of each kind of measure, for a position check with one side open.
LIMITS: dict[str, tuple[float, float]] = {
    "angle": (0.0, 180.0),
    "offset": (-180.0, 180.0),
    "tilt": (0.0, 180.0),
    "ratio": (0.0, 100.0),
}
#: A rep measure must move at least this much between its two key frames.
MIN_SWING: dict[str, float] = {"angle": 10.0, "offset": 10.0, "tilt": 10.0, "ratio": 0.15}
#: Decimals kept in the compiled thresholds.
DECIMALS: dict[str, int] = {"angle": 1, "offset": 1, "tilt": 1, "ratio": 2}
#: A landmark counts as seen from this visibility up (the contract's "in frame").
SEEN = 0.5


class CameraRuleError(ValueError):
    """A camera section that does not fit its exercise's pose file."""


class _Strict(BaseModel):
    # defer_build: each model's validator is built when first needed (inside the Exercise
    # model's, at the catalogue's first load), not at import: every `lumbo` command imports
    # this module, and building them all up front cost ~20 ms of its start.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _known_points(points: Iterable[str]) -> None:
    unknown = [name for name in points if name not in RULE_POINTS]
    if unknown:
        raise ValueError(f"unknown landmark {unknown[0]!r} (use a landmark name, a side-less one like 'knee', "
                         f"'other_knee' or {', '.join(sorted(MIDPOINTS))})")  # fmt: skip


class MeasureSpec(_Strict):
    """One measure on the landmarks (see lumbo.domain.landmarks for the four kinds)."""

    kind: MeasureKind
    points: list[str]

    @model_validator(mode="after")
    def _points(self) -> MeasureSpec:
        _known_points(self.points)
        if len(self.points) != POINT_COUNT[self.kind]:
            raise ValueError(f"a {self.kind} measure takes {POINT_COUNT[self.kind]} points, not {len(self.points)}")
        return self


class PositionCheck(_Strict):
    """The measure stays within the key frames' range widened by the margins."""

    measure: MeasureName
    #: Which key frames set the range (default: all of them).
    frames: list[int] | None = Field(None, min_length=1)
    margin: float | None = Field(None, gt=0)
    below: float | None = Field(None, gt=0)
    above: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _margins(self) -> PositionCheck:
        if self.margin is not None and (self.below is not None or self.above is not None):
            raise ValueError("a position check has either margin or below/above, not both")
        if self.margin is None and self.below is None and self.above is None:
            raise ValueError("a position check needs a margin, or below and/or above")
        return self

    @property
    def widening(self) -> tuple[float | None, float | None]:
        if self.margin is not None:
            return self.margin, self.margin
        return self.below, self.above


class RepSignal(_Strict):
    """A rep moves ``measure`` from the first key frame's value to the second's and back."""

    measure: MeasureName
    frames: tuple[int, int] = (0, 1)
    #: Fractions of the way from the first frame's value to the second's.
    start: float = Field(0.35, ge=0.0, le=1.0)
    end: float = Field(0.7, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _order(self) -> RepSignal:
        if self.frames[0] == self.frames[1]:
            raise ValueError("a rep goes between two different key frames")
        if self.start >= self.end:
            raise ValueError("a rep's start must come before its end (start < end, as fractions of the way)")
        return self


class Fault(_Strict):
    """A form fault: the measure goes ``below`` (or ``above``) a key frame's value by an amount."""

    id: FaultId
    measure: MeasureName
    frame: int | None = None
    below: float | None = Field(None, gt=0)
    above: float | None = Field(None, gt=0)
    when: When = "always"
    cue: str = Field(min_length=3, max_length=90)

    @model_validator(mode="after")
    def _one_way(self) -> Fault:
        if (self.below is None) == (self.above is None):
            raise ValueError(f"fault {self.id!r} needs exactly one of below and above")
        return self


class CameraSection(_Strict):
    """An exercise's camera rule, as written in its catalogue file."""

    view: View
    placement: str = Field(min_length=10, max_length=240)
    distance_m: float = Field(ge=0.5, le=5.0)
    side: SideRule = "visible"
    needs: list[str] = Field(min_length=1)
    measures: dict[MeasureName, MeasureSpec] = Field(min_length=1)
    position: list[PositionCheck] = Field(min_length=1)
    #: None on a rep exercise: the camera checks the position only and the pace counts reps.
    rep: RepSignal | None = None
    faults: list[Fault] = Field(default_factory=list, max_length=8)

    @model_validator(mode="after")
    def _references(self) -> CameraSection:
        _known_points(self.needs)
        if any(name in MIDPOINTS for name in self.needs):
            raise ValueError("needs lists landmarks, not midpoints: write both sides' names")
        used = [check.measure for check in self.position] + [fault.measure for fault in self.faults]
        if self.rep is not None:
            used.append(self.rep.measure)
        missing = sorted({name for name in used if name not in self.measures})
        if missing:
            raise ValueError(f"unknown measure {missing[0]!r} (defined: {', '.join(sorted(self.measures))})")
        ids = [fault.id for fault in self.faults]
        if len(set(ids)) != len(ids):
            raise ValueError("two faults share an id")
        for fault in self.faults:
            if fault.when == "top" and self.rep is None:
                raise ValueError(f"fault {fault.id!r} is checked at the top of a rep, so the rule needs a rep signal")
        return self

    def frames_used(self) -> set[int]:
        used = {index for check in self.position for index in check.frames or ()}
        used.update(fault.frame for fault in self.faults if fault.frame is not None)
        if self.rep is not None:
            used.update(self.rep.frames)
        return used


# --- measuring key frames -------------------------------------------------------------------
def frame_landmarks(pose: Pose) -> list[list[dict[str, float]]]:
    """The 33 world landmarks of every key frame of a pose (as drawn: the working side's)."""
    from lumbo.domain.pose import resolve  # the pose model is only needed to compile rules

    return [skeleton_landmarks(resolve(frame).skeleton) for frame in pose.frames]


def _resolved(points: Sequence[str], side: Side) -> list[str]:
    return [resolve_point(name, side) for name in points]


def frame_values(section: CameraSection, pose: Pose) -> dict[str, list[float]]:
    """Each measure's value on each key frame (averaged over both sides for ``side: visible``)."""
    frames = frame_landmarks(pose)
    sides: tuple[Side, ...] = (pose.working or "left",) if section.side == "working" else SIDES
    values: dict[str, list[float]] = {}
    for name, spec in section.measures.items():
        row = []
        for index, landmarks in enumerate(frames):
            taken = [measure(spec.kind, _resolved(spec.points, side), landmarks) for side in sides]
            value = sum(taken) / len(taken)
            if math.isnan(value):
                raise CameraRuleError(f"measure {name!r} cannot be taken on key frame {index}: its points coincide")
            row.append(value)
        values[name] = row
    return values


# --- compiling --------------------------------------------------------------------------------
def _check_frames(section: CameraSection, count: int) -> None:
    for index in sorted(section.frames_used()):
        if not 0 <= index < count:
            raise CameraRuleError(f"the camera rule names key frame {index}, but the pose has frames 0..{count - 1}")


def _round(value: float, kind: str) -> float:
    return round(value, DECIMALS[kind])


def compile_rule(exercise: Exercise, pose: Pose) -> dict[str, Any]:
    """The Rule JSON for ``exercise`` (the shared contract in docs/camera.md), numbers measured
    on ``pose``'s key frames. Raises CameraRuleError when the section does not fit the pose,
    and ValueError when the exercise has no camera section."""
    section = exercise.camera
    if section is None:
        raise ValueError(f"{exercise.id} has no camera section")
    _check_frames(section, len(pose.frames))
    values = frame_values(section, pose)
    kinds = {name: spec.kind for name, spec in section.measures.items()}
    main = pose.main_index

    position = []
    for check in section.position:
        chosen = [values[check.measure][index] for index in (check.frames or range(len(pose.frames)))]
        kind = kinds[check.measure]
        below, above = check.widening
        low = LIMITS[kind][0] if below is None else max(LIMITS[kind][0], min(chosen) - below)
        high = LIMITS[kind][1] if above is None else min(LIMITS[kind][1], max(chosen) + above)
        position.append({"measure": check.measure, "min": _round(low, kind), "max": _round(high, kind)})

    rep = None
    if section.rep is not None:
        kind = kinds[section.rep.measure]
        first, second = (values[section.rep.measure][index] for index in section.rep.frames)
        if abs(second - first) < MIN_SWING[kind]:
            raise CameraRuleError(
                f"the rep measure {section.rep.measure!r} moves only {abs(second - first):.2f} between its key "
                f"frames (at least {MIN_SWING[kind]} is needed to count reps)"
            )
        rep = {
            "measure": section.rep.measure,
            "start": _round(first + section.rep.start * (second - first), kind),
            "end": _round(first + section.rep.end * (second - first), kind),
        }

    faults = []
    for fault in section.faults:
        kind = kinds[fault.measure]
        base = values[fault.measure][main if fault.frame is None else fault.frame]
        way, threshold = ("below", base - fault.below) if fault.below is not None else ("above", base + (fault.above or 0.0))
        faults.append({"id": fault.id, "measure": fault.measure, way: _round(threshold, kind), "when": fault.when, "cue": fault.cue})

    rule: dict[str, Any] = {
        "exercise": exercise.id,
        "view": section.view,
        "placement": section.placement,
        "distance_m": section.distance_m,
        "side": section.side,
        "needs": list(section.needs),
        "measures": {name: {"kind": spec.kind, "points": list(spec.points)} for name, spec in section.measures.items()},
        "position": position,
        "rep": rep,
        "faults": faults,
    }
    _check_compiled(rule, section, values)
    return rule


def _fires(fault: Mapping[str, Any], value: float) -> bool:
    if "below" in fault:
        return bool(value < fault["below"])
    return bool(value > fault["above"])


def _in_range(check: Mapping[str, Any], value: float) -> bool:
    return bool(check["min"] <= value <= check["max"])


def _check_compiled(rule: Mapping[str, Any], section: CameraSection, values: Mapping[str, list[float]]) -> None:
    """The compiled rule must make sense on its own key frames."""
    count = len(next(iter(values.values())))
    in_position = [all(_in_range(check, values[check["measure"]][index]) for check in rule["position"]) for index in range(count)]
    rep = rule["rep"]
    if section.rep is not None and rep is not None:
        for index in section.rep.frames:
            if not in_position[index]:
                raise CameraRuleError(f"key frame {index} of the rep is not in position by the rule's own checks")
    for fault in rule["faults"]:
        series = values[fault["measure"]]
        if fault["when"] == "top":
            assert rep is not None and section.rep is not None
            top = series[section.rep.frames[1]]
            going_up = rep["end"] > rep["start"]
            if _fires(fault, top):
                raise CameraRuleError(f"fault {fault['id']!r} fires on the rep's own end frame")
            # "Not far enough" on the rep's own measure must lie beyond `end`, or no counted rep could show it.
            short = fault["measure"] == rep["measure"] and ("below" in fault) == going_up
            if short and (fault["below"] <= rep["end"] if going_up else fault["above"] >= rep["end"]):
                raise CameraRuleError(f"fault {fault['id']!r} can never fire: a counted rep always gets past it")
            continue
        for index in range(count):
            if in_position[index] and _fires(fault, series[index]):
                raise CameraRuleError(f"fault {fault['id']!r} fires on key frame {index}, which is in position")


def camera_rules(
    exercises: Iterable[Exercise], poses: Mapping[str, Pose] | Callable[[str], Pose]
) -> dict[str, dict[str, Any]]:
    """The compiled rule of every exercise that has a camera section, by exercise id.

    ``poses`` maps an exercise id to its pose (a mapping, or a function such as
    ``lumbo.drawing.figures.load_pose``).
    """
    pose_of = poses.__getitem__ if isinstance(poses, Mapping) else poses
    return {entry.id: compile_rule(entry, pose_of(entry.id)) for entry in exercises if entry.camera is not None}


# --- checking one frame (tests, and tools that measure synthetic videos) ---------------------
@dataclass(frozen=True)
class FrameCheck:
    """What a compiled rule says about one frame of landmarks, ignoring time: in frame, in
    position, the faults whose thresholds are crossed (``top`` faults need a whole rep and
    are left out), and every measure's value."""

    in_frame: bool
    in_position: bool
    faults: list[str]
    values: dict[str, float]


def check_frame(rule: Mapping[str, Any], landmarks: Landmarks, side: Side = "left") -> FrameCheck:
    """Evaluate a compiled rule on one frame of 33 world landmarks, side-less names resolved
    to ``side``."""
    in_frame = all(visibility(landmarks, resolve_point(name, side)) >= SEEN for name in rule["needs"])
    values = {
        name: measure(spec["kind"], _resolved(spec["points"], side), landmarks) for name, spec in rule["measures"].items()
    }
    in_position = in_frame and all(_in_range(check, values[check["measure"]]) for check in rule["position"])
    faults = [
        fault["id"]
        for fault in rule["faults"]
        if in_frame
        and (fault["when"] == "always" or (fault["when"] == "hold" and in_position))
        and _fires(fault, values[fault["measure"]])
    ]
    return FrameCheck(in_frame=in_frame, in_position=in_position, faults=faults, values=values)

