"""Exercise figures: every pose file passes the machine checks, draws well and mirrors."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.cli.main import app
from lumbo.domain.pose import mirrored_scene
from lumbo.domain.posecheck import mirrored_differs
from lumbo.drawing import figures
from lumbo.drawing.check import problems
from lumbo.drawing.figures import (
    FigureNotFound,
    PoseFileError,
    frame_count,
    load_pose,
    pose_ids,
    render_svg,
    resolved,
)
from lumbo.drawing.mannequin import PALETTE

SVG = "{http://www.w3.org/2000/svg}"
runner = CliRunner()
CATALOGUE = default_catalogue()
ALL_IDS = sorted(CATALOGUE.ids)
PER_SIDE = sorted(i for i in ALL_IDS if CATALOGUE[i].per_side)
MOVING = sorted(i for i in ALL_IDS if frame_count(i) > 1)
WORK_FILL = PALETTE["work-near"][0], PALETTE["work-far"][0]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_every_exercise_has_its_own_pose_file_and_no_pose_is_orphaned() -> None:
    assert set(pose_ids()) == set(ALL_IDS)


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_pose_passes_every_machine_check_on_both_sides(exercise_id: str) -> None:
    assert problems(exercise_id) == []


@pytest.mark.parametrize("exercise_id", PER_SIDE)
def test_per_side_exercises_name_their_working_side_and_mirror_it(exercise_id: str) -> None:
    pose = load_pose(exercise_id)
    assert pose.working == "left", "the player starts with the left side"
    first, other = resolved(exercise_id)[pose.main_index], resolved(exercise_id, "right")[pose.main_index]
    if pose.highlight:  # the coloured limbs really move to the other side
        assert mirrored_differs(first.skeleton, other.skeleton, "left")
    else:  # a two-handed exercise done facing the other way: the props change sides
        assert mirrored_scene(pose).props != pose.props
    left_svg, right_svg = render_svg(exercise_id), render_svg(exercise_id, side="right")
    assert left_svg != right_svg
    uid = f"lf-{exercise_id}"
    for limb in pose.highlight:
        assert re.search(rf'class="{uid}-left-{limb} lf-work-(near|far)"', left_svg)
        assert re.search(rf'class="{uid}-r-right-{limb} lf-work-(near|far)"', right_svg)
        assert not re.search(rf'class="{uid}-r-left-{limb} lf-work', right_svg)
        assert not re.search(rf'class="{uid}-right-{limb} lf-work', left_svg)


@pytest.mark.parametrize("exercise_id", [i for i in ALL_IDS if not CATALOGUE[i].per_side])
def test_two_sided_exercises_colour_no_side(exercise_id: str) -> None:
    svg = render_svg(exercise_id)
    assert "lf-work" not in svg


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_figure_is_well_formed_accessible_and_small(exercise_id: str) -> None:
    svg = render_svg(exercise_id, animate=True)
    root = parse(svg)
    name = CATALOGUE[exercise_id].name
    assert root.attrib["role"] == "img" and root.attrib["aria-label"] == f"Figure: {name}"
    assert root.find(f"{SVG}title").text == name  # type: ignore[union-attr]
    _x, _y, w, h = (float(v) for v in root.attrib["viewBox"].split())
    assert w / h == pytest.approx(4 / 3, rel=1e-3)
    # Simple inline SVG: one path per body part, one per prop piece, one for all ghosts.
    elements = list(root.iter())
    assert len(elements) <= 25, f"{len(elements)} elements"  # the 2-D sticks had 26 (median)
    assert not [e for e in elements if e.tag in (f"{SVG}image", f"{SVG}foreignObject", f"{SVG}script")]


@pytest.mark.parametrize("exercise_id", MOVING)
def test_animation_moves_every_part_with_the_same_outline_in_every_key_frame(exercise_id: str) -> None:
    svg = render_svg(exercise_id, animate=True)
    style = parse(svg).find(f"{SVG}style")
    assert style is not None and style.text is not None
    assert style.text.startswith("@media (prefers-reduced-motion:no-preference)")
    count = frame_count(exercise_id)
    for keyframes in re.findall(r"@keyframes [^{]+\{(.*?\})\}", style.text):
        paths = re.findall(r'path\("([^"]*)"\)', keyframes)
        assert len(paths) == count
        shapes = {re.sub(r"-?\d+(\.\d+)?", "#", d) for d in paths}
        assert len(shapes) == 1, "CSS can only interpolate outlines of one structure"
    still = render_svg(exercise_id)
    assert "<style>" not in still and 'class="lf-ghost"' in still
    if load_pose(exercise_id).arrows:  # an arrow too short to draw is a mistake in the pose
        assert 'class="lf-arrows"' in still


def test_a_single_frame_is_drawn_alone_without_ghosts_or_arrows() -> None:
    exercise_id = MOVING[0]
    start, end = render_svg(exercise_id, frame=0), render_svg(exercise_id, frame=-1)
    assert start != end
    for svg in (start, end):
        assert "lf-ghost" not in svg and "lf-arrows" not in svg


def test_width_and_title_are_honoured_and_escaped() -> None:
    root = parse(render_svg("glute-bridge", width=500, title='Bridge <&> "x"'))
    assert root.attrib["width"] == "500"
    assert root.find(f"{SVG}title").text == 'Bridge <&> "x"'  # type: ignore[union-attr]


def test_equipment_props_and_band_are_drawn_in_their_colours() -> None:
    svg = render_svg("band-row")
    assert "#c0392b" in svg  # the band


def test_unknown_id_suggests_close_ones() -> None:
    with pytest.raises(FigureNotFound) as caught:
        load_pose("glute-brige")
    assert "glute-bridge" in caught.value.suggestions


@pytest.fixture
def pose_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(figures, "poses_dir", lambda: tmp_path)
    figures.clear_caches()
    yield tmp_path
    figures.clear_caches()


def test_base_postures_merge_key_by_key_and_like_builds_on_another_pose(pose_folder: Path) -> None:
    (pose_folder / "first-one.yaml").write_text(
        "frames:\n  - base: hooklying\n    left_leg: {knee: 60}\nprops:\n  - {kind: wall, at: [140, 0, 0]}\n",
        encoding="utf-8",
    )
    (pose_folder / "second-one.yaml").write_text("like: first-one\nworking: left\n", encoding="utf-8")
    pose = load_pose("second-one")
    assert pose.working == "left" and [prop.kind for prop in pose.props] == ["wall"]
    leg = pose.frames[0].left_leg
    assert leg.knee == 60 and leg.hip.flex == figures.postures()["hooklying"]["left_leg"]["hip"]["flex"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("frames: [\n", "not valid YAML"),
        ("- just a list\n", "must be a mapping"),
        ("frames:\n  - base: nowhere\n", "unknown base posture"),
        ("like: broken-one\n", "loop"),
        ("like: missing-one\n", "names no pose file"),
        ("frames:\n  - base: standing\n    wings: 2\n", "wings"),
        ("frames:\n  - left_arm: {reach: {to: nose}}\n", "not a joint"),
        ("frames:\n  - {}\ncontacts:\n  - {part: tail}\n", "unknown contact part"),
    ],
)
def test_broken_pose_files_are_reported(pose_folder: Path, text: str, message: str) -> None:
    (pose_folder / "broken-one.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PoseFileError, match=message):
        render_svg("broken-one")


# --- the command line ----------------------------------------------------------------------


def test_cli_writes_either_side(tmp_path: Path) -> None:
    exercise_id = PER_SIDE[0]
    left, right = tmp_path / "l.svg", tmp_path / "r.svg"
    assert runner.invoke(app, ["figure", exercise_id, "--side", "left", "-o", str(left)]).exit_code == 0
    result = runner.invoke(app, ["figure", exercise_id, "--side", "right", "-o", str(right)])
    assert result.exit_code == 0, result.output
    assert parse(left.read_text(encoding="utf-8")).attrib["role"] == "img"
    assert left.read_text(encoding="utf-8") != right.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["glute-bridge", "--side", "up"], "lumbo: --side must be left or right, not 'up'"),
        (["glute-bridge", "--frame", "9"], "lumbo: 'glute-bridge' has"),
        (["side-plnk"], "lumbo: unknown exercise 'side-plnk'; did you mean: side-plank"),
        ([], "lumbo: give an exercise id"),
    ],
)
def test_cli_bad_input_is_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["figure", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) == 1


def test_cli_contact_sheet_holds_every_figure(tmp_path: Path) -> None:
    target = tmp_path / "sheet.html"
    result = runner.invoke(app, ["figure", "--sheet", "-o", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    for exercise_id in ALL_IDS:
        assert f"<td class=n>{exercise_id}<br>" in html
    assert html.count("<svg") >= 2 * len(ALL_IDS) + len(PER_SIDE)


def test_cli_prints_the_figure_without_output_option() -> None:
    result = runner.invoke(app, ["figure", "cobra", "--animate", "--width", "200"])
    assert result.exit_code == 0
    assert parse(result.stdout).attrib["width"] == "200"
