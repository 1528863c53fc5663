"""Stage and worsening rules (lumbo.domain.stages), each named after its rule and tested at
its edges. The numbers are written out here (not imported) so that changing one in the code
fails a test: relief at pain 6, flare 2 points above baseline or a 3-point rise within a
session, settled relief after 6 steady sessions in 14 days, worsening = a 2-point or 50 %
rise over 28 days with at least 4 sessions."""

from __future__ import annotations

import datetime as dt

import pytest

from lumbo.domain.model import SessionLog
from lumbo.domain.screening import screen
from lumbo.domain.stages import (
    Worsening,
    baseline,
    choose_stage,
    recent_flare,
    relief_settled,
    rise_is_worsening,
    worsening,
    worsening_advice,
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


# --- edges pinned by mutation testing (docs/testing.md) ---------------------------------


def test_a_session_on_the_start_day_is_not_before_the_start() -> None:
    # A 9/10 logged on the start day itself is no flare yet, and not part of the baseline.
    logged = history(at(20, 3), at(18, 3), at(0, 9))
    assert baseline(logged, START) == 3
    assert recent_flare(logged, START) is None


def test_baseline_is_the_first_session_and_the_6_days_after_it() -> None:
    # Day 20 is exactly 7 days after the first session (day 27): outside the baseline week.
    assert baseline(history(at(27, 3), at(20, 9)), START) == 3
    assert baseline(history(at(27, 3), at(21, 9)), START) == 6


def test_recent_pain_is_the_last_session_and_the_6_days_before_it() -> None:
    # Last session day 10 (5/10); day 17 is exactly 7 days before it: outside the last week.
    logged = history(at(27, 3), at(25, 3), at(17, 3), at(10, 5))
    found = worsening(logged, START)
    assert found is not None and (found.baseline, found.recent) == (3, 5)
    # Day 16 is 6 days before the last session: inside, so the last week's median is 4.
    assert worsening(history(at(27, 3), at(25, 3), at(16, 3), at(10, 5)), START) is None


@pytest.mark.parametrize(("recent", "worse"), [(1.5, True), (1.4, False)])
def test_worsening_50_percent_of_a_baseline_of_1(recent: float, worse: bool) -> None:
    assert rise_is_worsening(1.0, recent) is worse


def test_stage_reasons_word_for_word() -> None:
    chronic = profile(pain_now=6, pain_worst_week=7)
    assert choose_stage(chronic, history(), START).reason == (
        "Your pain is 6/10 today, so the plan starts with gentle, small movements that ease it "
        "before any strengthening."
    )
    assert choose_stage(profile(), history(at(20, 3), at(18, 3), at(2, 5)), START).reason == (
        "You logged a flare on 2026-11-21, so the plan goes back to gentle relief movements until it settles."
    )
    settled = choose_stage(chronic, history(*steady_sixes(6)), START)
    assert (settled.stage, settled.reason) == (
        "activation",
        "Your pain is 6/10, but it has held steady through at least 6 gentle sessions in 14 days "
        "with nothing that hurt, so the plan now starts strengthening the muscles around your hips "
        "and trunk.",
    )
    calm = history(*(at(27 - 2 * n, 1) for n in range(12)))
    assert choose_stage(profile(pain_now=1, pain_worst_week=2), calm, START).reason == (
        "Your pain has stayed at 3/10 or lower for at least 14 days of regular sessions, so the plan "
        "keeps what you built: activation every other day, with stretching and strength work around it."
    )
    assert choose_stage(profile(), history(), START).reason == (
        "Your pain is manageable, so the plan wakes up and strengthens the muscles around your hips "
        "and trunk every day, with stretches for the areas that feel tight."
    )


def sessions_at(pain: int, *days_ago: int) -> list[SessionLog]:
    return [at(n, pain) for n in days_ago]


#: Eight sessions at 1/10 spread over exactly 14 days (day 20 to day 6 before the start).
EIGHT_OVER_14_DAYS = (20, 18, 16, 14, 12, 10, 8, 6)


@pytest.mark.parametrize(
    ("pain_now", "pain_worst_week", "stage"),
    [(3, 3, "maintenance"), (3, 4, "activation"), (1, 4, "activation"), (4, 4, "activation")],
)
def test_maintenance_needs_pain_now_and_worst_week_at_3_or_less(
    pain_now: int, pain_worst_week: int, stage: str
) -> None:
    logged = history(*sessions_at(1, *EIGHT_OVER_14_DAYS))
    assert (
        choose_stage(profile(pain_now=pain_now, pain_worst_week=pain_worst_week), logged, START).stage
        == stage
    )


@pytest.mark.parametrize(
    ("days_ago", "stage"),
    [
        (EIGHT_OVER_14_DAYS, "maintenance"),
        ((20, 18, 16, 14, 12, 10, 6), "activation"),  # 7 sessions over 14 days
        ((19, 17, 15, 13, 11, 9, 7, 6), "activation"),  # 8 sessions over 13 days
    ],
)
def test_maintenance_needs_8_sessions_over_14_days(days_ago: tuple[int, ...], stage: str) -> None:
    calm = profile(pain_now=1, pain_worst_week=2)
    assert choose_stage(calm, history(*sessions_at(1, *days_ago)), START).stage == stage


@pytest.mark.parametrize(("pain", "stage"), [(3, "maintenance"), (4, "activation")])
def test_maintenance_needs_every_session_at_3_or_less(pain: int, stage: str) -> None:
    logged = history(*sessions_at(3, 20, 18, 16, 12, 10, 8, 6), at(14, pain))
    assert choose_stage(profile(pain_now=2, pain_worst_week=3), logged, START).stage == stage


def test_worsening_advice_word_for_word() -> None:
    referral = screen(profile(pain_trend="worsening"))
    assert referral is not None and referral.what_to_do is not None
    worse = Worsening(baseline=3.0, recent=5.5, sessions=4, since=day(28))
    head = "Your pain keeps getting worse: from about 3/10 to 5.5/10 over the last 4 weeks."
    assert worsening_advice(worse) == (
        f"{head} {referral.what_to_do} Until then lumbo keeps the exercises you already do at their "
        "current level and adds nothing new but gentle movements and slow breathing."
    )
    assert worsening_advice(worse, planned_any=False) == (
        f"{head} {referral.what_to_do} Until then lumbo pauses your plan: it adds nothing new, and "
        "none of the exercises you already do fits this stage."
    )


@pytest.mark.parametrize(
    ("days_ago", "stage"),
    [
        ((28, 26, 24, 22, 20, 18, 16, 14), "maintenance"),  # day 28 is inside the window
        ((29, 27, 25, 23, 21, 19, 17, 15), "activation"),  # day 29 is not: 7 sessions
    ],
)
def test_maintenance_counts_the_sessions_of_the_last_28_days(days_ago: tuple[int, ...], stage: str) -> None:
    calm = profile(pain_now=1, pain_worst_week=2)
    assert choose_stage(calm, history(*sessions_at(1, *days_ago)), START).stage == stage
