"""Draw the mannequin as a person a pose model can find: skin, hair, a face, clothes, a room.

The outlines come from lumbo's own SVG mannequin (``lumbo.drawing.mannequin.body_parts``:
the same capsules, trunk blocks and depth order), painted with Pillow at twice the size and
scaled down (smooth edges). The head is shaded pixel by pixel as a ball with hair, eyes,
brows, nose, mouth and ears, turned the way the head's own axes point: the pose model's
person detector keys on faces, so the face matters most.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from lumbo.domain.body import HEAD_RADIUS, SIDES, Skeleton, Vec, dot, sub, torso_blocks
from lumbo.domain.pose import Prop
from lumbo.drawing.mannequin import Camera, Point, capsule, convex_hull, prop_drawing, scene_shapes

RGB = tuple[int, int, int]
SUPERSAMPLE = 2


@dataclass(frozen=True)
class Look:
    """Colours of the person and the room."""

    skin: RGB = (226, 176, 142)
    hair: RGB = (58, 40, 30)
    shirt: RGB = (196, 48, 56)
    trousers: RGB = (44, 56, 98)
    shoes: RGB = (238, 238, 236)
    wall: RGB = (214, 208, 196)
    floor: RGB = (150, 128, 104)
    mat: RGB = (70, 132, 120)
    eye: RGB = (30, 24, 22)
    lips: RGB = (170, 84, 84)


LOOK = Look()


@dataclass(frozen=True)
class Lens(Camera):
    """A camera with perspective: the eye ``distance`` cm from ``centre`` along ``toward``.

    Screen units are centimetres at the centre's distance (as ``Camera.point``); nearer
    things come out larger. ``distance = inf`` is the mannequin's own orthographic view.
    """

    centre: Vec = (0.0, 0.0, 0.0)
    distance: float = math.inf

    @classmethod
    def looking(cls, azimuth: float, elevation: float, centre: Vec, distance: float) -> Lens:
        camera = Camera.at(azimuth, elevation)
        return cls(right=camera.right, up=camera.up, toward=camera.toward, centre=centre, distance=distance)

    def zoom(self, p: Vec) -> float:
        """How much larger than at the centre's distance a thing at ``p`` looks."""
        if math.isinf(self.distance):
            return 1.0
        return self.distance / max(self.distance - dot(sub(p, self.centre), self.toward), 0.1 * self.distance)

    def point(self, p: Vec) -> Point:
        k = self.zoom(p)
        rel = sub(p, self.centre)
        return (dot(rel, self.right) * k, -dot(rel, self.up) * k)


@dataclass(frozen=True)
class Framing:
    """Where the scene lands in the picture: pixels per centimetre and the top-left corner."""

    width: int
    height: int
    scale: float
    left: float  # screen x (camera units) at the picture's left edge
    top: float  # screen y at the picture's top edge

    @classmethod
    def fit(cls, points: Sequence[Point], width: int = 640, height: int = 480, fill: float = 0.8) -> Framing:
        """Frame ``points`` (screen positions from ``Lens.point``) to fill ``fill`` of the picture."""
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        scale = fill * min(width / max(w, 1.0), height / max(h, 1.0))
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        # A little lower than the middle: more room above the head than below the floor.
        return cls(width, height, scale, cx - width / 2 / scale, cy - 0.56 * height / scale)

    def px(self, p: Point) -> Point:
        return ((p[0] - self.left) * self.scale * SUPERSAMPLE, (p[1] - self.top) * self.scale * SUPERSAMPLE)


@dataclass
class Piece:
    """One body part to paint: its depth and its outlines with their colours."""

    depth: float
    loops: list[tuple[list[Point], RGB]]
    head: bool = False


def _capsule(lens: Lens, a: Vec, b: Vec, ra: float, rb: float) -> list[Point]:
    return capsule(lens.point(a), lens.point(b), ra * lens.zoom(a), rb * lens.zoom(b))


