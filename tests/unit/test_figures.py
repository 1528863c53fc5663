"""Exercise figures: pose data, the SVG renderer and `lumbo figure`."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.cli.main import app
from lumbo.domain.pose import FOREARM, UPPER_ARM, Frame, Limb, Pose, frame_joints, solve_two_bone
from lumbo.reports import figures
from lumbo.reports.figures import (
    FAR,
    NEAR,
    FigureNotFound,
    PoseFileError,
    body_points,
    load_pose,
    pose_ids,
    render_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
runner = CliRunner()

# Every exercise the catalogue brief names (issue 3); each must have its own pose file.
_REQUIRED = """
hip-swing standing-hip-abduction rocking-groin-stretch lying-hip-circles side-lying-hip-abduction
quadruped-plank side-plank-hip-lift fire-hydrant bird-dog band-anti-rotation-press core-bracing
diaphragmatic-breathing glute-bridge single-leg-glute-bridge figure-4-glute-bridge pelvic-tilt
pelvic-tilt-marching pelvic-tilt-leg-lowers pelvic-tilt-standing pelvic-tilt-kneeling
forearm-plank-knees forearm-plank forearm-plank-loaded side-plank-knees side-plank-half-kneeling
side-plank side-plank-top-leg-raised glute-bridge-hold loaded-glute-bridge reverse-hyperextension
reverse-hyperextension-table assisted-squat bodyweight-squat squat-bottom-hold squat-shift-circles
squat-shift-front-back squat-shift-side-to-side squat-knee-drop-rotation hip-hinge deadlift
hip-90-90 femur-rotation seated-hip-drops frog-hip-rotations standing-hip-rotations
bar-hang-supported bar-hang bar-hang-contract-relax bar-hang-shoulder-rotations
hip-flexor-stretch hamstring-stretch piriformis-stretch seated-cross-body-hamstring-stretch
lying-piriformis-stretch pigeon-stretch bear-squat bear-squat-foot-stretch worlds-best-stretch
lunge-reach-hamstring-stretch frog-stretch-rotation seated-rotation-plank-reach
childs-pose-lat-stretch standing-wall-lat-stretch kneeling-thoracic-extension cobra
kneeling-bridge-chair kneeling-bridge lateral-trunk-flexion-stretch chest-stretch neck-stretch
release-calves release-hamstrings release-glutes release-abs release-spine-peanut release-lats
release-thoracic posture-check
"""
REQUIRED_IDS = _REQUIRED.split()

# Equipment words and the prop kinds that draw them.
PROP_FOR = {"foam_roller": "roller"}


def all_ids() -> list[str]:
    return sorted(set(REQUIRED_IDS) | set(default_catalogue().ids))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(part) for part in root.attrib["viewBox"].split())
    return x, y, w, h


def test_every_exercise_has_its_own_pose_file() -> None:
    missing = sorted(set(all_ids()) - set(pose_ids()))
    assert not missing, f"exercises without a pose file: {missing}"


def test_every_pose_file_belongs_to_a_catalogue_entry() -> None:
    orphans = sorted(set(pose_ids()) - set(default_catalogue().ids))
    assert not orphans, f"pose files without a catalogue entry: {orphans}"


@pytest.mark.parametrize("exercise_id", all_ids())
def test_figure_is_well_formed_accessible_and_holds_the_body(exercise_id: str) -> None:
    svg = render_svg(exercise_id)
    root = parse(svg)
    name = default_catalogue()[exercise_id].name
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}title").text == name  # type: ignore[union-attr]
    assert root.attrib["role"] == "img"
    assert name in root.attrib["aria-label"]
    assert root.find(f".//{SVG}line[@class='lf-floor']") is not None
    x, y, w, h = view_box(root)
    for px, py in body_points(load_pose(exercise_id)):
        sx, sy = px, -py  # SVG y runs down
        assert x <= sx <= x + w and y <= sy <= y + h, (exercise_id, (px, py))
    strokes = {element.attrib.get("stroke") for element in root.iter(f"{SVG}path")}
    assert NEAR in strokes and FAR in strokes, "near and far limbs must be drawn in two styles"


@pytest.mark.parametrize("exercise_id", all_ids())
def test_equipment_is_drawn(exercise_id: str) -> None:
    entry = default_catalogue()[exercise_id]
    if entry.needs_nothing():
        return
    wanted = {PROP_FOR.get(word, word) for option in entry.equipment for word in option}
    drawn = {prop.kind for prop in load_pose(exercise_id).props}
    assert wanted & drawn, f"{exercise_id} needs one of {sorted(wanted)} but draws {sorted(drawn)}"
    root = parse(render_svg(exercise_id))
    classes = " ".join(element.attrib.get("class", "") for element in root.iter(f"{SVG}g"))
    assert any(f"lf-prop-{kind}" in classes for kind in wanted & drawn)


def test_width_and_title_are_honoured_and_escaped() -> None:
    root = parse(render_svg("glute-bridge", width=500, title="Bridge <& friends>"))
    assert root.attrib["width"] == "500"
    _, _, w, h = view_box(root)
    assert int(root.attrib["height"]) == round(500 * h / w)
    assert root.find(f"{SVG}title").text == "Bridge <& friends>"  # type: ignore[union-attr]


def test_movement_shows_a_faint_frame_and_an_arrow_holds_do_not() -> None:
    moving = parse(render_svg("glute-bridge"))
    assert moving.find(f".//{SVG}g[@class='lf-ghost']") is not None
    assert moving.find(f".//{SVG}g[@class='lf-arrows']") is not None
    still = parse(render_svg("forearm-plank"))
    assert still.find(f".//{SVG}g[@class='lf-ghost']") is None


def test_animation_uses_css_keyframes_and_respects_reduced_motion() -> None:
    svg = render_svg("glute-bridge", animate=True)
    root = parse(svg)
    style = root.find(f"{SVG}style")
    assert style is not None and style.text is not None
    assert "prefers-reduced-motion:no-preference" in style.text
    assert "@keyframes lf-glute-bridge-leg-near" in style.text
    assert 'd:path("' in style.text
    # the still drawing stays in the document for people who asked for less motion
    assert root.find(f".//{SVG}g[@class='lf-ghost']") is not None
    assert "<script" not in svg
    # a one-frame hold has nothing to animate
    assert "<style>" not in render_svg("forearm-plank", animate=True)


def test_unknown_id_suggests_close_ones() -> None:
    with pytest.raises(FigureNotFound) as caught:
        render_svg("glute-bridg")
    assert "glute-bridge" in caught.value.suggestions


def test_two_bone_solver_keeps_lengths_and_picks_the_bend() -> None:
    root, target = (0.0, 0.0), (30.0, -40.0)
    for bend in (0.0, 180.0):
        elbow = solve_two_bone(root, target, UPPER_ARM, FOREARM, bend)
        assert math.dist(root, elbow) == pytest.approx(UPPER_ARM)
        assert math.dist(elbow, target) == pytest.approx(FOREARM)
    forward = solve_two_bone(root, target, UPPER_ARM, FOREARM, 0.0)
    backward = solve_two_bone(root, target, UPPER_ARM, FOREARM, 180.0)
    assert forward[0] > backward[0]
    # out of reach: the chain points straight at the target
    far = solve_two_bone(root, (200.0, 0.0), UPPER_ARM, FOREARM, 90.0)
    assert far == pytest.approx((UPPER_ARM, 0.0), abs=1e-3)


def test_a_limb_can_reach_for_another_joint() -> None:
    raw = figures.posture("hooklying")
    raw["arm_near"] = {"reach": "waist", "offset": [20, 5], "bend": 90}
    raw["arm_far"] = {"reach": "hand_near", "offset": [0, 3], "bend": 90}  # a chain of reaches
    joints = frame_joints(Frame.model_validate(raw))
    waist, hand = joints["waist"], joints["hand_near"]
    assert math.dist(hand, (waist[0] + 20, waist[1] + 5)) < 1e-6
    assert math.dist(joints["hand_far"], (hand[0], hand[1] + 3)) < 1e-6


def test_mirror_flips_the_drawing() -> None:
    frame = Frame.model_validate(figures.posture("standing"))
    plain = Pose(id="x", frames=[frame]).joints(0)
    flipped = Pose(id="x", frames=[frame], mirror=True).joints(0)
    for name, (x, y) in plain.items():
        assert flipped[name] == pytest.approx((-x, y))


def test_limb_needs_angles_or_reach_and_frames_must_exist() -> None:
    with pytest.raises(ValidationError):
        Limb(angles=(0, 0), reach=(1, 1))
    with pytest.raises(ValidationError):
        Limb()
    frame = Frame.model_validate(figures.posture("standing"))
    with pytest.raises(ValidationError, match="main frame"):
        Pose(id="x", frames=[frame], main=3)
    raw = figures.posture("standing")
    raw["arm_near"] = {"reach": "hand_near"}
    with pytest.raises(ValidationError, match="never placed"):
        Pose(id="x", frames=[Frame.model_validate(raw)])


@pytest.fixture
def pose_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(figures, "poses_dir", lambda: tmp_path)
    figures.load_pose.cache_clear()
    yield tmp_path
    figures.load_pose.cache_clear()


def test_like_and_base_build_on_other_poses(pose_folder: Path) -> None:
    (pose_folder / "first-one.yaml").write_text(
        "frames:\n  - base: standing\nprops:\n  - {kind: wall, at: [40, 0]}\n", encoding="utf-8"
    )
    (pose_folder / "second-one.yaml").write_text("like: first-one\nmirror: true\n", encoding="utf-8")
    pose = load_pose("second-one")
    assert pose.mirror and [prop.kind for prop in pose.props] == ["wall"]
    assert pose.frames[0] == Frame.model_validate(figures.posture("standing"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("frames: [\n", "not valid YAML"),
        ("- just a list\n", "must be a mapping"),
        ("frames:\n  - base: nowhere\n", "unknown base posture"),
        ("like: broken-one\n", "loop"),
        ("like: missing-one\n", "names no pose file"),
        ("frames:\n  - base: standing\n    wings: 2\n", "wings"),
    ],
)
def test_broken_pose_files_are_reported(pose_folder: Path, text: str, message: str) -> None:
    (pose_folder / "broken-one.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PoseFileError, match=message):
        load_pose("broken-one")


def test_cli_writes_the_figure(tmp_path: Path) -> None:
    target = tmp_path / "bridge.svg"
    result = runner.invoke(app, ["figure", "glute-bridge", "-o", str(target)])
    assert result.exit_code == 0, result.output
    root = parse(target.read_text(encoding="utf-8"))
    assert root.find(f"{SVG}title").text == default_catalogue()["glute-bridge"].name  # type: ignore[union-attr]


def test_cli_prints_the_figure_without_output_option() -> None:
    result = runner.invoke(app, ["figure", "cobra", "--animate", "--width", "200"])
    assert result.exit_code == 0
    root = parse(result.stdout)
    assert root.attrib["width"] == "200"


def test_cli_unknown_id_is_one_line_with_suggestions(tmp_path: Path) -> None:
    result = runner.invoke(app, ["figure", "side-plnk", "-o", str(tmp_path / "x.svg")])
    assert result.exit_code == 2
    assert result.stderr.startswith("lumbo: unknown exercise 'side-plnk'; did you mean: side-plank")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "x.svg").exists()


@pytest.mark.parametrize("where", ["missing-folder/x.svg", "."])
def test_cli_unwritable_path_is_one_line(tmp_path: Path, where: str) -> None:
    result = runner.invoke(app, ["figure", "glute-bridge", "-o", str(tmp_path / where)])
    assert result.exit_code == 2
    assert result.stderr.startswith("lumbo: cannot write the figure")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
