"""The camera coach's rule evaluator is plain browser JavaScript; its tests run on node's own
test runner (``node --test tests/js/``, no npm packages). This runs them from pytest so the
suite covers them too. Without node they are skipped locally but fail when CI=true.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JS_TESTS = ROOT / "tests" / "js"


def test_rule_evaluator_passes_its_node_tests() -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is not installed; the camera coach's JavaScript tests cannot run")
        pytest.skip("node is not installed, so the camera coach's JavaScript tests cannot run")
    result = subprocess.run(
        [node, "--test", str(JS_TESTS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"node --test tests/js/ failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