def pieces(skeleton: Skeleton, lens: Lens, look: Look = LOOK) -> list[Piece]:
    """The body's parts as the mannequin shapes them (capsules, trunk blocks), in perspective,
    coloured as clothes and skin, far to near."""
    j = skeleton.joints
    blocks = torso_blocks(skeleton)
    trunk_depth = sum(lens.depth(p) for block in blocks for p in block) / 16
    neck = _capsule(lens, j["neck"], j["head"], 5.0, 5.0)
    out = [Piece(trunk_depth, [(neck, look.skin)] + [(convex_hull([lens.point(p) for p in b]), look.shirt) for b in blocks])]
    segments = {segment.name: segment for segment in skeleton.segments()}
    for side in SIDES:
        for limb, names in (("arm", ("upper_arm", "forearm", "hand")), ("leg", ("thigh", "shin", "foot"))):
            colours = (look.shirt, look.skin, look.skin) if limb == "arm" else (look.trousers, look.trousers, look.shoes)
            root, middle = (f"{side}.hip", "pelvis") if limb == "leg" else (f"{side}.shoulder", "neck")
            near = lens.depth(j[root]) >= lens.depth(j[middle]) - 0.5
            loops, depths = [], []
            for name, colour in zip(names, colours, strict=True):
                seg = segments[f"{side}.{name}"]
                loops.append((_capsule(lens, seg.a, seg.b, seg.ra, seg.rb), colour if near else _shade(colour, 0.82)))
                depths.append((lens.depth(seg.a) + lens.depth(seg.b)) / 2)
            out.append(Piece(sum(depths) / len(depths), loops))
    out.append(Piece(lens.depth(j["head"]) + 0.01, [], head=True))
    return sorted(out, key=lambda piece: piece.depth)


def scene_points(skeletons: Sequence[Skeleton], lens: Lens) -> list[Point]:
    """Every outline point of the body in these frames, for ``Framing.fit``."""
    points: list[Point] = []
    for skeleton in skeletons:
        for piece in pieces(skeleton, lens):
            for loop, _ in piece.loops:
                points.extend(loop)
    return points


def _shade(colour: RGB, k: float) -> RGB:
    r, g, b = colour
    return (min(255, int(r * k + 0.5)), min(255, int(g * k + 0.5)), min(255, int(b * k + 0.5)))


def _floor(lens: Lens, skeleton: Skeleton) -> list[Vec]:
    """A floor reaching from under the camera to a little behind the body, wide as the view."""
    pelvis = skeleton.joints["pelvis"]
    ahead = (lens.toward[0], 0.0, lens.toward[2])
    length = math.hypot(ahead[0], ahead[2]) or 1.0
    ahead = (ahead[0] / length, 0.0, ahead[2] / length)
    near = 0.85 * lens.distance if not math.isinf(lens.distance) else 2000.0
    out = []
    for across, along in ((-1, near), (1, near), (1, -220.0), (-1, -220.0)):
        out.append(
            (
                pelvis[0] + lens.right[0] * across * 4000 + ahead[0] * along,
                0.0,
                pelvis[2] + lens.right[2] * across * 4000 + ahead[2] * along,
            )
        )
    return out


def render(
    skeleton: Skeleton,
    lens: Lens,
    framing: Framing,
    *,
    look: Look = LOOK,
    props: Sequence[Prop] = (),
) -> Image.Image:
    """One picture of the posed body (RGB, ``framing.width`` x ``framing.height``)."""
    size = (framing.width * SUPERSAMPLE, framing.height * SUPERSAMPLE)
    image = Image.new("RGB", size, look.wall)
    draw = ImageDraw.Draw(image)
    draw.polygon([framing.px(lens.point(p)) for p in _floor(lens, skeleton)], fill=look.floor)
    for shape in scene_shapes(props, skeleton):
        drawing = prop_drawing(shape, lens)
        if drawing.line:
            continue
        for loop in drawing.loops:
            draw.polygon([framing.px(p) for p in loop], fill=look.mat, outline=_shade(look.mat, 0.7))
    line = max(1, round(1.2 * SUPERSAMPLE))
    for piece in pieces(skeleton, lens, look):
        if piece.head:
            _head(image, skeleton, lens, framing, look)
            draw = ImageDraw.Draw(image)
            continue
        for loop, colour in piece.loops:
            draw.polygon([framing.px(p) for p in loop], fill=colour, outline=_shade(colour, 0.6), width=line)
    return image.reduce(SUPERSAMPLE)


