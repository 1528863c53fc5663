"""Load the exercise catalogue from the YAML files shipped in ``lumbo/catalogue/exercises``.

``default_catalogue()`` goes through a pre-validated snapshot (``catalogue_snapshot``), so
a command that finds a current one never imports PyYAML; ``load_catalogue()`` always parses.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lumbo.domain.catalogue import Catalogue, CatalogueError, Exercise


def exercises_dir() -> Path:
    # The package folder, as ``importlib.resources.files("lumbo")`` gives it for an installed
    # or source package, without importing importlib.resources (~1 % of `lumbo plan`'s start).
    return Path(__file__).parent.parent / "catalogue" / "exercises"


@cache
def _yaml_loader() -> Any:
    """PyYAML's C loader (several times faster), or the pure one when built without libyaml.

    Imported on first use: with a current snapshot, PyYAML (~15 ms) is never imported.
    """
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_entry(path: Path, data: bytes) -> Exercise:
    """Validate one entry from the bytes of its file; the file name must be the entry's id."""
    import yaml

    # The same decoding and newline handling as opening the file as UTF-8 text.
    with io.TextIOWrapper(io.BytesIO(data), encoding="utf-8") as handle:
        parsed = yaml.load(handle, Loader=_yaml_loader())
    try:
        entry = Exercise.model_validate(parsed)
    except ValidationError as error:
        raise CatalogueError(f"{path.name}: {error}") from error
    if entry.id != path.stem:
        raise CatalogueError(f"{path.name}: the id {entry.id!r} must match the file name")
    return entry


def load_entry(path: Path) -> Exercise:
    """Read and validate one entry file; the file name must be the entry's id."""
    return parse_entry(path, path.read_bytes())


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Parse and validate every entry file (no snapshot)."""
    folder = directory or exercises_dir()
    return Catalogue(load_entry(path) for path in sorted(folder.glob("*.yaml")))


def load_catalogue_cached(directory: Path | None = None, snapshot_folder: Path | None = None) -> Catalogue:
    """The same catalogue as ``load_catalogue``, through the snapshot in ``snapshot_folder``
    (default: the user cache folder; see ``lumbo.adapters.catalogue_snapshot``)."""
    from lumbo.adapters import catalogue_snapshot

    folder = directory or exercises_dir()
    where = snapshot_folder if snapshot_folder is not None else catalogue_snapshot.cache_dir()
    return catalogue_snapshot.load_with_snapshot(folder, parse_entry, where)


@cache
def default_catalogue() -> Catalogue:
    """The packaged catalogue, loaded once per process (from the snapshot when current)."""
    return load_catalogue_cached()
