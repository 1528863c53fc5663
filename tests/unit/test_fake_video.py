"""The synthetic camera videos: a valid y4m, frames that follow the poses, known changes that show."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from lumbo.domain.body import forward
from tests.support.fake_video import (
    Clip,
    bridge_clip,
    i420,
    luma,
    plank_clip,
    read_y4m,
    side_plank_clip,
)
from tests.support.motion import grounded, key_frames, plank_sag, side_plank_drop, truth
from tests.support.person import LOOK, Framing, Lens, render, scene_points


def _differs(a: bytes, b: bytes, width: int, height: int) -> int:
    """How many luma pixels differ clearly between two raw frames."""
    diff = ImageChops.difference(luma(a, width, height), luma(b, width, height))
    return sum(diff.point(lambda v: 255 if v > 24 else 0).histogram()[255:])


def test_y4m_header_and_frame_sizes(tmp_path: Path) -> None:
    clip = plank_clip(0, good_seconds=1.0, lead_seconds=0.0)
    path = clip.write(tmp_path / "plank.y4m")
    data = path.read_bytes()
    assert data.startswith(b"YUV4MPEG2 W640 H480 F15:1 Ip A1:1 C420jpeg\n")
    header, frames = read_y4m(path)
    assert (header["W"], header["H"], header["F"]) == ("640", "480", "15:1")
    assert len(frames) == 15  # one second at 15 frames a second
    assert all(len(frame) == 640 * 480 * 3 // 2 for frame in frames)
    header_length = data.index(b"\n") + 1
    assert len(data) == header_length + 15 * (len(b"FRAME\n") + 640 * 480 * 3 // 2)


def test_i420_planes_keep_the_picture() -> None:
    image = Image.new("RGB", (8, 4), (255, 255, 255))
    image.paste((0, 0, 0), (0, 0, 4, 4))
    raw = i420(image)
    assert len(raw) == 8 * 4 + 2 * (4 * 2)
    y = raw[: 8 * 4]
    assert y[0] == 16 and y[7] == 235  # black and white in limited range
    assert set(raw[8 * 4 :]) == {128}  # grey has no colour


def test_frames_differ_between_key_frames(tmp_path: Path) -> None:
    low, high = (grounded(pose) for pose in key_frames("glute-bridge"))
    clip = Clip().hold(low, 0.4).move(high, 0.6).hold(high, 0.4)
    _, frames = read_y4m(clip.write(tmp_path / "bridge.y4m"))
    assert len(frames) == round(1.4 * 15)
    assert frames[0] == frames[5]  # a hold repeats the same picture
    assert _differs(frames[0], frames[-1], 640, 480) > 2000  # hips down vs hips up
    middle = frames[6 + 4]
    assert _differs(frames[0], middle, 640, 480) > 500 and _differs(middle, frames[-1], 640, 480) > 500


def test_bridge_clip_has_every_rep() -> None:
    clip = bridge_clip(8)
    line = clip.truth("offset", ["mid_shoulder", "mid_hip", "mid_knee"], "left")
    reps, up = 0, False
    for value in line:  # the hips rise past -15 and fall back past -35 eight times
        if not up and value > -15:
            up, reps = True, reps + 1
        elif up and value < -35:
            up = False
    assert reps == 8


def _hip_pixel_height(pose_sag: float) -> float:
    """Where the hips land in the picture (pixels from the top), for a plank with this sag."""
    good = grounded(key_frames("forearm-plank")[0])
    pose = plank_sag(good, pose_sag) if pose_sag else good
    lens = Lens.looking(25.0, 8.0, centre=forward(good).joints["pelvis"], distance=250.0)
    framing = Framing.fit(scene_points([forward(good)], lens))
    _, y = framing.px(lens.point(forward(pose).joints["pelvis"]))
    return y / 2  # px() works on the twice-as-large canvas


@pytest.mark.parametrize("sag", [10.0, 25.0])
def test_sag_moves_the_hips_down_in_the_picture(sag: float) -> None:
    good = grounded(key_frames("forearm-plank")[0])
    bad = plank_sag(good, sag)
    assert truth(good, "offset", ["mid_shoulder", "mid_hip", "mid_ankle"], "left") == pytest.approx(0.0, abs=0.5)
    assert truth(bad, "offset", ["mid_shoulder", "mid_hip", "mid_ankle"], "left") == pytest.approx(-sag, abs=1.5)
    assert _hip_pixel_height(sag) > _hip_pixel_height(0.0) + sag / 2  # lower in the picture = larger y
    # Forearms and toes still rest on the floor: only the hips dropped.
    skeleton = forward(bad)
    assert skeleton.lowest() == pytest.approx(0.0, abs=0.01)
    assert min(skeleton.joints["left.toes"][1], skeleton.joints["left.ankle"][1]) < 8.0


def _centre_of(image: Image.Image, colour: tuple[int, int, int]) -> tuple[float, float]:
    """The centre (x, y) of the pixels close to ``colour`` (clothes keep their colour, shaded a little)."""
    xs, ys, width = 0.0, 0.0, image.width
    count = 0
    data = image.tobytes()
    for index in range(image.width * image.height):
        r, g, b = data[3 * index : 3 * index + 3]
        if abs(r - colour[0]) + abs(g - colour[1]) + abs(b - colour[2]) < 60:
            xs, ys, count = xs + index % width, ys + index // width, count + 1
    assert count > 500
    return xs / count, ys / count


def test_sagging_plank_shows_in_the_pixels() -> None:
    clip = plank_clip(25, good_seconds=1.0, bad_seconds=1.0, lead_seconds=0.0)
    images = list(clip.images())
    good, bad = images[0], images[15 + 15 + 5]  # after the hold and the one-second drop
    assert ImageChops.difference(good, bad).getbbox() is not None
    shirt_good, shirt_bad = _centre_of(good, LOOK.shirt), _centre_of(bad, LOOK.shirt)
    trousers_good, trousers_bad = _centre_of(good, LOOK.trousers), _centre_of(bad, LOOK.trousers)
    # The trunk and the thighs come down towards the floor (larger y is lower in the picture).
    assert shirt_bad[1] > shirt_good[1] + 5
    assert trousers_bad[1] > trousers_good[1] + 3


def test_side_plank_hips_drop_halfway() -> None:
    clip = side_plank_clip(20)
    line = clip.truth("offset", ["mid_shoulder", "mid_hip", "mid_ankle"], "left")
    half = len(line) // 2
    assert max(abs(v) for v in line[: half - 15]) < 1.0
    assert line[-1] == pytest.approx(-20.0, abs=1.5)
    good = grounded(key_frames("side-plank")[0])
    assert forward(side_plank_drop(good, 20)).lowest() == pytest.approx(0.0, abs=0.01)


def test_render_is_quick_enough(tmp_path: Path) -> None:
    start = time.monotonic()
    clip = bridge_clip(8)
    clip.write(tmp_path / "bridge.y4m")
    assert clip.seconds > 30
    assert time.monotonic() - start < 10.0


def test_picture_looks_like_a_scene() -> None:
    pose = grounded(key_frames("forearm-plank")[0])
    lens = Lens.looking(25.0, 8.0, centre=forward(pose).joints["pelvis"], distance=250.0)
    framing = Framing.fit(scene_points([forward(pose)], lens))
    image = render(forward(pose), lens, framing)
    assert image.size == (640, 480)
    colours = {colour for _, colour in image.getcolors(640 * 480) or []}
    assert len(colours) > 50  # skin, hair, clothes, shading, the room
