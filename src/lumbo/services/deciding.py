"""Screen, then plan: the only way to get a plan."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from lumbo.domain.catalogue import Catalogue
from lumbo.domain.model import Decision, History, Profile

if TYPE_CHECKING:
    from lumbo.domain.progression import Progression


def decide(
    profile: Profile,
    history: History | None = None,
    start: dt.date | None = None,
    days: int = 7,
    catalogue: Catalogue | None = None,
    settled: Progression | None = None,
) -> Decision:
    """A referral when the screen says so, otherwise a plan of ``days`` days from ``start``.

    ``start`` defaults to today; ``catalogue`` to the packaged catalogue. ``settled``: the
    stored folded progression state, with ``history`` holding only the sessions from its
    horizon on (lumbo.services.folded.planning_history); the plan is the same.
    """
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.domain.planning import plan
    from lumbo.domain.screening import screen

    referral = screen(profile)
    if referral is not None:
        return referral
    return plan(
        profile,
        catalogue or default_catalogue(),
        history or History(),
        start or dt.date.today(),
        days,
        settled,
    )
