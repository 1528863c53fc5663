"""A pre-validated snapshot of the catalogue, so a command starts without parsing YAML.

Importing PyYAML and parsing and validating the ~86 entry files costs ~40-60 ms in every
process; reading one JSON file and validating its dicts with pydantic-core costs ~2 ms.
The first process that loads the catalogue writes the snapshot; later ones read it.

Safety, in order of the checks:

- **Keyed by content.** The snapshot holds a SHA-256 digest of every ``*.yaml`` file in the
  catalogue folder (name and bytes), of the modules that define what an entry is, and of
  pydantic's version. Each load hashes the files again (~2 ms) and uses the snapshot only
  when the digests match, so an edited, added or removed entry is never served stale.
- **Validated again.** The stored entries go through ``Exercise.model_validate`` and
  ``Catalogue(...)`` like parsed ones, so a snapshot cannot hold what the files could not.
- **Owned by the user.** The cache folder and the file must belong to the current user and
  must not be writable by group or others (POSIX), so another account cannot plant entries.
- **Plain JSON**, never pickle.
- **Never in the way.** A missing, unreadable, corrupt or stale snapshot falls back to
  parsing the YAML files; a folder that cannot be written (read-only home, full disk) means
  no snapshot is kept, silently. Writes go to a temporary file in the same folder that then
  takes the name in one step (``os.replace``), so processes writing at once never leave half
  a file, and a reader never sees one.

Where: ``catalogue-snapshot.json`` in the user cache folder (``~/.cache/lumbo`` on Linux,
``~/Library/Caches/lumbo`` on macOS, ``%LOCALAPPDATA%\\lumbo\\Cache`` on Windows), or in
``$LUMBO_CACHE_DIR``. ``LUMBO_CATALOGUE_SNAPSHOT=off`` turns it off. Deleting the file is
always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lumbo.domain.catalogue import Catalogue, Exercise

#: Bump when the file's layout changes; older snapshots are then ignored and rewritten.
SNAPSHOT_FORMAT = 1
SNAPSHOT_NAME = "catalogue-snapshot.json"
#: Environment variables: where the cache folder is, and a switch to turn the snapshot off.
CACHE_DIR_VARIABLE = "LUMBO_CACHE_DIR"
SWITCH_VARIABLE = "LUMBO_CATALOGUE_SNAPSHOT"
OFF_WORDS = frozenset({"0", "off", "no", "false"})
#: A snapshot larger than this is not read (the real one is ~300 KB).
MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024
_MODE_PRIVATE_FOLDER = 0o700


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The folder for the snapshot, or None when the snapshot is turned off."""
    env = os.environ if environ is None else environ
    if env.get(SWITCH_VARIABLE, "").strip().lower() in OFF_WORDS:
        return None
    chosen = env.get(CACHE_DIR_VARIABLE, "").strip()
    try:
        if chosen:
            return Path(chosen).expanduser()
        if sys.platform.startswith("linux"):
            # platformdirs' rule for Linux, without importing it (~1 % of the start).
            base = env.get("XDG_CACHE_HOME", "").strip()  # a relative one is ignored (XDG)
            return Path(base if os.path.isabs(base) else os.path.expanduser("~/.cache")) / "lumbo"
        import platformdirs

        return Path(platformdirs.user_cache_dir("lumbo", appauthor=False))
    except (OSError, RuntimeError, ValueError):  # no home folder to expand: go without
        return None


def _model_sources() -> list[Path]:
    """The modules whose code decides what a validated entry looks like."""
    import lumbo.domain.camera
    import lumbo.domain.catalogue
    import lumbo.domain.landmarks
    import lumbo.domain.words

    modules = (lumbo.domain.catalogue, lumbo.domain.words, lumbo.domain.camera, lumbo.domain.landmarks)
    return [Path(module.__file__ or "") for module in modules]


