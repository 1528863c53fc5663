"""Load the exercise catalogue from the YAML files shipped in ``lumbo/catalogue/exercises``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from lumbo.domain.catalogue import Catalogue, CatalogueError, Exercise

# The C loader is several times faster; fall back when PyYAML was built without libyaml.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def exercises_dir() -> Path:
    return Path(str(resources.files("lumbo") / "catalogue" / "exercises"))


def load_entry(path: Path) -> Exercise:
    """Read and validate one entry file; the file name must be the entry's id."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_Loader)
    try:
        entry = Exercise.model_validate(data)
    except ValidationError as error:
        raise CatalogueError(f"{path.name}: {error}") from error
    if entry.id != path.stem:
        raise CatalogueError(f"{path.name}: the id {entry.id!r} must match the file name")
    return entry


def load_catalogue(directory: Path | None = None) -> Catalogue:
    folder = directory or exercises_dir()
    return Catalogue(load_entry(path) for path in sorted(folder.glob("*.yaml")))


@cache
def default_catalogue() -> Catalogue:
    """The packaged catalogue, loaded once per process."""
    return load_catalogue()
