"""Stage and worsening rules (lumbo.domain.stages), each named after its rule and tested at
its edges. The numbers are written out here (not imported) so that changing one in the code
fails a test: relief at pain 6, flare 2 points above baseline or a 3-point rise within a
session, settled relief after 6 steady sessions in 14 days, worsening = a 2-point or 50 %
rise over 28 days with at least 4 sessions."""

from __future__ import annotations

import datetime as dt

import pytest

from lumbo.domain.model import SessionLog
from lumbo.domain.stages import (
    baseline,
    choose_stage,
    recent_flare,
    relief_settled,
    rise_is_worsening,
    worsening,
)
from tests.unit.factories import history, log, profile, session

START = dt.date(2026, 11, 23)


def day(n: int) -> dt.date:
    return START - dt.timedelta(days=n)


def at(n: int, pain: int, after: int | None = None, *items: object) -> SessionLog:
    return session(day(n), *items, before=pain, after=pain if after is None else after)  # type: ignore[arg-type]


# --- relief and activation ------------------------------------------------------------


@pytest.mark.parametrize(("pain_now", "stage"), [(5, "activation"), (6, "relief")])
def test_relief_from_pain_6_today(pain_now: int, stage: str) -> None:
    assert choose_stage(profile(pain_now=pain_now, pain_worst_week=pain_now), history(), START).stage == stage


def steady_sixes(count: int, *, first: int = 13) -> list[SessionLog]:
    return [at(first - 2 * n, 6) for n in range(count)]


@pytest.mark.parametrize(("sessions", "stage"), [(5, "relief"), (6, "activation")])
def test_relief_moves_to_activation_after_6_steady_sessions_in_14_days(sessions: int, stage: str) -> None:
    chronic = profile(pain_now=6, pain_worst_week=7)
    assert choose_stage(chronic, history(*steady_sixes(sessions)), START).stage == stage


def test_settled_relief_needs_the_sessions_within_14_days() -> None:
    assert relief_settled(history(*steady_sixes(6, first=14)), START)  # days 14..4 before: inside
    assert not relief_settled(history(*steady_sixes(6, first=15)), START)  # day 15 is outside


def test_settled_relief_needs_steady_pain_within_one_point() -> None:
    within = history(*steady_sixes(5), at(2, 7))
    assert relief_settled(within, START)
    spread = history(*steady_sixes(5), at(2, 8))
    assert not relief_settled(spread, START)


def test_settled_relief_needs_no_pain_rating() -> None:
    rated = history(*steady_sixes(5), at(2, 6, None, log("glute-bridge", "pain")))
    assert not relief_settled(rated, START)
    assert choose_stage(profile(pain_now=6, pain_worst_week=7), rated, START).stage == "relief"


# --- flares ----------------------------------------------------------------------------


@pytest.mark.parametrize(("pain", "flare"), [(4, False), (5, True)])
def test_flare_is_2_points_above_the_persons_baseline(pain: int, flare: bool) -> None:
    logged = history(at(20, 3), at(18, 3), at(2, pain))  # baseline 3 (the first week)
    assert baseline(logged, START) == 3
    assert (recent_flare(logged, START) is not None) is flare
    assert choose_stage(profile(), logged, START).stage == ("relief" if flare else "activation")


@pytest.mark.parametrize(("after", "flare"), [(5, False), (6, True)])
def test_flare_is_pain_rising_3_points_within_a_session(after: int, flare: bool) -> None:
    logged = history(at(2, 3, after))
    assert (recent_flare(logged, START) is not None) is flare


def test_chronic_6_of_10_every_session_is_no_flare() -> None:
    logged = history(*(at(27 - 3 * n, 6) for n in range(9)))
    assert recent_flare(logged, START) is None


@pytest.mark.parametrize(("days_ago", "flare"), [(7, True), (8, False)])
def test_flare_counts_in_the_7_days_before_the_start(days_ago: int, flare: bool) -> None:
    logged = history(at(25, 2), at(days_ago, 2, 5))
    assert (recent_flare(logged, START) is not None) is flare


# --- worsening -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "recent", "worse"),
    [
        (5.0, 6.9, False),  # 1.9 points, 38 %
        (5.0, 7.0, True),  # 2 points
        (3.0, 4.4, False),  # 1.4 points, 47 %
        (3.0, 4.5, True),  # 50 %
        (0.0, 1.5, False),  # no percentage of a zero baseline
        (0.0, 2.0, True),
        (4.0, 4.0, False),
        (6.0, 3.0, False),
    ],
)
def test_worsening_is_a_rise_of_2_points_or_50_percent(base: float, recent: float, worse: bool) -> None:
    assert rise_is_worsening(base, recent) is worse


@pytest.mark.parametrize(("sessions", "worse"), [(3, False), (4, True)])
def test_worsening_needs_at_least_4_sessions(sessions: int, worse: bool) -> None:
    four = [at(20, 3), at(18, 3), at(10, 5), at(9, 5)]
    logged = history(*(four if sessions == 4 else [four[0], *four[2:]]))
    assert (worsening(logged, START) is not None) is worse


def test_worsening_baseline_is_the_median_of_the_first_week_of_the_window() -> None:
    # First week of the window's sessions: days 27, 25, 22 (3, 3, 9 -> median 3); the last
    # week: days 10, 9, 8 -> median 5.
    logged = history(at(27, 3), at(25, 3), at(22, 9), at(10, 5), at(9, 5), at(8, 5))
    found = worsening(logged, START)
    assert found is not None and (found.baseline, found.recent, found.sessions) == (3, 5, 6)
    assert found.since == day(28)


@pytest.mark.parametrize(("oldest", "worse"), [(28, True), (29, False)])
def test_worsening_looks_back_28_days(oldest: int, worse: bool) -> None:
    logged = history(at(oldest, 2), at(20, 4), at(12, 4), at(10, 4))
    assert (worsening(logged, START) is not None) is worse


def test_worsening_blocks_settled_relief_and_maintenance() -> None:
    # Pain 1 -> 3 (a 2-point rise), every session at 3 or less, the last 8 days ago (no
    # flare): maintenance would be earned, but worsening keeps the person in activation.
    rising = history(at(27, 1), at(26, 1), at(25, 1), *(at(20 - 2 * n, 3) for n in range(7)))
    assert worsening(rising, START) is not None and recent_flare(rising, START) is None
    assert choose_stage(profile(pain_now=3, pain_worst_week=3), rising, START).stage == "activation"
    # Pain 2 -> 3 (50 %, below a flare's 2 points), steady at 3 in the last 14 days:
    # settled, but worsening keeps a 6/10 in relief.
    settled = history(at(27, 2), at(26, 2), *(at(13 - 2 * n, 3) for n in range(6)))
    assert relief_settled(settled, START) and worsening(settled, START) is not None
    assert recent_flare(settled, START) is None
    assert choose_stage(profile(pain_now=6, pain_worst_week=7), settled, START).stage == "relief"
    calm = history(*(at(27 - 2 * n, 1) for n in range(12)))
    assert choose_stage(profile(pain_now=1, pain_worst_week=2), calm, START).stage == "maintenance"
