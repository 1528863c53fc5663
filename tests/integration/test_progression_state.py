"""The folded progression state beside the logs (SQLite and PostgreSQL): updated in the
transaction that finishes a session, rebuilt by an import, a backdated session or another
level, deleted with everything, checked by `lumbo state check`; and the plan read from it
is the plan the whole history gives."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from typer.testing import CliRunner

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import Database, SqlUnitOfWork
from lumbo.domain.model import ItemLog, Profile
from lumbo.domain.progression import PLANNING_WINDOW_DAYS, Progression, settled_state
from lumbo.services import decide, folded, records

TODAY = dt.date(2026, 11, 23)
FAMILIES = ["glute-bridge", "bird-dog", "forearm-plank", "side-plank", "hip-hinge", "cobra"]


def person(**changes: object) -> Profile:
    base: dict[str, object] = {"pain_now": 2, "pain_worst_week": 3, "duration_weeks": 6, "minutes_per_day": 30}
    base.update(changes)
    return Profile.model_validate(base)


def log_session(uow: SqlUnitOfWork, clock: FixedClock, day: dt.date, rng: random.Random, pain: int = 2) -> None:
    session_id = records.start_session(uow, day, 0, clock=clock)
    for family in rng.sample(FAMILIES, 3):
        ladder = default_catalogue().ladder(family)
        rating = rng.choice(["easy", "easy", "right", "hard", "pain"])
        records.log_item(uow, session_id, ItemLog(exercise=family, variation=rng.choice(ladder), rating=rating),
                         clock=clock)
    if rng.random() < 0.2:
        records.log_item(uow, session_id, ItemLog(exercise="bird-dog", skipped=True, completed=False), clock=clock)
    records.finish_session(uow, session_id, pain, pain, clock=clock)


def stored(uow: SqlUnitOfWork) -> Progression | None:
    with uow:
        return uow.records.progression()


def rebuilt(uow: SqlUnitOfWork) -> Progression:
    profile = records.get_profile(uow)
    assert profile is not None
    return settled_state(default_catalogue(), records.history(uow).sessions, profile.level, profile.age)


def test_finishing_sessions_keeps_the_state_equal_to_the_replay_and_the_plan_the_same(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    rng = random.Random(4)
    records.save_profile(uow, person(), clock=clock)
    for offset in range(70, 0, -1):
        log_session(uow, clock, TODAY - dt.timedelta(days=offset), rng)
        if offset % 10 == 0:
            assert stored(uow) == rebuilt(uow)
    state = stored(uow)
    assert state is not None and state == rebuilt(uow)
    assert state.horizon == TODAY - dt.timedelta(days=1 + PLANNING_WINDOW_DAYS)
    assert state.sessions == 70 - PLANNING_WINDOW_DAYS - 1
    profile = records.get_profile(uow)
    assert profile is not None
    for start in (TODAY, TODAY + dt.timedelta(days=10)):
        with uow:
            history, settled = folded.planning_history(uow.records, profile, default_catalogue(), start)
        assert settled == state and len(history.sessions) == PLANNING_WINDOW_DAYS + 1
        assert records.current_decision(uow, start, 7, clock=clock) == decide(
            profile, records.history(uow), start, 7
        )
    # a plan from before the latest session cannot use it: the whole history is read
    earlier = TODAY - dt.timedelta(days=5)
    with uow:
        history, settled = folded.planning_history(uow.records, profile, default_catalogue(), earlier)
    assert settled is None and len(history.sessions) == 70
    assert records.current_decision(uow, earlier, 7, clock=clock) == decide(profile, records.history(uow), earlier, 7)
    assert folded.check_state(uow).matched


def test_the_changes_since_the_last_session_are_the_same_from_the_state(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    from lumbo.services import progress

    rng = random.Random(8)
    records.save_profile(uow, person(), clock=clock)
    for offset in range(50, 0, -1):
        log_session(uow, clock, TODAY - dt.timedelta(days=offset), rng)
    session_id = records.start_session(uow, TODAY - dt.timedelta(days=1), 0, clock=clock)
    records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", rating="pain"), clock=clock)
    records.finish_session(uow, session_id, 3, 3, clock=clock)
    records.save_profile(uow, person(tight_areas=["hamstrings"], weak_areas=["core"]), clock=clock)
    decision = records.current_decision(uow, TODAY, 7, clock=clock)
    from_state = progress.recent_changes(uow, decision, TODAY, clock=clock)
    assert any("hurt" in text for _, text in from_state)
    with uow.writing():
        uow.records.clear_progression()  # every log replayed, as before the folded state
        uow.commit()
    assert progress.recent_changes(uow, decision, TODAY, clock=clock) == from_state
    assert records.current_decision(uow, TODAY, 7, clock=clock) == decision


def test_a_backdated_session_another_level_and_an_import_rebuild_the_state(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    rng = random.Random(5)
    records.save_profile(uow, person(), clock=clock)
    for offset in range(45, 0, -3):
        log_session(uow, clock, TODAY - dt.timedelta(days=offset), rng)
    before = stored(uow)
    assert before is not None and before.horizon is not None
    # a session dated before the horizon: already folded past it, so the state is rebuilt
    log_session(uow, clock, before.horizon - dt.timedelta(days=3), rng)
    after = stored(uow)
    assert after is not None and after == rebuilt(uow) and after.sessions == before.sessions + 1
    # another level folds differently
    records.save_profile(uow, person(level="advanced", age=64), clock=clock)
    changed = stored(uow)
    assert changed is not None and (changed.level, changed.age) == ("advanced", 64)
    assert changed == rebuilt(uow)
    # the same level again: nothing to rebuild
    records.save_profile(uow, person(level="advanced", age=64, pain_now=1), clock=clock)
    assert stored(uow) == changed
    # export, delete everything (the state goes too), import: rebuilt with the logs
    document = records.export_document(uow, clock=clock)
    records.delete_everything(uow)
    assert stored(uow) is None
    records.import_document(uow, document)
    assert stored(uow) == changed
    assert folded.check_state(uow).matched


def test_check_state_repairs_a_stored_state_that_differs(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    rng = random.Random(6)
    records.save_profile(uow, person(), clock=clock)
    for offset in range(40, 0, -2):
        log_session(uow, clock, TODAY - dt.timedelta(days=offset), rng)
    good = stored(uow)
    assert good is not None
    with uow.writing():
        uow.records.put_progression(settled_state(default_catalogue(), [], "advanced"))
        uow.commit()
    found = folded.check_state(uow)
    assert (found.matched, found.stored, found.sessions, found.folded) == (False, True, 20, good.sessions)
    assert stored(uow) == good
    assert folded.check_state(uow).matched
    with uow.writing():
        uow.records.clear_progression()
        uow.commit()
    missing = folded.check_state(uow)
    assert (missing.matched, missing.stored) == (False, False)
    assert stored(uow) == good


def test_the_store_counts_as_empty_without_logs_whatever_the_state(uow: SqlUnitOfWork) -> None:
    with uow.writing():
        uow.records.put_progression(settled_state(default_catalogue(), [], "beginner"))
        uow.commit()
    with uow:
        assert uow.records.is_empty()


def test_lumbo_state_check(
    database_url_and_db: tuple[str, Database], monkeypatch: pytest.MonkeyPatch, clock: FixedClock
) -> None:
    from lumbo.cli.main import build_app

    url, database = database_url_and_db
    monkeypatch.setenv("LUMBO_DATABASE_URL", url)
    runner = CliRunner()
    app = build_app("state")
    empty = runner.invoke(app, ["state", "check"])
    assert empty.exit_code == 0 and "No profile is stored" in empty.output
    uow = database.unit_of_work()
    records.save_profile(uow, person(), clock=clock)
    rng = random.Random(7)
    for offset in range(35, 0, -1):
        log_session(uow, clock, TODAY - dt.timedelta(days=offset), rng)
    fine = runner.invoke(app, ["state", "check"])
    assert fine.exit_code == 0, fine.output
    assert "equals the one rebuilt from the logs (6 of 35 finished sessions folded" in fine.output
    with uow.writing():
        uow.records.clear_progression()
        uow.commit()
    repaired = runner.invoke(app, ["state", "check"])
    assert repaired.exit_code == 1 and "was missing beside the logs; it is rebuilt" in repaired.output
    assert runner.invoke(app, ["state", "check"]).exit_code == 0


def test_lumbo_state_check_on_a_database_it_cannot_open(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from lumbo.cli.main import build_app

    monkeypatch.setenv("LUMBO_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = CliRunner().invoke(build_app("state"), ["state", "check"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("lumbo: cannot open the database")
