"""The lock files install on every platform the project names: a dependency that
pyproject.toml limits to some platforms keeps that limit in both locks (a lock resolved for
Linux alone pinned uvloop without it, so `make run` failed on Windows)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ["requirements.lock", "requirements-dev.lock"]
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def limited_dependencies() -> dict[str, str]:
    """Each dependency of pyproject.toml given with an environment marker, and its marker."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        declared += extra
    found = {}
    for requirement in declared:
        if ";" in requirement:
            spec, marker = requirement.split(";", 1)
            match = NAME.match(spec.strip())
            assert match, requirement
            found[normal(match.group(0))] = marker.strip()
    return found


def pinned(lock: str) -> dict[str, str]:
    """Each package pinned in ``lock`` and its marker ('' without one)."""
    found = {}
    for line in (ROOT / lock).read_text().splitlines():
        if not line or line.startswith((" ", "#")):
            continue
        requirement, _, marker = line.partition(";")
        found[normal(requirement.split("==")[0].strip())] = marker.strip()
    return found


def test_pyproject_limits_some_dependency_to_some_platforms() -> None:
    assert "uvloop" in limited_dependencies()  # else the test below checks nothing


@pytest.mark.parametrize("lock", LOCKS)
def test_platform_limited_dependencies_keep_their_limit_in_the_lock(lock: str) -> None:
    locked = pinned(lock)
    for name, marker in limited_dependencies().items():
        if name not in locked:
            continue
        assert locked[name], f"{lock} pins {name} for every platform; pyproject.toml says {marker}"
        if "win32" in marker:
            assert "win32" in locked[name], f"{lock}: {name} would install on Windows"
