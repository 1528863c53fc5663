"""Export and import: a round trip reproduces identical data; bad files change nothing."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import SqlUnitOfWork
from lumbo.domain.model import HardActivity, ItemLog, Profile, RedFlags
from lumbo.services import records, transfer
from lumbo.services.errors import BadDocument, Conflict

TODAY = dt.date(2026, 11, 23)


def fill(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    records.save_screen_answers(uow, RedFlags(major_trauma=True), clock=clock)
    clock.advance(dt.timedelta(hours=1))
    base = {"pain_now": 4, "pain_worst_week": 6, "duration_weeks": 8}
    records.save_profile(
        uow,
        Profile.model_validate(base | {"hard_activities": [HardActivity(name="cycling", score=2)]}),
        clock=clock,
    )
    records.current_decision(uow, TODAY, clock=clock)
    for offset in range(3):
        clock.advance(dt.timedelta(days=1))
        session_id = records.start_session(uow, TODAY + dt.timedelta(days=offset), 0, clock=clock)
        records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", hold_seconds=20 + offset), clock=clock)
        records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", reps=8, rating="hard"), 4, clock=clock)
        if offset < 2:  # the last one stays unfinished
            records.finish_session(uow, session_id, 4, 3 - offset, clock=clock)
    records.save_profile(uow, Profile.model_validate(base | {"pain_now": 2}), clock=clock)


def test_export_then_import_into_an_empty_store_gives_identical_data(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    fill(uow, clock)
    exported = records.export_document(uow, clock=clock)
    assert exported["format"] == "lumbo-export" and exported["version"] == 1
    assert len(exported["profile_history"]) == 2  # the first screen came before any profile
    assert len(exported["screens"]) == 3
    assert len(exported["sessions"]) == 3
    assert exported["profile"] == exported["profile_history"][-1]["profile"]
    text = json.dumps(exported)  # JSON-ready as it is

    records.delete_everything(uow)
    records.import_document(uow, json.loads(text))
    again = records.export_document(uow, clock=clock)
    assert again == exported
    assert records.history(uow).sessions[0].items[0].hold_seconds == 20


def test_import_into_a_store_with_data_is_refused_and_changes_nothing(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    fill(uow, clock)
    before = records.export_document(uow, clock=clock)
    with pytest.raises(Conflict, match="already holds data"):
        records.import_document(uow, before)
    assert records.export_document(uow, clock=clock) == before


def broken(document: dict[str, Any], change: str) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    if change == "newer":
        doc["version"] = 2
    elif change == "format":
        doc["format"] = "something-else"
    elif change == "bad_item":
        doc["sessions"][-1]["items"][0]["item"]["rating"] = "superb"
    elif change == "duplicate_session":
        doc["sessions"].append(doc["sessions"][0])
    elif change == "profile_mismatch":
        doc["profile"]["pain_now"] = 0
    elif change == "unknown_key":
        doc["extra"] = 1
    return doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("newer", "newer lumbo"),
        ("format", "not a lumbo export"),
        ("bad_item", "malformed"),
        ("duplicate_session", "repeats an id"),
        ("profile_mismatch", "last entry of profile_history"),
        ("unknown_key", "malformed"),
    ],
)
def test_a_bad_document_is_refused_clearly_and_nothing_is_written(
    uow: SqlUnitOfWork, clock: FixedClock, change: str, message: str
) -> None:
    fill(uow, clock)
    good = records.export_document(uow, clock=clock)
    records.delete_everything(uow)
    with pytest.raises(BadDocument, match=message):
        records.import_document(uow, broken(good, change))
    with uow:
        assert uow.records.is_empty()


@pytest.mark.parametrize("document", [None, [], "text", 3, {"format": "lumbo-export"}])
def test_non_documents_are_refused(uow: SqlUnitOfWork, document: object) -> None:
    with pytest.raises(BadDocument):
        transfer.import_document(uow, document)


def test_an_empty_store_exports_an_empty_document(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    exported = records.export_document(uow, clock=clock)
    assert exported["profile"] is None and exported["sessions"] == []
    records.import_document(uow, exported)
    with uow:
        assert uow.records.is_empty()


@pytest.mark.parametrize(
    "change",
    [
        lambda doc: doc["plans"][0].update(profile_version=2**40),
        lambda doc: doc["sessions"][0]["items"][0]["item"].update(exercise="glute\u0000bridge"),
        lambda doc: doc["sessions"][0].update(id="x" * 65),
    ],
)
def test_values_a_database_cannot_hold_are_refused(
    uow: SqlUnitOfWork, clock: FixedClock, change: Any
) -> None:
    fill(uow, clock)
    document = records.export_document(uow, clock=clock)
    records.delete_everything(uow)
    change(document)
    with pytest.raises(BadDocument):
        records.import_document(uow, document)
    with uow:
        assert uow.records.is_empty()
