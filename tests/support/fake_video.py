"""Synthetic camera videos of lumbo's mannequin, for the camera coach's browser tests.

A ``Clip`` is a timeline of poses (hold one; move to another with an easing), seen by one
camera; it renders each distinct pose once (``person.render``) and writes a y4m file, which
Chromium plays as a fake camera (``--use-file-for-fake-video-capture``). Ready-made clips
for the tests: ``plank_clip`` (hip sag of N degrees), ``bridge_clip`` (N bridges) and
``side_plank_clip`` (hips drop halfway). ``Clip.truth`` gives, per frame, what a measure
reads on the 3-D body itself, to compare with what the pose model reports.

y4m: a text header, then per frame ``FRAME\\n`` and the I420 planes (Y at full size, then
U and V at half width and height), limited range (16..235), as cameras send.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from lumbo.domain.body import BodyAngles, Side, Skeleton, forward
from lumbo.domain.pose import CAMERAS, Prop
from lumbo.drawing.figures import load_pose
from tests.support.motion import blend, ease, grounded, key_frames, plank_sag, side_plank_drop, truth
from tests.support.person import LOOK, Framing, Lens, Look, render, scene_points

WIDTH, HEIGHT, FPS = 640, 480, 15
#: Cameras the pose model finds people in (see /tmp notes and docs): azimuth, elevation.
VIEWS: dict[str, tuple[float, float]] = {
    "three_quarter": (25.0, 8.0),
    "front": (90.0, 8.0),
    "side": CAMERAS["side"],
}


@dataclass(frozen=True)
class Hold:
    pose: BodyAngles
    seconds: float


@dataclass(frozen=True)
class Move:
    start: BodyAngles
    end: BodyAngles
    seconds: float
    eased: bool = True


Step = Hold | Move


@dataclass
class Clip:
    """A timeline of poses seen by one camera, at ``fps`` frames a second."""

    view: tuple[float, float] = VIEWS["three_quarter"]
    fps: int = FPS
    width: int = WIDTH
    height: int = HEIGHT
    look: Look = LOOK
    props: Sequence[Prop] = ()
    fill: float = 0.8
    #: How far the camera is from the body (cm); inf draws without perspective.
    distance: float = 250.0
    steps: list[Step] = field(default_factory=list)

    # --- building -------------------------------------------------------------------------
    @property
    def last(self) -> BodyAngles:
        if not self.steps:
            raise ValueError("the clip is empty: hold a pose first")
        step = self.steps[-1]
        return step.pose if isinstance(step, Hold) else step.end

    def hold(self, pose: BodyAngles, seconds: float) -> Clip:
        self.steps.append(Hold(pose, seconds))
        return self

    def move(self, to: BodyAngles, seconds: float, *, eased: bool = True) -> Clip:
        """Move from the last pose to ``to`` over ``seconds``."""
        self.steps.append(Move(self.last, to, seconds, eased))
        return self

    @property
    def seconds(self) -> float:
        return sum(step.seconds for step in self.steps)

    # --- frames ---------------------------------------------------------------------------
    def _timeline(self) -> list[tuple[int, int, BodyAngles]]:
        """(step index, frame within the step, pose) for every frame of the clip."""
        out: list[tuple[int, int, BodyAngles]] = []
        elapsed = 0.0
        for index, step in enumerate(self.steps):
            count = round((elapsed + step.seconds) * self.fps) - round(elapsed * self.fps)
            for k in range(count):
                if isinstance(step, Hold):
                    out.append((index, 0, step.pose))
                else:
                    t = (k + 1) / count
                    out.append((index, k, grounded(blend(step.start, step.end, ease(t) if step.eased else t))))
            elapsed += step.seconds
        return out

    def poses(self) -> list[BodyAngles]:
        """The pose in every frame."""
        return [pose for _, _, pose in self._timeline()]

    def truth(self, kind: str, points: list[str], side: Side) -> list[float]:
        """A camera-coach measure of the 3-D body in every frame (degrees)."""
        return [truth(pose, kind, points, side) for pose in self.poses()]

    @property
    def camera(self) -> Lens:
        """The camera, aimed at the middle of the body's joints in the first pose."""
        joints = list(forward(self.steps[0].pose if isinstance(self.steps[0], Hold) else self.steps[0].start).joints.values())
        centre = (
            sum(p[0] for p in joints) / len(joints),
            sum(p[1] for p in joints) / len(joints),
            sum(p[2] for p in joints) / len(joints),
        )
        return Lens.looking(*self.view, centre=centre, distance=self.distance)

    def framing(self) -> Framing:
        skeletons = [forward(p) for step in self.steps for p in _ends(step)]
        return Framing.fit(scene_points(skeletons, self.camera), self.width, self.height, self.fill)

    def images(self) -> Iterator[Image.Image]:
        """Every frame as an RGB picture; each distinct pose is drawn once."""
        for _, image in self._images():
            yield image

    def _images(self) -> Iterator[tuple[str, Image.Image]]:
        camera, framing = self.camera, self.framing()
        drawn: dict[str, Image.Image] = {}
        for _, _, pose in self._timeline():
            key = _key(pose)
            if key not in drawn:
                drawn[key] = render(_skeleton(pose), camera, framing, look=self.look, props=self.props)
            yield key, drawn[key]

    def write(self, path: Path) -> Path:
        """Write the clip as a y4m video (I420) and return ``path``."""
        header = f"YUV4MPEG2 W{self.width} H{self.height} F{self.fps}:1 Ip A1:1 C420jpeg\n"
        encoded: dict[str, bytes] = {}
        with path.open("wb") as out:
            out.write(header.encode("ascii"))
            for key, image in self._images():
                if key not in encoded:
                    encoded[key] = i420(image)
                out.write(b"FRAME\n")
                out.write(encoded[key])
        return path


