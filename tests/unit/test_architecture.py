"""The domain stays pure: its modules import only the standard library, pydantic and each other."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).parents[2] / "src" / "lumbo" / "domain"
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core", "typing_extensions"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_domain_modules_import_only_stdlib_pydantic_and_the_domain() -> None:
    modules = sorted(DOMAIN.glob("*.py"))
    assert len(modules) >= 6
    offenders = []
    for path in modules:
        for name in imported_roots(path):
            root = name.split(".")[0]
            if name.startswith("lumbo.domain") or root == "__future__":
                continue
            if root in sys.stdlib_module_names or root in ALLOWED_THIRD_PARTY:
                continue
            offenders.append(f"{path.name} imports {name}")
    assert offenders == []


def test_the_check_catches_an_impure_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom lumbo.adapters import orm\n")
    assert imported_roots(bad) == {"sqlalchemy", "lumbo.adapters"}
