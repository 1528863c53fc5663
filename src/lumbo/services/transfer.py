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
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lumbo.domain.model import Profile
from lumbo.ports import (
    Clock,
    PlanRecord,
    ProfileVersion,
    ScreenRecord,
    SessionRecord,
    StoreRefused,
    UnitOfWork,
)
from lumbo.services.errors import BadDocument, Conflict

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
FORMAT: Literal["lumbo-export"] = "lumbo-export"
VERSION: Literal[1] = 1


class ExportDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["lumbo-export"] = FORMAT
    version: Literal[1] = VERSION
    exported_at: dt.datetime
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
    from lumbo.services.records import _clock

    with uow:
        history = uow.records.profile_versions()
        document = ExportDocument(
            exported_at=_clock(clock).now(),
            profile=history[-1].profile if history else None,
            profile_history=history,
            screens=uow.records.screens(),
            plans=uow.records.plans(),
            sessions=uow.records.sessions(),
        )
    return document.model_dump(mode="json")


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    more = f" (and {error.error_count() - 1} more problem(s))" if error.error_count() > 1 else ""
    return f"{where or 'document'}: {first['msg']}{more}"


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


def import_document(uow: UnitOfWork, document: object) -> ExportDocument:
    """Load an export into an empty store, all or nothing."""
    parsed = parse_document(document)
    with uow.writing():
        if not uow.records.is_empty():
            raise Conflict(
                "the database already holds data: export it if you want to keep it, "
                "delete everything, then import"
            )
        try:
            for version in parsed.profile_history:
                uow.records.add_profile_version(version)
            for screen in parsed.screens:
                uow.records.add_screen(screen)
            for plan in parsed.plans:
                uow.records.add_plan(plan)
            for session in parsed.sessions:
                uow.records.add_session(session)
            uow.commit()
        except StoreRefused as error:  # nothing is kept: leaving the block rolls back
            raise BadDocument(f"the database refused a value of the export: {error}") from None
    return parsed
