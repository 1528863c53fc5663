"""tests/js/recorded.test.mjs checks the camera coach on recorded landmarks with the rules in
tests/js/fixtures/rules.json. Those must be what the catalogue compiles today, or the recorded
tests would keep passing on a rule lumbo no longer uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.record_landmarks import RECORDINGS, RULES_FILE, compiled_rules

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "js" / "fixtures"
REGENERATE = ".venv/bin/python -m tests.support.record_landmarks tests/js/fixtures --rules-only"


def _stored() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / RULES_FILE).read_text(encoding="utf-8"))
    return data


def test_fixture_rules_are_what_the_catalogue_compiles_today() -> None:
    stored = _stored()
    today = json.loads(json.dumps(compiled_rules(list(stored))))
    changed = sorted(rule_id for rule_id in stored if stored[rule_id] != today[rule_id])
    assert not changed, (
        f"{FIXTURES / RULES_FILE} is stale: the catalogue now compiles {changed} differently. "
        f"Regenerate it with `{REGENERATE}`, then run `node --test tests/js/` "
        "(if a recorded check now fails, the rule change affects what the coach says on real landmarks)."
    )


def test_fixture_rules_cover_every_recorded_fixture() -> None:
    stored = _stored()
    needed = {recording.rule for recording in RECORDINGS}
    for path in FIXTURES.glob("*.json"):
        if path.name != RULES_FILE:
            needed.add(json.loads(path.read_text(encoding="utf-8"))["rule"])
    missing = sorted(needed - set(stored))
    assert not missing, (
        f"{FIXTURES / RULES_FILE} lacks the rules {missing}; regenerate it with `{REGENERATE}`."
    )
