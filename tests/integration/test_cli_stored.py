"""`lumbo handout`, `lumbo calendar` and `lumbo fhir` on the stored data (no --profile).

They plan as the web app does (``records.stored_plan``: the folded progression state
and the last weeks of logs, not a replay of every log), and the handout reads only the
logs of the last 12 weeks. Runs on SQLite and on PostgreSQL (conftest.py); the CLI finds
the database through LUMBO_DATABASE_URL, as it would for a person.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path
from typing import NoReturn

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import Database
from lumbo.cli.reports import stored_decision
from lumbo.domain.model import ItemLog
from lumbo.domain.progression import PLANNING_WINDOW_DAYS
from lumbo.reports.handout import progress_section
from lumbo.services import decide, records
from tests.integration.test_cli_reports import Invoke, make_invoker
from tests.integration.test_progression_state import log_session, person

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def lumbo(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Invoke:
    return make_invoker(monkeypatch, capsys)


@pytest.fixture
def store(database_url_and_db: tuple[str, Database], monkeypatch: pytest.MonkeyPatch) -> Database:
    url, database = database_url_and_db
    monkeypatch.setenv("LUMBO_DATABASE_URL", url)
    return database


def every_session_read(*args: object, **kwargs: object) -> NoReturn:
    raise AssertionError("the handout read every stored session")


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_stored_plan_is_the_plan_of_the_whole_history(
    store: Database, clock: FixedClock, lumbo: Invoke, tmp_path: Path
) -> None:
    uow = store.unit_of_work()
    rng = random.Random(11)
    records.save_profile(uow, person(), clock=clock)
    for offset in range(75, 0, -1):  # longer than the planning window: the folded state counts
        log_session(uow, clock, TODAY - dt.timedelta(days=offset), rng)
    profile = records.get_profile(uow)
    assert profile is not None
    everything = records.history(uow)
    assert len(everything.sessions) == 75 > PLANNING_WINDOW_DAYS + 1
    kept = len(records.plans(uow))
    for start, days in ((TODAY, 7), (TODAY, 28), (TODAY, 90), (TODAY + dt.timedelta(days=10), 7)):
        replayed = decide(profile, everything, start, days)
        assert replayed != decide(profile, None, start, days)  # the history changes the plan
        stored = stored_decision(start.isoformat(), days)
        assert stored.decision == replayed
        assert stored.profile == profile and stored.history is None
    assert len(records.plans(uow)) == kept  # the CLI only reads the database

    target = tmp_path / "plan.ics"
    result = lumbo("calendar", "--start", TODAY.isoformat(), "--at", "07:00", "-o", target)
    assert result.code == 0, result.err
    events = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    replayed = decide(profile, everything, TODAY, 7)
    assert len(events) == sum(1 for day in replayed.days for session in day.sessions if session.items)

    target = tmp_path / "bundle.json"
    result = lumbo("fhir", "--start", TODAY.isoformat(), "-o", target)
    assert result.code == 0, result.err
    kinds = [entry["resource"]["resourceType"] for entry in json.loads(target.read_text())["entry"]]
    assert kinds.count("Observation") == 2 * 75  # the export still lists every session


def test_the_handout_charts_the_last_12_weeks_from_the_store_and_from_a_file(
    store: Database, lumbo: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = dt.date.today()  # the CLI makes its handout on the real today
    clock = FixedClock(dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC))
    uow = store.unit_of_work()
    records.save_profile(uow, person(), clock=clock)
    first_day = today - dt.timedelta(days=7 * 12 - 1)
    inside = [first_day, today - dt.timedelta(days=3), today]
    for day in [today - dt.timedelta(days=200), first_day - dt.timedelta(days=1), *inside]:
        session_id = records.start_session(uow, day, 0, clock=clock)
        records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", reps=10, rating="right"), clock=clock)
        records.finish_session(uow, session_id, 4, 3, clock=clock)

    # The stored read and the handout's own period agree, day for day.
    assert [session.date for session in records.recent_history(uow, today).sessions] == inside
    progress = progress_section(records.history(uow), default_catalogue(), today)
    assert progress is not None and (progress.sessions, progress.first, progress.last) == (3, first_day, today)

    profile = records.get_profile(uow)
    assert profile is not None
    profile_file, history_file = tmp_path / "profile.json", tmp_path / "history.json"
    profile_file.write_text(profile.model_dump_json())
    history_file.write_text(records.history(uow).model_dump_json())

    monkeypatch.setattr(records, "history", every_session_read)
    from_store, from_files = tmp_path / "stored.pdf", tmp_path / "files.pdf"
    result = lumbo("handout", "--start", today.isoformat(), "-o", from_store)
    assert result.code == 0, result.err
    assert "Wrote the handout" in result.out
    result = lumbo("handout", "--profile", profile_file, "--history", history_file,
                   "--start", today.isoformat(), "-o", from_files)
    assert result.code == 0, result.err

    sentence = (
        f"3 sessions logged in the last 12 weeks, from {first_day.day} {first_day:%B %Y} "
        f"to {today.day} {today:%B %Y}."
    )
    for pdf in (from_store, from_files):
        text = pdf_text(pdf)
        assert "Your progress in the last 12 weeks" in text, pdf.name
        assert sentence in text, pdf.name


def test_without_a_stored_profile_or_with_too_many_days_one_line(
    store: Database, lumbo: Invoke, tmp_path: Path
) -> None:
    for args, expected in (
        (["handout", "-o", tmp_path / "x.pdf"], "no profile is stored"),
        (["calendar", "--at", "07:00", "-o", tmp_path / "x.ics"], "no profile is stored"),
        (["handout", "--days", "91", "-o", tmp_path / "x.pdf"], "between 1 and 90"),
    ):
        result = lumbo(*args)
        assert result.code == 2, args
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("lumbo: ") and expected in lines[0], result.err
    assert not list(tmp_path.iterdir())