def _ends(step: Step) -> list[BodyAngles]:
    if isinstance(step, Hold):
        return [step.pose]
    return [step.start, grounded(blend(step.start, step.end, 0.5)), step.end]


def _skeleton(pose: BodyAngles) -> Skeleton:
    return forward(pose)


def _key(pose: BodyAngles) -> str:
    """Frames showing the same pose share a key, so they are drawn and encoded once."""
    return repr(pose)


# --- y4m ----------------------------------------------------------------------------------
_Y = [round(16 + v * 219 / 255) for v in range(256)]
_C = [round(128 + (v - 128) * 224 / 255) for v in range(256)]


def i420(image: Image.Image) -> bytes:
    """One picture as I420 bytes, limited range: Y plane, then U (Cb) and V (Cr) at half size."""
    y, cb, cr = image.convert("YCbCr").split()
    half = (image.width // 2, image.height // 2)
    u = cb.resize(half, Image.Resampling.BOX)
    v = cr.resize(half, Image.Resampling.BOX)
    return y.point(_Y).tobytes() + u.point(_C).tobytes() + v.point(_C).tobytes()


def read_y4m(path: Path) -> tuple[dict[str, str], list[bytes]]:
    """The header fields and the raw frames of a y4m file (for checks)."""
    data = path.read_bytes()
    end = data.index(b"\n")
    fields = data[:end].decode("ascii").split(" ")
    if fields[0] != "YUV4MPEG2":
        raise ValueError("not a y4m file")
    header = {item[0]: item[1:] for item in fields[1:]}
    width, height = int(header["W"]), int(header["H"])
    size = width * height * 3 // 2
    frames, at = [], end + 1
    while at < len(data):
        if data[at : at + 6] != b"FRAME\n":
            raise ValueError(f"no frame marker at byte {at}")
        at += 6
        frames.append(data[at : at + size])
        if len(frames[-1]) != size:
            raise ValueError("the last frame is cut short")
        at += size
    return header, frames


def luma(frame: bytes, width: int, height: int) -> Image.Image:
    """The Y plane of a raw I420 frame as a grey picture."""
    return Image.frombytes("L", (width, height), frame[: width * height])


# --- ready-made clips -----------------------------------------------------------------------
def _props(exercise_id: str) -> list[Prop]:
    return [prop for prop in load_pose(exercise_id).props if prop.kind == "mat"]


def plank_clip(
    sag: float = 0.0,
    *,
    good_seconds: float = 6.0,
    bad_seconds: float = 6.0,
    lead_seconds: float = 2.0,
    view: tuple[float, float] = VIEWS["three_quarter"],
) -> Clip:
    """A forearm plank held well for ``good_seconds``, then with the hips sagging ``sag``
    degrees for ``bad_seconds`` (after a one-second drop), then good again for a moment."""
    good = grounded(key_frames("forearm-plank")[0])
    clip = Clip(view=view, props=_props("forearm-plank"))
    clip.hold(good, lead_seconds + good_seconds)
    if sag:
        bad = plank_sag(good, sag)
        clip.move(bad, 1.0).hold(bad, bad_seconds).move(good, 1.0).hold(good, 2.0)
    return clip


def bridge_clip(
    reps: int = 8,
    *,
    up_seconds: float = 1.2,
    top_seconds: float = 1.0,
    down_seconds: float = 1.2,
    rest_seconds: float = 0.8,
    lead_seconds: float = 3.0,
    view: tuple[float, float] = VIEWS["three_quarter"],
) -> Clip:
    """``reps`` glute bridges: lying with knees bent, hips up, hold, down, rest."""
    low, high = (grounded(pose) for pose in key_frames("glute-bridge"))
    clip = Clip(view=view, props=_props("glute-bridge"))
    clip.hold(low, lead_seconds)
    for _ in range(reps):
        clip.move(high, up_seconds).hold(high, top_seconds).move(low, down_seconds).hold(low, rest_seconds)
    clip.hold(low, 2.0)
    return clip


def side_plank_clip(
    drop: float = 20.0,
    *,
    good_seconds: float = 8.0,
    bad_seconds: float = 8.0,
    lead_seconds: float = 2.0,
    view: tuple[float, float] = VIEWS["three_quarter"],
) -> Clip:
    """A side plank on the left forearm, held well, whose hips then drop ``drop`` degrees halfway."""
    good = grounded(key_frames("side-plank")[0])
    bad = side_plank_drop(good, drop, down="left")
    clip = Clip(view=view, props=_props("side-plank"))
    clip.hold(good, lead_seconds + good_seconds).move(bad, 1.5).hold(bad, bad_seconds)
    return clip


def frame_times(clip: Clip) -> list[float]:
    """The time of every frame (seconds from the clip's start)."""
    return [k / clip.fps for k in range(math.floor(clip.seconds * clip.fps + 0.5))]