HEAD_DRAWN = 0.85 * HEAD_RADIUS  # a little smaller than the mannequin's ball, as a real head
HEAD_PIXELS = 64  # the head is worked out on at most this many pixels across, then scaled


def _head(image: Image.Image, skeleton: Skeleton, camera: Lens, framing: Framing, look: Look) -> None:
    """Paint the head as a lit ball with hair and a face (worked out per pixel on a small grid)."""
    centre = skeleton.joints["head"]
    axes = skeleton.axes["head"]
    cx, cy = framing.px(camera.point(centre))
    radius = HEAD_DRAWN * camera.zoom(centre) * framing.scale * SUPERSAMPLE
    side = max(4, round(2 * radius))
    grid = min(HEAD_PIXELS, side)
    light = _unit(sub(sub(camera.toward, camera.right), scale3(camera.up, -0.8)))
    right, up, toward = camera.right, camera.up, camera.toward
    front, head_up, left = axes.front, axes.up, axes.left
    pixels: list[tuple[int, int, int, int]] = []
    for gy in range(grid):
        dy = 1.0 - 2.0 * (gy + 0.5) / grid
        for gx in range(grid):
            dx = 2.0 * (gx + 0.5) / grid - 1.0
            r2 = dx * dx + dy * dy
            if r2 > 1.0:
                pixels.append((0, 0, 0, 0))
                continue
            dz = math.sqrt(1.0 - r2)
            n = (
                dx * right[0] + dy * up[0] + dz * toward[0],
                dx * right[1] + dy * up[1] + dz * toward[1],
                dx * right[2] + dy * up[2] + dz * toward[2],
            )
            colour = _head_colour(dot(n, front), dot(n, head_up), dot(n, left), look)
            lit = 0.62 + 0.45 * max(0.0, dot(n, light))
            if r2 > 0.88:  # a soft dark rim, like the outline of the rest of the body
                lit *= 0.7
            pixels.append((*_shade(colour, lit), 255))
    small = Image.new("RGBA", (grid, grid))
    small.putdata(pixels)
    ball = small.resize((side, side), Image.Resampling.BILINEAR)
    mask = Image.new("L", (side, side), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, side - 1, side - 1), fill=255)
    image.paste(ball.convert("RGB"), (round(cx - side / 2), round(cy - side / 2)), mask)


def _head_colour(front: float, up: float, left: float, look: Look) -> RGB:
    """The colour of the head's surface at a direction given in the head's own axes."""
    if up > 0.55 or (front < 0.1 and up > -0.35) or (front < -0.45):
        return look.hair
    if abs(abs(left) - 0.97) < 0.08 and -0.3 < up < 0.2:
        return _shade(look.skin, 0.8)  # ears
    if front <= 0.3:
        return look.skin
    for side in (-1.0, 1.0):
        eye = math.hypot(up - 0.16, left - side * 0.36)
        if eye < 0.1:
            return look.eye if eye < 0.065 else (245, 245, 240)
        if abs(up - 0.34) < 0.035 and abs(left - side * 0.36) < 0.16:
            return look.hair  # brows
    if abs(left) < 0.075 and -0.3 < up < 0.1:
        return _shade(look.skin, 0.88 if left > 0 else 0.75)  # nose, lit from one side
    if abs(up + 0.46) < 0.045 and abs(left) < 0.22:
        return look.lips
    return look.skin


def scale3(v: Vec, k: float) -> Vec:
    return (v[0] * k, v[1] * k, v[2] * k)


def _unit(v: Vec) -> Vec:
    length = math.sqrt(dot(v, v)) or 1.0
    return (v[0] / length, v[1] / length, v[2] / length)
