"""Export and import: a round trip reproduces identical data; bad files change nothing."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
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
        records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", hold_seconds=20 + offset, rating="right"), clock=clock)
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


# Values that once imported fine and then broke pages until the data was deleted.
@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda doc: doc["sessions"][0].update(date="9999-12-31"), "sessions.0.date"),
        (lambda doc: doc["sessions"][0].update(date="0001-01-01"), "sessions.0.date"),
        (lambda doc: doc["profile_history"][0].update(saved_at="9999-12-31T23:59:59Z"), "profile_history.0.saved_at"),
        (lambda doc: doc["profile_history"][-1].update(version=2147483647), "profile_history.1.version"),
        (lambda doc: doc["plans"][0].update(start="9999-12-31"), "plans.0.start"),
        (lambda doc: doc["plans"][0].update(created_at="2200-12-31T23:00:00-05:00"), "plans.0.created_at"),
        (lambda doc: doc["screens"][0].update(saved_at="1899-12-31T12:00:00Z"), "screens.0.saved_at"),
        (lambda doc: doc["sessions"][0]["items"][0].update(logged_at="0001-01-01T00:00:00Z"), "sessions.0.items.0.logged_at"),
        (lambda doc: doc["sessions"][0].update(finished_at="9999-12-31T23:59:59-14:00"), "sessions.0.finished_at"),
        (lambda doc: doc.update(exported_at="9999-12-31T00:00:00Z"), "exported_at"),
        (lambda doc: doc["plans"][0]["decision"]["days"][0].update(date="9999-12-31"), "plans.0.decision.days.0.date"),
        (
            lambda doc: doc["plans"][0]["decision"]["days"][0]["sessions"][0]["items"][0].update(sets=10**29),
            "plans.0.decision.days.0.sessions.0.items.0.sets",
        ),
        (
            lambda doc: doc["profile_history"][0]["profile"]["hard_activities"][0].update(name="cyc\u0000ling"),
            "profile_history.0.profile.hard_activities.0.name",
        ),
        (lambda doc: doc["plans"][0]["decision"]["notes"].append("a\u0000b"), "plans.0.decision.notes"),
        (lambda doc: doc["sessions"][0].update(finished_at=None), "finished_at, pain_before and pain_after go together"),
    ],
)
def test_out_of_range_values_are_refused_naming_the_field(
    uow: SqlUnitOfWork, clock: FixedClock, change: Any, field: str
) -> None:
    fill(uow, clock)
    document = records.export_document(uow, clock=clock)
    records.delete_everything(uow)
    change(document)
    with pytest.raises(BadDocument, match=re.escape(field)):
        records.import_document(uow, document)
    with uow:
        assert uow.records.is_empty()


def test_values_at_the_edges_import_and_every_use_case_works_after(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    from lumbo.ports import MAX_PROFILE_VERSION

    fill(uow, clock)
    document = records.export_document(uow, clock=clock)
    records.delete_everything(uow)
    document["sessions"][0]["date"] = "1900-01-01"
    document["sessions"][1]["date"] = "2200-12-31"
    document["sessions"][1]["finished_at"] = "2200-12-31T23:59:59Z"
    document["profile_history"][0]["saved_at"] = "1900-01-01T00:00:00Z"
    document["profile_history"][-1]["version"] = MAX_PROFILE_VERSION
    document["plans"][0]["profile_version"] = MAX_PROFILE_VERSION
    records.import_document(uow, document)

    assert records.progress(uow, TODAY, clock=clock, weeks=None).pain
    recent = records.progress(uow, TODAY, clock=clock)  # the last 12 weeks: not 1900
    assert not recent.pain and recent.first_session == dt.date(1900, 1, 1)
    assert records.current_decision(uow, TODAY, clock=clock).status == "plan"
    assert len(records.history(uow).sessions) == 2
    with pytest.raises(Conflict, match="saved 1000000 times"):
        records.save_profile(uow, Profile(pain_now=1, pain_worst_week=2, duration_weeks=3), clock=clock)
    unfinished = records.unfinished_session(uow)
    assert unfinished is not None
    records.log_item(uow, unfinished.id, ItemLog(exercise="glute-bridge", reps=3, rating="right"), 7, clock=clock)
    again = records.export_document(uow, clock=clock)
    assert again["profile_history"][-1]["version"] == MAX_PROFILE_VERSION


def test_import_text_refuses_what_json_loads_lets_by(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    fill(uow, clock)
    text = json.dumps(records.export_document(uow, clock=clock))
    records.delete_everything(uow)
    twice = text.replace('"format": "lumbo-export"', '"format": "lumbo-export", "format": "lumbo-export"')
    json.loads(twice)  # the lenient reader takes it
    for spoiled, message in (
        (twice, "the key 'format' appears twice"),
        (text.replace('"version": 1', '"version": ' + "1" * 5000), "more than 30 digits"),
        (text.replace('"cycling"', '"cyc\\u0000ling"'), "NUL character"),
        (text.replace('"pain_now": 4', '"pain_now": NaN'), "NaN is not a number"),
        (text[:-1] + ', "x": ' + "[" * 200 + "]" * 200 + "}", "nested more than 64 levels"),
        ("not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
    ):
        with pytest.raises(BadDocument, match=message):
            transfer.import_text(uow, spoiled)
        with uow:
            assert uow.records.is_empty()
    parsed = transfer.import_text(uow, text.encode())
    assert len(parsed.sessions) == 3
    assert records.export_document(uow, clock=clock) | {"exported_at": None} == json.loads(text) | {"exported_at": None}


class LockSpy:
    """A write lock that counts how often it is taken."""

    def __init__(self) -> None:
        self.taken = 0

    def __enter__(self) -> None:
        self.taken += 1

    def __exit__(self, *exc: object) -> None:
        return None


def test_the_write_lock_is_taken_only_after_the_whole_document_is_checked(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    fill(uow, clock)
    document = records.export_document(uow, clock=clock)
    records.delete_everything(uow)
    spy = LockSpy()
    uow.write_lock = spy
    spoiled = copy.deepcopy(document)
    spoiled["sessions"][-1]["items"][-1]["item"]["reps"] = 10**6  # the very last value
    with pytest.raises(BadDocument):
        transfer.import_document(uow, spoiled)
    with pytest.raises(BadDocument):
        transfer.import_text(uow, json.dumps(spoiled))
    assert spy.taken == 0
    transfer.import_document(uow, document)
    assert spy.taken == 1  # one transaction for everything
