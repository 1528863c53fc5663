"""Where the five seed articles are, for the tests that check no text is copied from them.

The seeds live beside the repository (``../shared/seeds``) on the developers' machines; a
clone elsewhere skips only the overlap checks, with a message.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from lumbo.domain.textcheck import NgramIndex

SEEDS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
SEED_FILES = {
    "000_4e3ddc84ba866f2f.txt",
    "001_398ed349542a118e.txt",
    "002_e14ac49bdaa1a107.txt",
    "003_f946f2588c8df1e8.txt",
    "004_c5e5c944d4373c86.txt",
}


@cache
def _index() -> NgramIndex:
    return NgramIndex.build(path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt")))


def seed_index() -> NgramIndex:
    """The 8-word index of the seeds; skips the calling test when the seeds are not here."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed folder {SEEDS_DIR} not found; the 8-word overlap check needs the seeds")
    return _index()
