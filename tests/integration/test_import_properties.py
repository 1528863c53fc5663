"""Property tests of the import: any document imports whole or is refused with a
RecordsError (never another exception), and a refusal leaves the store as it was.

The documents are a valid export, spoiled: dates pushed to the extremes, numbers to huge
values, text given NUL characters, fields removed or swapped for other types, entries
repeated; as JSON text also keys given twice, absurd numbers, NaN, deep nesting, broken
bytes. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import Database, open_database
from lumbo.services import records, transfer
from lumbo.services.errors import BadDocument, Conflict, RecordsError
from tests.integration.test_transfer import fill

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

Path_ = tuple[str | int, ...]


def _valid_export() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'source.sqlite3'}")
        try:
            clock = FixedClock(dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC))
            fill(database.unit_of_work(), clock)
            return records.export_document(database.unit_of_work(), clock=clock)
        finally:
            database.dispose()


VALID = _valid_export()


def paths(value: Any, here: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) in a JSON document, containers included."""
    yield here, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*here, index))


ALL_PATHS = [path for path, _ in paths(VALID) if path]
DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T")
DATE_PATHS = [p for p, v in paths(VALID) if isinstance(v, str) and DATE.match(v)]
MOMENT_PATHS = [p for p, v in paths(VALID) if isinstance(v, str) and MOMENT.match(v)]
NUMBER_PATHS = [p for p, v in paths(VALID) if isinstance(v, int) and not isinstance(v, bool)]
TEXT_PATHS = [p for p, v in paths(VALID) if isinstance(v, str)]
DICT_KEY_PATHS = [(p, key) for p, v in paths(VALID) if isinstance(v, dict) for key in v]
LIST_PATHS = [p for p, v in paths(VALID) if isinstance(v, list) and v]

EXTREME_DATES = ["0001-01-01", "1899-12-31", "1900-01-01", "2200-12-31", "2201-01-01", "9999-12-31"]
EXTREME_MOMENTS = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "1900-01-01T00:00:00Z",
    "1900-01-01T01:00:00+05:00",
    "2200-12-31T23:59:59Z",
    "2200-12-31T23:00:00-05:00",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-14:00",
]
EDGE_DATES = ["1900-01-01", "2200-12-31"]
EDGE_MOMENTS = ["1900-01-01T00:00:00Z", "2200-12-31T23:59:59Z", "1900-01-01T00:00:00-05:00", "2200-12-31T12:00:00+14:00"]
EXTREME_NUMBERS = [-1, 0, 1, 99, 100, 1_000_000, 1_000_001, 2**31 - 1, 2**31, 2**63, 10**29, 0.5, 1e308, -1e308]
OTHER_TYPES: list[Any] = [None, "", "x", True, [], {}, 3, 2.5]


def parent_and_key(document: Any, path: Path_) -> tuple[Any, str | int]:
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    return parent, path[-1]


def exists(document: Any, path: Path_) -> bool:
    node = document
    for part in path:
        inside_dict = isinstance(node, dict) and part in node
        inside_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if not (inside_dict or inside_list):
            return False
        node = node[part]
    return True


