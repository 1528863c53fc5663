"""Export everything as one versioned JSON document, and import it into an empty store.

The document::

    {"format": "lumbo-export", "version": 1, "exported_at": "...",
     "profile": {...} | null,            # the latest profile
     "profile_history": [{"version", "saved_at", "profile"}, ...],
     "screens": [{"id", "saved_at", "red_flags", "referred", "decision"}, ...],
     "plans": [{"id", "created_at", "start", "days", "profile_version", "decision"}, ...],
     "sessions": [{"id", "date", "session_index", "started_at", "finished_at",
                   "pain_before", "pain_after", "items": [{"position", "logged_at", "item"}]}]}

Importing an export into an empty database and exporting again gives the same document
(apart from ``exported_at``).

An import is checked whole before anything is written: the JSON text strictly
(``import_text``: no duplicate keys, NUL characters, NaN, huge numbers or deep nesting),
then every field against the models (dates within 1900-2200, counters bounded). Only then
is the write transaction opened, and everything goes in at once, in a few batched
statements, so the write lock is held for the inserts alone. Any refusal is a BadDocument
naming the field, and leaves the store as it was.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lumbo.domain.bounds import StrictJsonError, loads_strict
from lumbo.domain.model import Profile
from lumbo.ports import (
    Clock,
    Moment,
    PlanRecord,
    ProfileVersion,
    ScreenRecord,
    SessionRecord,
    StoreRefused,
    UnitOfWork,
)
from lumbo.services import folded
from lumbo.services.errors import BadDocument, Conflict
from lumbo.services.shared import clock_or_system

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
FORMAT: Literal["lumbo-export"] = "lumbo-export"
VERSION: Literal[1] = 1


class ExportDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["lumbo-export"] = FORMAT
    version: Literal[1] = VERSION
    exported_at: Moment
    profile: Profile | None = None
    profile_history: list[ProfileVersion] = Field(default_factory=list)
    screens: list[ScreenRecord] = Field(default_factory=list)
    plans: list[PlanRecord] = Field(default_factory=list)
    sessions: list[SessionRecord] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> ExportDocument:
        versions = [entry.version for entry in self.profile_history]
        if len(set(versions)) != len(versions):
            raise ValueError("profile_history repeats a version number")
        latest = max(self.profile_history, key=lambda entry: entry.version, default=None)
        if (latest.profile if latest else None) != self.profile:
            raise ValueError("profile must be the last entry of profile_history")
        for name, ids in (
            ("screens", [screen.id for screen in self.screens]),
            ("plans", [plan.id for plan in self.plans]),
            ("sessions", [session.id for session in self.sessions]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{name} repeats an id")
        for session in self.sessions:
            # Pain before may be stored when a session starts; pain after only ends it.
            given = [value is not None for value in (session.finished_at, session.pain_after)]
            if any(given) and not (all(given) and session.pain_before is not None):
                raise ValueError(
                    f"session {session.id}: finished_at, pain_before and pain_after "
                    "go together (a finished session has all three, an unfinished one "
                    "at most pain_before)"
                )
            positions = [logged.position for logged in session.items]
            if len(set(positions)) != len(positions):
                raise ValueError(f"session {session.id} repeats an item position")
            for logged in session.items:
                for slug in (logged.item.exercise, logged.item.variation):
                    if slug is not None and not SLUG.fullmatch(slug):
                        raise ValueError(f"session {session.id}: {slug!r} is not an exercise slug")
        return self


def export_document(uow: UnitOfWork, *, clock: Clock | None = None) -> dict[str, Any]:
    """Everything stored, as one JSON-ready dict."""
    with uow:
        history = uow.records.profile_versions()
        document = ExportDocument(
            exported_at=clock_or_system(clock).now(),
            profile=history[-1].profile if history else None,
            profile_history=history,
            screens=uow.records.screens(),
            plans=uow.records.plans(),
            sessions=uow.records.sessions(),
        )
    return document.model_dump(mode="json")


def _printable(text: str, limit: int = 120) -> str:
    """``text`` fit for one line of a message: control characters escaped, length capped."""
    shown = "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in text[:limit])
    return shown + ("..." if len(text) > limit else "")


def _describe(error: ValidationError) -> str:
    first = error.errors(include_url=False, include_input=False)[0]
    where = _printable(".".join(str(part) for part in first["loc"]))
    more = f" (and {error.error_count() - 1} more problem(s))" if error.error_count() > 1 else ""
    return f"{where or 'document'}: {_printable(first['msg'], 300)}{more}"


def parse_document(document: object) -> ExportDocument:
    """Check a document before anything is written; BadDocument says what is wrong."""
    if not isinstance(document, dict):
        raise BadDocument("not a lumbo export: the file must hold a JSON object")
    if document.get("format") != FORMAT:
        raise BadDocument(f"not a lumbo export: 'format' must be {FORMAT!r}")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BadDocument("not a lumbo export: 'version' must be a whole number")
    if version > VERSION:
        raise BadDocument(
            f"this export has version {version}, made by a newer lumbo; "
            f"this lumbo reads version {VERSION}: upgrade lumbo to import it"
        )
    if version < 1:
        raise BadDocument(f"unknown export version {version}")
    try:
        return ExportDocument.model_validate(document)
    except ValidationError as error:
        raise BadDocument(f"the export is malformed: {_describe(error)}") from None


def parse_text(text: str | bytes) -> ExportDocument:
    """Read an export from its JSON text (strictly: see lumbo.domain.bounds.loads_strict)
    and check it as parse_document does; BadDocument says what is wrong."""
    try:
        document = loads_strict(text)
    except StrictJsonError as error:
        raise BadDocument(f"the export is refused: {error}") from None
    except ValueError as error:  # json.JSONDecodeError, UnicodeDecodeError
        raise BadDocument(f"not a lumbo export: the file is not valid JSON ({error})") from None
    return parse_document(document)


def import_text(uow: UnitOfWork, text: str | bytes) -> ExportDocument:
    """Load an export given as JSON text (a file's or a request's body): the way entry
    points should import, so duplicate keys, NUL characters and the like are refused."""
    return _store(uow, parse_text(text))


def import_document(uow: UnitOfWork, document: object) -> ExportDocument:
    """Load an export already parsed from JSON into an empty store, all or nothing.

    Prefer import_text when you hold the text: json.loads lets a duplicate key through
    (the last one wins), which import_text refuses.
    """
    return _store(uow, parse_document(document))


def _store(uow: UnitOfWork, parsed: ExportDocument) -> ExportDocument:
    """Write a checked document in one transaction (the only time the write lock is held)."""
    with uow.writing():
        if not uow.records.is_empty():
            raise Conflict(
                "the database already holds data: export it if you want to keep it, "
                "delete everything, then import"
            )
        try:
            uow.records.add_all(
                parsed.profile_history, parsed.screens, parsed.plans, parsed.sessions
            )
            # The folded progression state of the imported logs, in the same transaction.
            folded.rebuild(uow.records, parsed.profile)
            uow.commit()
        except StoreRefused as error:  # nothing is kept: leaving the block rolls back
            raise BadDocument(f"the database refused a value of the export: {error}") from None
    return parsed
