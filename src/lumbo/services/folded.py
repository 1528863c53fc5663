"""The folded progression state beside the logs (docs/storage.md, "The folded progression
state"; the rules are lumbo.domain.progression's ``fold`` and ``settle``).

The store keeps one record: every exercise family's state after the finished sessions
before a *horizon* (PLANNING_WINDOW_DAYS before the latest finished session), and what the
rules still read of them. A plan reads that record plus the sessions from the horizon on,
instead of every log. The logs stay the source of truth:

- finishing a session (the only way a session joins the history) updates the record in the
  same transaction: the sessions that the new horizon leaves behind are folded in; a session
  dated before the horizon, another level or age, or another catalogue rebuilds it;
- saving a profile with another level or age, and importing, rebuild it; deleting
  everything deletes it;
- ``check_state`` (``lumbo state check``) rebuilds it from the logs and says whether the
  stored record was the same.

The functions taking ``records`` run inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from lumbo.domain.model import History, Profile
from lumbo.ports import Repository, SessionRecord, UnitOfWork
from lumbo.services.shared import history_of

if TYPE_CHECKING:
    from lumbo.domain.catalogue import Catalogue
    from lumbo.domain.progression import Progression


def _catalogue(catalogue: Catalogue | None) -> Catalogue:
    if catalogue is not None:
        return catalogue
    from lumbo.adapters.catalogue_files import default_catalogue

    return default_catalogue()


def planning_sessions(
    records: Repository, profile: Profile, catalogue: Catalogue, start: dt.date
) -> tuple[list[SessionRecord], Progression | None]:
    """What the planner needs from the store for a plan from ``start``: the stored state and
    the sessions from its horizon on when it serves this plan, otherwise every session."""
    stored = records.progression()
    if stored is not None and stored.serves(catalogue, profile.level, profile.age, start):
        return records.sessions_between(stored.horizon), stored
    return records.sessions(), None


def planning_history(
    records: Repository, profile: Profile, catalogue: Catalogue, start: dt.date
) -> tuple[History, Progression | None]:
    """``planning_sessions`` as the planner sees them (finished sessions only)."""
    sessions, stored = planning_sessions(records, profile, catalogue, start)
    return history_of(sessions), stored


def rebuild(records: Repository, profile: Profile | None, catalogue: Catalogue | None = None) -> Progression | None:
    """Fold every finished session afresh and store the result (nothing without a profile:
    the state depends on the person's level and age)."""
    from lumbo.domain.progression import settled_state

    if profile is None:
        records.clear_progression()
        return None
    state = settled_state(
        _catalogue(catalogue), history_of(records.sessions()).sessions, profile.level, profile.age
    )
    records.put_progression(state)
    return state


def _fits(stored: Progression, profile: Profile, catalogue: Catalogue) -> bool:
    from lumbo.domain.progression import catalogue_key

    return (
        stored.catalogue == catalogue_key(catalogue)
        and stored.level == profile.level
        and stored.age == profile.age
    )


def session_finished(records: Repository, day: dt.date, catalogue: Catalogue | None = None) -> None:
    """A session of ``day`` joined the history: fold the sessions the new horizon leaves
    behind into the stored state, or rebuild it when that cannot be done step by step."""
    from lumbo.domain.progression import fold_all, horizon_after, settle

    latest = records.latest_profile()
    if latest is None:
        records.clear_progression()
        return
    book = _catalogue(catalogue)
    stored = records.progression()
    if (
        stored is None
        or not _fits(stored, latest.profile, book)
        or (stored.horizon is not None and day < stored.horizon)  # already folded past it
        or (stored.horizon is None and stored.sessions > 0)
    ):
        rebuild(records, latest.profile, book)
        return
    horizon = horizon_after(day)
    assert horizon is not None
    if stored.horizon is not None and horizon <= stored.horizon:
        return  # a session within the window: the planner reads it from the logs
    left_behind = history_of(records.sessions_between(stored.horizon, horizon)).sessions
    records.put_progression(settle(fold_all(stored, left_behind, book), horizon))


def profile_saved(records: Repository, profile: Profile, catalogue: Catalogue | None = None) -> None:
    """A new profile version: rebuild the state when its level or age changed."""
    book = _catalogue(catalogue)
    stored = records.progression()
    if stored is None or not _fits(stored, profile, book):
        rebuild(records, profile, book)


class StateCheck(BaseModel):
    """What ``check_state`` found."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    matched: bool = Field(description="The stored state equalled the one rebuilt from the logs")
    stored: bool = Field(description="A state was stored before the check")
    profile: bool = Field(description="A profile is stored (without one there is no state)")
    sessions: int = Field(description="Finished sessions in the logs")
    folded: int = Field(description="Sessions folded into the rebuilt state (the rest are read as logs)")
    horizon: dt.date | None = Field(description="Sessions before this day are folded")


def check_state(uow: UnitOfWork, catalogue: Catalogue | None = None) -> StateCheck:
    """Rebuild the folded state from the logs, store it, and say whether the stored one
    equalled it."""
    from lumbo.domain.progression import settled_state

    with uow.writing():
        latest = uow.records.latest_profile()
        stored = uow.records.progression()
        history = history_of(uow.records.sessions())
        if latest is None:
            if stored is not None:
                uow.records.clear_progression()
                uow.commit()
            return StateCheck(
                matched=stored is None, stored=stored is not None, profile=False,
                sessions=len(history.sessions), folded=0, horizon=None,
            )
        rebuilt = settled_state(
            _catalogue(catalogue), history.sessions, latest.profile.level, latest.profile.age
        )
        if rebuilt != stored:
            uow.records.put_progression(rebuilt)
            uow.commit()
    return StateCheck(
        matched=rebuilt == stored,
        stored=stored is not None,
        profile=True,
        sessions=len(history.sessions),
        folded=rebuilt.sessions,
        horizon=rebuilt.horizon,
    )