@st.composite
def spoil(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """One change to a copy of ``document``."""
    doc = copy.deepcopy(document)
    kind = draw(
        st.sampled_from(["date", "moment", "number", "nul", "remove", "retype", "repeat", "edge", "shuffle"])
    )
    if kind == "edge":  # a date or moment at the very edge of what is accepted
        if draw(st.booleans()):
            path, value = draw(st.sampled_from(DATE_PATHS)), draw(st.sampled_from(EDGE_DATES))
        else:
            path, value = draw(st.sampled_from(MOMENT_PATHS)), draw(st.sampled_from(EDGE_MOMENTS))
    elif kind == "shuffle":  # the order of entries does not matter
        path = draw(st.sampled_from(LIST_PATHS))
        if exists(doc, path):
            parent, key = parent_and_key(doc, path)
            if isinstance(parent[key], list):
                parent[key] = draw(st.permutations(parent[key]))
        return doc
    elif kind == "date":
        path, value = draw(st.sampled_from(DATE_PATHS)), draw(st.sampled_from(EXTREME_DATES))
    elif kind == "moment":
        path, value = draw(st.sampled_from(MOMENT_PATHS)), draw(st.sampled_from(EXTREME_MOMENTS))
    elif kind == "number":
        path, value = draw(st.sampled_from(NUMBER_PATHS)), draw(st.sampled_from(EXTREME_NUMBERS))
    elif kind == "nul":
        path = draw(st.sampled_from(TEXT_PATHS))
        if not exists(doc, path):
            return doc
        parent, key = parent_and_key(doc, path)
        text = parent[key]
        if not isinstance(text, str):
            return doc
        at = draw(st.integers(0, len(text)))
        value = text[:at] + "\x00" + text[at:]
    elif kind == "remove":
        where, key = draw(st.sampled_from(DICT_KEY_PATHS))
        if exists(doc, where):
            doc_at = doc
            for part in where:
                doc_at = doc_at[part]
            doc_at.pop(key, None)
        return doc
    elif kind == "retype":
        path, value = draw(st.sampled_from(ALL_PATHS)), draw(st.sampled_from(OTHER_TYPES))
    else:  # repeat an entry of a list
        path = draw(st.sampled_from(LIST_PATHS))
        if exists(doc, path):
            parent, key = parent_and_key(doc, path)
            items = parent[key]
            items.append(copy.deepcopy(items[draw(st.integers(0, len(items) - 1))]))
        return doc
    if exists(doc, path):
        parent, key = parent_and_key(doc, path)
        parent[key] = value
    return doc


@st.composite
def spoiled(draw: st.DrawFn) -> dict[str, Any]:
    doc = VALID
    for _ in range(draw(st.integers(1, 3))):
        doc = draw(spoil(doc))
    return doc


def empty_the_store(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.records.delete_everything()
        uow.commit()


def snapshot(database: Database) -> dict[str, Any]:
    document = records.export_document(database.unit_of_work())
    document.pop("exported_at")
    return document


def by_id(document: transfer.ExportDocument) -> dict[str, Any]:
    """A document's content independent of the order of its lists."""
    return {
        "profile": document.profile,
        "profile_history": sorted(document.profile_history, key=lambda entry: entry.version),
        "screens": sorted(document.screens, key=lambda entry: entry.id),
        "plans": sorted(document.plans, key=lambda entry: entry.id),
        "sessions": sorted(
            (
                session.model_copy(update={"items": sorted(session.items, key=lambda item: item.position)})
                for session in document.sessions
            ),
            key=lambda entry: entry.id,
        ),
    }


def check_import(database: Database, attempt: Any, given: Any) -> None:
    """``attempt()`` imports ``given`` into an empty store: whole, or refused and empty."""
    empty = snapshot(database)
    try:
        attempt()
    except RecordsError as error:
        event(f"refused: {type(error).__name__}")
        assert snapshot(database) == empty
        return
    event("imported")
    stored = transfer.parse_document(records.export_document(database.unit_of_work()))
    assert by_id(stored) == by_id(given)
    the_use_cases_still_work(database, stored)
    empty_the_store(database)


def the_use_cases_still_work(database: Database, stored: transfer.ExportDocument) -> None:
    """What an imported document must never break (it once did: dates in year 9999, a
    version of 2**31-1): reading, planning, progress, saving the profile again."""
    uow = database.unit_of_work
    clock = FixedClock(dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC))
    today = clock.today()
    records.progress(uow(), today, clock=clock)
    records.list_sessions(uow())
    records.unfinished_session(uow())
    if stored.profile is not None:
        records.current_decision(uow(), today, clock=clock)
        # (a Conflict when the highest version number is taken: refused, clearly)
        with contextlib.suppress(Conflict):
            records.save_profile(uow(), stored.profile, clock=clock)


@SETTINGS
@given(document=spoiled())
def test_a_spoiled_document_imports_whole_or_is_refused_and_changes_nothing(
    database: Database, document: dict[str, Any]
) -> None:
    empty_the_store(database)
    try:
        expected: Any = transfer.parse_document(copy.deepcopy(document))
    except BadDocument:
        expected = None
    check_import(database, lambda: records.import_document(database.unit_of_work(), document), expected)


@SETTINGS
@given(document=spoiled())
def test_a_store_with_data_refuses_every_document_and_stays_as_it_was(
    database: Database, document: dict[str, Any]
) -> None:
    empty_the_store(database)
    transfer.import_document(database.unit_of_work(), VALID)
    before = snapshot(database)
    with pytest.raises((BadDocument, Conflict)):
        records.import_document(database.unit_of_work(), document)
    assert snapshot(database) == before


# JSON text


def encode(value: Any, repeat: Path_ | None, here: Path_ = ()) -> str:
    """JSON text of ``value``; the object at ``repeat`` gives its first key twice."""
    if isinstance(value, dict):
        members = [f"{json.dumps(key)}: {encode(child, repeat, (*here, key))}" for key, child in value.items()]
        if here == repeat and value:
            key, child = next(iter(value.items()))
            members.append(f"{json.dumps(key)}: {json.dumps(child)}")
        return "{" + ", ".join(members) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(encode(child, repeat, (*here, i)) for i, child in enumerate(value)) + "]"
    return json.dumps(value)


OBJECT_PATHS = [p for p, v in paths(VALID) if isinstance(v, dict) and v]
PLACEHOLDER = "__a number goes here__"


def with_number(path: Path_, number_text: str) -> str:
    """The valid export as JSON text, with ``number_text`` (raw) as the value at ``path``."""
    doc = copy.deepcopy(VALID)
    parent, key = parent_and_key(doc, path)
    parent[key] = PLACEHOLDER
    return json.dumps(doc).replace(json.dumps(PLACEHOLDER), number_text)


@st.composite
def spoiled_text(draw: st.DrawFn) -> tuple[str | bytes, bool]:
    """(JSON text, whether it must be refused)."""
    kind = draw(st.sampled_from(["twice", "nul", "digits", "nan", "deep", "cut", "bytes", "same"]))
    text = json.dumps(VALID)
    if kind == "twice":
        return encode(VALID, draw(st.sampled_from(OBJECT_PATHS))), True
    if kind == "nul":
        quote = draw(st.sampled_from([m.start() for m in re.finditer('"', text)]))
        return text[: quote + 1] + "\\u0000" + text[quote + 1 :], True
    if kind == "digits":
        digits = draw(st.sampled_from([31, 400, 5000]))
        return with_number(draw(st.sampled_from(NUMBER_PATHS)), "9" * digits), True
    if kind == "nan":
        constant = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999"]))
        return with_number(draw(st.sampled_from(NUMBER_PATHS)), constant), True
    if kind == "deep":
        depth = draw(st.sampled_from([70, 1000, 100_000]))
        return text[:-1] + ', "nested": ' + "[" * depth + "]" * depth + "}", True
    if kind == "cut":
        return text[: draw(st.integers(0, len(text) - 1))], True
    if kind == "bytes":
        raw = text.encode()
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + b"\xff\xfe" + raw[at:], True
    return text, False


@SETTINGS
@given(case=spoiled_text())
def test_json_text_is_read_strictly(database: Database, case: tuple[str | bytes, bool]) -> None:
    text, refused = case
    empty_the_store(database)
    if refused:
        empty = snapshot(database)
        with pytest.raises(BadDocument):
            transfer.import_text(database.unit_of_work(), text)
        assert snapshot(database) == empty
    else:
        check_import(
            database,
            lambda: transfer.import_text(database.unit_of_work(), text),
            transfer.parse_document(VALID),
        )


def test_a_key_given_twice_is_named() -> None:
    text = encode(VALID, ("profile",))
    with pytest.raises(BadDocument, match="the key 'age' appears twice"):
        transfer.parse_text(text)
    assert json.loads(text)["profile"] == VALID["profile"]  # the lenient reader lets it by
