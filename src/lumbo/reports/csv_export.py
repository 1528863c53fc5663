"""CSV export for spreadsheets: ``sessions.csv`` and ``items.csv``, each with a header row.

- ``sessions.csv``: one row per logged session (finished or not) -
  ``session_id, date, session_index, started_at, finished_at, pain_before, pain_after, items``.
- ``items.csv``: one row per logged exercise -
  ``session_id, date, position, logged_at, exercise, variation, completed, sets, hold_seconds,
  reps, rating, skipped, measured, form_score, faults``. ``session_id`` links a row to its
  session; a skipped item has ``skipped`` yes and an empty ``rating`` (it was not done, so
  not rated). ``measured`` is yes when the camera coach counted the hold or reps; then
  ``form_score`` is the share of the time in position (0-1) and ``faults`` the form faults
  it saw, by id, separated by spaces (e.g. ``hips-sag back-arch``).

Files are UTF-8 with a header row and the csv module's default dialect (comma separated,
quotes where needed). Empty cells mean "not recorded". Text that a spreadsheet would run as
a formula (starting with ``=``, ``+``, ``-`` or ``@``) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from lumbo.ports import SessionRecord

SESSION_COLUMNS = (
    "session_id",
    "date",
    "session_index",
    "started_at",
    "finished_at",
    "pain_before",
    "pain_after",
    "items",
)
ITEM_COLUMNS = (
    "session_id",
    "date",
    "position",
    "logged_at",
    "exercise",
    "variation",
    "completed",
    "sets",
    "hold_seconds",
    "reps",
    "rating",
    "skipped",
    "measured",
    "form_score",
    "faults",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def csv_tables(sessions: Sequence[SessionRecord]) -> dict[str, str]:
    """The text of both files for the stored sessions, oldest first."""
    session_rows: list[list[object]] = []
    item_rows: list[list[object]] = []
    for session in sorted(sessions, key=lambda s: (s.date, s.session_index, s.started_at, s.id)):
        session_rows.append(
            [
                session.id,
                session.date,
                session.session_index,
                session.started_at,
                session.finished_at,
                session.pain_before,
                session.pain_after,
                len(session.items),
            ]
        )
        for logged in sorted(session.items, key=lambda entry: entry.position):
            item = logged.item
            item_rows.append(
                [
                    session.id,
                    session.date,
                    logged.position,
                    logged.logged_at,
                    item.exercise,
                    item.variation,
                    item.completed,
                    item.sets,
                    item.hold_seconds,
                    item.reps,
                    item.rating,
                    item.skipped,
                    item.measured,
                    item.form_score,
                    " ".join(item.faults),
                ]
            )
    return {
        "sessions.csv": _table(SESSION_COLUMNS, session_rows),
        "items.csv": _table(ITEM_COLUMNS, item_rows),
    }


def write_csv(sessions: Sequence[SessionRecord], folder: Path) -> list[Path]:
    """Write ``sessions.csv`` and ``items.csv`` into ``folder`` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in csv_tables(sessions).items():
        path = folder / name
        partial = folder / f".{name}.part"
        partial.write_text(text, encoding="utf-8", newline="")
        partial.replace(path)
        written.append(path)
    return written
