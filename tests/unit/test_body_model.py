"""The 3-D body: axes, forward kinematics, reaching, mirroring, the limits and the pose checks."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbo.domain.body import (
    FOREARM,
    LIMITS,
    SHIN,
    THIGH,
    UPPER_ARM,
    BodyAngles,
    LimbAngles,
    Rotation3,
    SpineAngles,
    forward,
    norm,
    out_of_range,
    pelvis_axes,
    reach,
    sub,
)
from lumbo.domain.pose import Contact, Frame, Pose, Prop, resolve
from lumbo.domain.posecheck import (
    check_all,
    check_bones,
    check_contacts,
    check_equipment,
    check_floor_and_props,
    check_limits,
    mirrored_differs,
)

ZERO = LimbAngles()


def body(**changes: object) -> BodyAngles:
    values: dict[str, object] = {
        "at": (0.0, 92.0, 0.0),
        "turn": 0.0,
        "tilt": 0.0,
        "roll": 0.0,
        "spine": SpineAngles(),
        "neck": SpineAngles(),
        "arms": {"left": ZERO, "right": ZERO},
        "legs": {"left": ZERO, "right": ZERO},
    }
    values.update(changes)
    return BodyAngles(**values)  # type: ignore[arg-type]


def close(a: tuple[float, float, float], b: tuple[float, float, float], tol: float = 1e-6) -> bool:
    return norm(sub(a, b)) < tol


def test_standing_person_faces_plus_x_with_the_left_side_towards_minus_z() -> None:
    joints = forward(body()).joints
    assert joints["left.hip"][2] < 0 < joints["right.hip"][2]
    assert joints["left.toes"][0] > joints["left.ankle"][0]  # the feet point ahead
    assert joints["head"][1] > joints["neck"][1] > joints["waist"][1] > joints["pelvis"][1]


@pytest.mark.parametrize(
    ("tilt", "head_x_sign", "front_y_sign"),
    [(90.0, 1, -1), (-90.0, -1, 1)],  # face down, head ahead; face up, head behind
)
def test_tilt_lays_the_body_down_as_documented(tilt: float, head_x_sign: int, front_y_sign: int) -> None:
    axes = pelvis_axes(0.0, tilt, 0.0)
    assert math.copysign(1, axes.up[0]) == head_x_sign and abs(axes.up[0]) > 0.999
    assert math.copysign(1, axes.front[1]) == front_y_sign and abs(axes.front[1]) > 0.999


def test_turn_and_roll_lie_on_the_left_side_facing_plus_z() -> None:
    axes = pelvis_axes(-90.0, 0.0, 90.0)
    assert axes.left[1] < -0.999  # the left side is down
    assert axes.front[2] > 0.999 and axes.up[0] > 0.999


def test_flexing_hip_knee_and_shoulder_moves_the_limb_the_anatomical_way() -> None:
    leg = LimbAngles(Rotation3(flex=90.0), 90.0, 0.0)
    arm = LimbAngles(Rotation3(flex=90.0), 90.0, 0.0)
    joints = forward(body(legs={"left": leg, "right": ZERO}, arms={"left": arm, "right": ZERO})).joints
    assert joints["left.knee"][0] == pytest.approx(THIGH)  # the thigh points ahead
    assert joints["left.ankle"][1] == pytest.approx(joints["left.knee"][1] - SHIN)  # the shin hangs down
    assert joints["left.elbow"][0] == pytest.approx(UPPER_ARM)  # the arm points ahead
    assert joints["left.wrist"][1] == pytest.approx(joints["left.elbow"][1] + FOREARM)  # the forearm points up


def test_abduction_moves_each_limb_away_from_the_midline() -> None:
    out = LimbAngles(Rotation3(abd=40.0))
    joints = forward(body(legs={"left": out, "right": out})).joints
    assert joints["left.knee"][2] < joints["left.hip"][2]
    assert joints["right.knee"][2] > joints["right.hip"][2]


def test_spine_flexion_bends_forward_and_extension_back() -> None:
    assert forward(body(spine=SpineAngles(flex=40.0))).joints["head"][0] > 10
    assert forward(body(spine=SpineAngles(flex=-20.0))).joints["head"][0] < -5


angle = st.floats(-60.0, 60.0)


@settings(max_examples=60, deadline=None)
@given(
    st.tuples(angle, angle, angle),
    st.tuples(st.floats(0.0, 140.0), st.floats(-30.0, 60.0), st.floats(-40.0, 40.0), st.floats(5.0, 140.0)),
    st.sampled_from(["left", "right"]),
    st.booleans(),
)
def test_reach_gives_angles_that_put_the_limb_end_on_the_target(
    pelvis: tuple[float, float, float],
    limb: tuple[float, float, float, float],
    side: str,
    leg: bool,
) -> None:
    """Pose a limb by angles, then ask reach for that end point: forward kinematics of the
    solved angles lands on it again (reach really yields joint angles)."""
    flex, abd, rot, bend = limb
    start = LimbAngles(Rotation3(flex, abd, rot), bend, 0.0)
    base = body(turn=pelvis[0], tilt=pelvis[1], roll=pelvis[2])
    key = "legs" if leg else "arms"
    posed = forward(body(**{**base.__dict__, key: {**getattr(base, key), side: start}}))
    end = posed.joints[f"{side}.ankle" if leg else f"{side}.wrist"]
    middle = posed.joints[f"{side}.knee" if leg else f"{side}.elbow"]
    root = posed.joints[f"{side}.hip" if leg else f"{side}.shoulder"]
    parent = posed.axes["pelvis" if leg else "chest"]
    pole = sub(middle, root)
    rotation, solved_bend = reach(parent, root, end, pole, side, leg=leg)  # type: ignore[arg-type]
    solved = forward(body(**{**base.__dict__, key: {**getattr(base, key), side: LimbAngles(rotation, solved_bend, 0.0)}}))
    assert close(solved.joints[f"{side}.ankle" if leg else f"{side}.wrist"], end, 1e-6)
    assert solved_bend == pytest.approx(bend, abs=1e-6)


def test_mirroring_twice_is_the_same_pose_and_once_swaps_the_sides() -> None:
    leg = LimbAngles(Rotation3(flex=70.0, abd=20.0, rot=-15.0), 40.0, 10.0)
    pose = body(turn=30.0, roll=10.0, spine=SpineAngles(5.0, 10.0, 15.0), legs={"left": leg, "right": ZERO})
    assert pose.mirrored().mirrored() == pose
    first, other = forward(pose), forward(pose.mirrored())
    lk, rk = first.joints["left.knee"], other.joints["right.knee"]
    assert close((lk[0], lk[1], -lk[2]), rk)  # the right knee is the left one reflected
    assert mirrored_differs(first, other, "left")
    assert not mirrored_differs(first, first, "left")


def test_limits_pin_the_aaos_values() -> None:
    assert LIMITS["knee"] == (0.0, 155.0)
    assert LIMITS["elbow"] == (0.0, 150.0)
    assert LIMITS["hip.flex"][1] == 140.0
    assert LIMITS["shoulder.flex"] == (-60.0, 180.0)
    bent_back = LimbAngles(Rotation3(), -10.0, 0.0)
    assert out_of_range(body(legs={"left": bent_back, "right": ZERO})) == ["left.knee = -10 is outside 0..155"]
    elbow = LimbAngles(Rotation3(), 151.0, 0.0)
    assert out_of_range(body(arms={"left": ZERO, "right": elbow})) == ["right.elbow = 151 is outside 0..150"]
    assert out_of_range(body(legs={"left": LimbAngles(Rotation3(), 155.0, 0.0), "right": ZERO})) == []


# --- the checks can fail ------------------------------------------------------------------


def frame(**data: object) -> Frame:
    return Frame.model_validate(data)


def test_a_body_below_the_floor_is_reported() -> None:
    sunk = frame(ground="none", body={"at": [0, 80, 0]})
    pose = Pose(id="sunk", frames=[sunk])
    problems = check_floor_and_props(pose, [resolve(sunk)])
    assert problems and "below the floor" in problems[0]
    grounded = frame(body={"at": [0, 80, 0]})
    assert check_floor_and_props(Pose(id="ok", frames=[grounded]), [resolve(grounded)]) == []


def test_a_limb_inside_a_prop_is_reported() -> None:
    standing = frame()
    wall_through_body = Pose(id="wall", frames=[standing], props=[Prop(kind="wall", at=(0.0, 0.0, 0.0))])
    assert any("inside the wall" in p for p in check_floor_and_props(wall_through_body, [resolve(standing)]))
    wall_ahead = Pose(id="wall", frames=[standing], props=[Prop(kind="wall", at=(60.0, 0.0, 0.0))])
    assert check_floor_and_props(wall_ahead, [resolve(standing)]) == []


def test_a_declared_contact_must_be_within_a_centimetre() -> None:
    hand_on_wall = frame(left_arm={"reach": {"to": [47, 130, -20], "pole": [0, -1, -1]}})
    wall = Prop(kind="wall", at=(50.0, 0.0, 0.0))
    touching = Pose(id="c", frames=[hand_on_wall], props=[wall], contacts=[Contact(part="left.hand", on="wall")])
    resolved = [resolve(hand_on_wall)]
    assert check_contacts(touching, resolved) == []
    far_wall = wall.model_copy(update={"at": (80.0, 0.0, 0.0)})
    apart = touching.model_copy(update={"props": [far_wall]})
    assert any("cm off the wall" in p for p in check_contacts(apart, resolved))
    missing = touching.model_copy(update={"props": []})
    assert any("not in the scene" in p for p in check_contacts(missing, resolved))


def test_missing_equipment_and_impossible_angles_are_reported() -> None:
    standing = frame()
    pose = Pose(id="x", frames=[standing])
    assert check_equipment(pose, [["band"]]) == ["the band the exercise needs is not drawn"]
    assert check_equipment(pose, [[]]) == []
    assert check_equipment(pose.model_copy(update={"props": [Prop(kind="roller")]}), [["foam_roller"]]) == []
    bent = frame(left_leg={"knee": 170})
    assert check_limits([resolve(bent)]) == ["frame 0: left.knee = 170 is outside 0..155"]
    assert check_all(pose, [resolve(standing)]) == []


def test_bones_keep_their_length_between_frames() -> None:
    frames = [resolve(frame()), resolve(frame(left_leg={"hip": {"flex": 80}, "knee": 100}))]
    assert check_bones(frames) == []
