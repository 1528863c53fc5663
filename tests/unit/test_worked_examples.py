"""Worked example profiles (tests/examples/*.json), each with the decision it must produce."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.domain.model import History, Profile
from lumbo.services import decide

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.json"))
START = dt.date(2026, 11, 23)


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_worked_example(path: Path) -> None:
    example: dict[str, Any] = json.loads(path.read_text())
    expect = example["expect"]
    catalogue = default_catalogue()
    decision = decide(
        Profile.model_validate(example["profile"]),
        History.model_validate(example.get("history", {})),
        START,
        7,
        catalogue,
    )
    assert decision.status == expect["status"], example["why"]
    if "urgency" in expect:
        assert decision.urgency == expect["urgency"]
    if "stage" in expect:
        assert decision.stage == expect["stage"]
    variations = {i.variation for d in decision.days for s in d.sessions for i in s.items}
    categories = {i.category for d in decision.days for s in d.sessions for i in s.items}
    assert set(expect.get("includes", [])) <= variations, example["why"]
    assert not set(expect.get("excludes", [])) & variations
    assert not set(expect.get("excludes_categories", [])) & categories
    items = [item for day in decision.days for session in day.sessions for item in session.items]
    patterns = {catalogue[item.variation].pattern_id for item in items}
    assert set(expect.get("includes_patterns", [])) <= patterns, example["why"]
    assert not set(expect.get("excludes_patterns", [])) & patterns, example["why"]
    for day in decision.days:
        for session in day.sessions:
            # Every plan: at most 8 exercises a session, one per movement pattern, and
            # nothing loaded unless the person's own logs climbed to it.
            session_patterns = [catalogue[item.variation].pattern_id for item in session.items]
            assert len(session.items) <= 8 and len(set(session_patterns)) == len(session_patterns)
    if not example.get("history"):
        assert not [item.variation for item in items if catalogue[item.variation].loaded]
    if "first_note_contains" in expect:
        assert decision.notes and expect["first_note_contains"] in decision.notes[0], decision.notes[:1]
    if "max_minutes" in expect:
        assert all(sum(s.estimated_minutes for s in d.sessions) <= expect["max_minutes"] for d in decision.days)
    if "note_contains" in expect:
        assert any(expect["note_contains"] in note for note in decision.notes)


def test_there_are_worked_examples() -> None:
    assert len(EXAMPLES) >= 18
