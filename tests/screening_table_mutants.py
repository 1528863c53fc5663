"""The mutants mutmut does not make: the red-flag screen's module-level tables and numbers.

mutmut 3 mutates code inside functions only, so it never deletes a flag from
EMERGENCY_FLAGS, moves one to URGENT_FLAGS, rewords a reason or sets ADULT_AGE to 17 —
the mutations that matter most for the screen. This script makes each of those in a copy
of src/ in a temporary folder (src/ itself is never written), runs the screening tests
against the copy, and reports every mutant that no test kills. docs/testing.md explains it.

Run: .venv/bin/python -m tests.screening_table_mutants   (exit 1 when a mutant survives)
"""

from __future__ import annotations

import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = Path("lumbo/domain/screening.py")
TESTS = ["tests/unit/test_screening.py"]
TABLES = ("EMERGENCY_FLAGS", "URGENT_FLAGS", "CONDITION_REASONS", "WHAT_TO_DO")
NUMBERS = ("ADULT_AGE",)


def _assignment(tree: ast.Module, name: str) -> ast.Assign | ast.AnnAssign:
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return node
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return node
    raise LookupError(f"{TARGET} has no module-level {name}")


def _value(tree: ast.Module, name: str) -> ast.expr:
    value = _assignment(tree, name).value
    assert value is not None, name
    return value


def _table(tree: ast.Module, name: str) -> ast.Dict:
    value = _value(tree, name)
    assert isinstance(value, ast.Dict), name
    return value


def mutants(tree: ast.Module) -> Iterator[tuple[str, ast.Module]]:
    """(description, mutated module) for each table entry and number."""
    for name in TABLES:
        for index, key in enumerate(_table(tree, name).keys):
            label = ast.literal_eval(key) if key is not None else index
            deleted = copy.deepcopy(tree)
            del _table(deleted, name).keys[index], _table(deleted, name).values[index]
            yield f"delete {name}[{label!r}]", deleted
            reworded = copy.deepcopy(tree)
            values = _table(reworded, name).values
            values[index] = ast.Constant("XX" + ast.literal_eval(values[index]) + "XX")
            yield f"reword {name}[{label!r}]", reworded
    for source, destination in (("EMERGENCY_FLAGS", "URGENT_FLAGS"), ("URGENT_FLAGS", "EMERGENCY_FLAGS")):
        for index, key in enumerate(_table(tree, source).keys):
            moved = copy.deepcopy(tree)
            from_table, to_table = _table(moved, source), _table(moved, destination)
            to_table.keys.append(from_table.keys.pop(index))
            to_table.values.append(from_table.values.pop(index))
            yield f"move {ast.literal_eval(key)!r} from {source} to {destination}", moved
    for name in NUMBERS:
        number = ast.literal_eval(_value(tree, name))
        for changed in (number - 1, number + 1):
            mutated = copy.deepcopy(tree)
            _assignment(mutated, name).value = ast.Constant(changed)
            yield f"{name} = {changed}", mutated


def _run_tests(copy_src: Path) -> bool:
    """True when the screening tests pass against the copy."""
    env = {**os.environ, "PYTHONPATH": f"{copy_src}{os.pathsep}{ROOT}", "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *TESTS]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False).returncode == 0


def main() -> int:
    original = (ROOT / "src" / TARGET).read_text(encoding="utf-8")
    tree = ast.parse(original)
    with tempfile.TemporaryDirectory(prefix="lumbo-mutants-") as folder:
        copy_src = Path(folder) / "src"
        shutil.copytree(
            ROOT / "src" / "lumbo", copy_src / "lumbo", ignore=shutil.ignore_patterns("__pycache__")
        )
        target = copy_src / TARGET
        probe = subprocess.run(
            [sys.executable, "-c", "import lumbo.domain.screening as s; print(s.__file__)"],
            env={**os.environ, "PYTHONPATH": str(copy_src)},
            capture_output=True,
            text=True,
            check=True,
        )
        if not probe.stdout.strip().startswith(str(copy_src)):
            print(f"the copy is not the module imported ({probe.stdout.strip()}); giving up", file=sys.stderr)
            return 2
        if not _run_tests(copy_src):
            print("the screening tests fail on the unmutated copy; fix them first", file=sys.stderr)
            return 2
        survivors: list[str] = []
        total = 0
        for description, mutated in mutants(tree):
            total += 1
            target.write_text(ast.unparse(mutated) + "\n", encoding="utf-8")
            killed = not _run_tests(copy_src)
            print(f"{'killed  ' if killed else 'SURVIVED'} {description}", flush=True)
            if not killed:
                survivors.append(description)
    assert (ROOT / "src" / TARGET).read_text(encoding="utf-8") == original
    print(f"{total - len(survivors)}/{total} table mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    raise SystemExit(main())
