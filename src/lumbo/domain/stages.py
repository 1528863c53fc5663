"""Which stage a person is in, and whether pain is rising (seed 000_4e3ddc84ba866f2f.txt
orders the stages: relief first, daily activation once pain is manageable, then keeping it).

Thresholds (documented in docs/planner.md):
- relief: pain_now >= RELIEF_PAIN, or a flare in the FLARE_DAYS before the start: a logged
  session with pain >= RELIEF_PAIN, or pain that rose by FLARE_RISE or more during a session;
- maintenance: pain_now and pain_worst_week <= LOW_PAIN, and the logs of the last
  MAINTENANCE_WINDOW_DAYS hold at least MAINTENANCE_MIN_SESSIONS sessions spread over at
  least MAINTENANCE_MIN_SPAN_DAYS days, every one with pain <= LOW_PAIN;
- activation otherwise.
- rising pain: at least RISING_MIN_SESSIONS sessions in the RISING_WINDOW_DAYS before the
  start whose least-squares line (session pain = the higher of before and after, against the
  day) climbs by RISING_POINTS or more across the window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lumbo.domain.model import History, Profile, SessionLog
from lumbo.domain.words import Stage

RELIEF_PAIN = 6
FLARE_DAYS = 7
FLARE_RISE = 3
LOW_PAIN = 3
MAINTENANCE_WINDOW_DAYS = 28
MAINTENANCE_MIN_SESSIONS = 8
MAINTENANCE_MIN_SPAN_DAYS = 14
RISING_WINDOW_DAYS = 14
RISING_MIN_SESSIONS = 4
RISING_POINTS = 2.0


@dataclass(frozen=True)
class StageDecision:
    stage: Stage
    reason: str


def session_pain(session: SessionLog) -> int:
    return max(session.pain_before, session.pain_after)


def sessions_between(history: History, first: dt.date, before: dt.date) -> list[SessionLog]:
    """Sessions on or after ``first`` and strictly before ``before``, oldest first."""
    return sorted(
        (session for session in history.sessions if first <= session.date < before),
        key=lambda session: session.date,
    )


def recent_flare(history: History, start: dt.date) -> SessionLog | None:
    for session in reversed(
        sessions_between(history, start - dt.timedelta(days=FLARE_DAYS), start)
    ):
        if (
            session_pain(session) >= RELIEF_PAIN
            or session.pain_after - session.pain_before >= FLARE_RISE
        ):
            return session
    return None


def pain_rise(history: History, start: dt.date) -> float | None:
    """The fitted rise in pain across the window, or None with too few sessions to tell."""
    window = sessions_between(history, start - dt.timedelta(days=RISING_WINDOW_DAYS), start)
    if len(window) < RISING_MIN_SESSIONS:
        return None
    xs = [float((session.date - start).days) for session in window]
    ys = [float(session_pain(session)) for session in window]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None  # all on one day: no trend to read
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return slope * RISING_WINDOW_DAYS


def pain_rising(history: History, start: dt.date) -> bool:
    rise = pain_rise(history, start)
    return rise is not None and rise >= RISING_POINTS


def choose_stage(profile: Profile, history: History, start: dt.date) -> StageDecision:
    if profile.pain_now >= RELIEF_PAIN:
        return StageDecision(
            "relief",
            f"Your pain is {profile.pain_now}/10 today, so the plan starts with gentle, small "
            "movements that ease it before any strengthening.",
        )
    flare = recent_flare(history, start)
    if flare is not None:
        return StageDecision(
            "relief",
            f"You logged a flare on {flare.date.isoformat()}, so the plan goes back to gentle "
            "relief movements until it settles.",
        )
    if maintenance_earned(profile, history, start) and not pain_rising(history, start):
        return StageDecision(
            "maintenance",
            f"Your pain has stayed at {LOW_PAIN}/10 or lower for at least "
            f"{MAINTENANCE_MIN_SPAN_DAYS} days of regular sessions, so the plan keeps what you built: "
            "activation every other day, with stretching and strength work around it.",
        )
    return StageDecision(
        "activation",
        "Your pain is manageable, so the plan wakes up and strengthens the muscles around your "
        "hips and trunk every day, with stretches for the areas that feel tight.",
    )


def maintenance_earned(profile: Profile, history: History, start: dt.date) -> bool:
    if profile.pain_now > LOW_PAIN or profile.pain_worst_week > LOW_PAIN:
        return False
    window = sessions_between(history, start - dt.timedelta(days=MAINTENANCE_WINDOW_DAYS), start)
    if len(window) < MAINTENANCE_MIN_SESSIONS:
        return False
    if (window[-1].date - window[0].date).days < MAINTENANCE_MIN_SPAN_DAYS:
        return False
    return all(session_pain(session) <= LOW_PAIN for session in window)