def catalogue_digest(contents: list[tuple[Path, bytes]]) -> str:
    """A digest of the entry files (names and bytes), the model code and pydantic's version.

    Raises OSError when the model code cannot be read.
    """
    import pydantic

    digest = hashlib.sha256(f"lumbo-catalogue-snapshot {SNAPSHOT_FORMAT} {pydantic.VERSION}".encode())
    models = [(path, path.read_bytes()) for path in _model_sources()]
    for group, pairs in (("model", models), ("entry", contents)):
        for path, data in pairs:
            digest.update(f"\0{group}\0{path.name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def _safe_owner(found: os.stat_result) -> bool:
    """Owned by this user and not writable by anyone else (always true where there are no uids)."""
    getuid: Callable[[], int] | None = getattr(os, "getuid", None)
    if getuid is None or sys.platform == "win32":
        return True
    return found.st_uid == getuid() and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_snapshot(path: Path, digest: str) -> Catalogue | None:
    """The catalogue in the snapshot at ``path``, or None when it is missing, foreign,
    corrupt, stale or invalid. Never raises."""
    try:
        if not _safe_owner(os.stat(path.parent)):
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        handle = os.open(path, flags)
        with os.fdopen(handle, "rb") as stream:
            found = os.fstat(stream.fileno())
            if not stat.S_ISREG(found.st_mode) or not _safe_owner(found):
                return None
            raw = stream.read(MAX_SNAPSHOT_BYTES + 1)
        if len(raw) > MAX_SNAPSHOT_BYTES:
            return None
        data = json.loads(raw)
        if not (
            isinstance(data, dict)
            and data.get("format") == SNAPSHOT_FORMAT
            and data.get("digest") == digest
            and isinstance(data.get("entries"), list)
        ):
            return None
        return Catalogue(Exercise.model_validate(entry) for entry in data["entries"])
    except Exception:  # any problem at all means: parse the files instead
        return None


def write_snapshot(path: Path, digest: str, catalogue: Catalogue) -> bool:
    """Store ``catalogue`` at ``path`` (whole or not at all); False when it cannot. Never raises."""
    temporary: str | None = None
    try:
        folder = path.parent
        folder.mkdir(mode=_MODE_PRIVATE_FOLDER, parents=True, exist_ok=True)
        if not _safe_owner(os.stat(folder)):
            return False
        document: dict[str, Any] = {
            "format": SNAPSHOT_FORMAT,
            "digest": digest,
            "entries": [entry.model_dump(mode="json") for entry in catalogue],
        }
        data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        import tempfile

        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:  # mkstemp makes it 0600
            stream.write(data)
        os.replace(temporary, path)
        temporary = None
        return True
    except Exception:  # a read-only or full disk, a race with a cleaner: no snapshot, no harm
        return False
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def load_with_snapshot(
    folder: Path, parse_entry: Callable[[Path, bytes], Exercise], snapshot_folder: Path | None
) -> Catalogue:
    """The catalogue of the ``*.yaml`` files in ``folder``: from the snapshot in
    ``snapshot_folder`` when it is current, else parsed with ``parse_entry`` (whose errors
    propagate), keeping a snapshot for next time. None: no snapshot, always parse.

    The digest and the parse use the same bytes, read once, so a file edited meanwhile can
    never be stored under the digest of its old text.
    """
    contents = [(path, path.read_bytes()) for path in sorted(folder.glob("*.yaml"))]
    digest: str | None = None
    if snapshot_folder is not None:
        try:
            digest = catalogue_digest(contents)
        except OSError:  # the model code is not readable (a zipped install): no snapshot
            digest = None
    path = snapshot_folder / SNAPSHOT_NAME if snapshot_folder is not None else None
    if path is not None and digest is not None:
        found = read_snapshot(path, digest)
        if found is not None:
            return found
    catalogue = Catalogue(parse_entry(entry_path, data) for entry_path, data in contents)
    if path is not None and digest is not None:
        write_snapshot(path, digest, catalogue)
    return catalogue
