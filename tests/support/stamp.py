"""Frame numbers stamped into a synthetic video, so a browser test knows which frame it sees.

A fake camera plays a y4m file in real time and loops it; a test cannot tell from the clock
where in the clip the picture is. ``write_stamped`` writes a clip with its frame number in a
strip of blocks along the top-left edge (``BLOCKS`` blocks, ``BLOCK_W`` x ``BLOCK_H`` pixels:
the first always white, then the number's bits, most significant first, white = 1), far from
the person; ``READ_STAMP_JS`` reads it back from a ``<video>`` in the page.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.fake_video import Clip, i420

BLOCKS = 12
BLOCK_W = 16
BLOCK_H = 8
WHITE, BLACK, GREY = 235, 16, 128
MAX_FRAMES = 1 << (BLOCKS - 1)

# `(video) => frame number or null`: reads the stamp off the picture the <video> shows now.
READ_STAMP_JS = f"""
(video) => {{
  if (!video || video.readyState < 2 || !video.videoWidth) return null;
  const canvas = (window.__stampCanvas ||= document.createElement("canvas"));
  canvas.width = {BLOCKS * BLOCK_W};
  canvas.height = {BLOCK_H};
  const context = canvas.getContext("2d", {{ willReadFrequently: true }});
  context.drawImage(video, 0, 0, {BLOCKS * BLOCK_W}, {BLOCK_H}, 0, 0, {BLOCKS * BLOCK_W}, {BLOCK_H});
  const pixels = context.getImageData(0, 0, {BLOCKS * BLOCK_W}, {BLOCK_H}).data;
  const bit = (block) => {{
    const at = 4 * ({BLOCK_H // 2} * {BLOCKS * BLOCK_W} + block * {BLOCK_W} + {BLOCK_W // 2});
    return (pixels[at] + pixels[at + 1] + pixels[at + 2]) / 3 > 128 ? 1 : 0;
  }};
  if (!bit(0)) return null;
  let number = 0;
  for (let block = 1; block < {BLOCKS}; block += 1) number = number * 2 + bit(block);
  return number;
}}
"""


def stamp(frame: bytes, number: int, width: int, height: int) -> bytes:
    """One I420 frame with ``number`` stamped into its top-left corner (grey chroma there)."""
    if not 0 <= number < MAX_FRAMES:
        raise ValueError(f"a stamp holds 0..{MAX_FRAMES - 1}, not {number}")
    data = bytearray(frame)
    bits = [1] + [(number >> shift) & 1 for shift in range(BLOCKS - 2, -1, -1)]
    row = bytes(value for bit in bits for value in [WHITE if bit else BLACK] * BLOCK_W)
    for y in range(BLOCK_H):
        data[y * width : y * width + len(row)] = row
    chroma_at = width * height
    half_w = width // 2
    for plane in (chroma_at, chroma_at + (width // 2) * (height // 2)):
        for y in range(BLOCK_H // 2):
            start = plane + y * half_w
            data[start : start + len(row) // 2] = bytes([GREY]) * (len(row) // 2)
    return bytes(data)


def write_stamped(clip: Clip, path: Path) -> Path:
    """Write ``clip`` as a y4m (as ``Clip.write``) with every frame's number stamped in."""
    header = f"YUV4MPEG2 W{clip.width} H{clip.height} F{clip.fps}:1 Ip A1:1 C420jpeg\n"
    encoded: dict[int, bytes] = {}
    with path.open("wb") as out:
        out.write(header.encode("ascii"))
        for number, image in enumerate(clip.images()):
            key = id(image)  # each distinct pose is drawn once: the same picture object
            if key not in encoded:
                encoded[key] = i420(image)
            out.write(b"FRAME\n")
            out.write(stamp(encoded[key], number, clip.width, clip.height))
    return path
