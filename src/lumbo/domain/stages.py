"""Which stage a person is in, and whether their pain is worsening (seed
000_4e3ddc84ba866f2f.txt orders the stages: relief first, daily activation once pain is
manageable, then keeping it). Every number below is documented in docs/planner.md.

A session's pain is the higher of ``pain_before`` and ``pain_after``. The person's own
*baseline* is the median session pain of the first BASELINE_DAYS of their sessions in the
WORSENING_WINDOW_DAYS before the start (the first session and the 6 days after it).

- **flare** (``recent_flare``): a session in the FLARE_DAYS before the start whose pain is
  FLARE_POINTS or more above the baseline, or whose pain rose by FLARE_RISE or more during
  it (``pain_after - pain_before``). A flare is relative to the person: a chronic 6/10 who
  logs 6/10 has no flare.
- **relief**: a flare, or ``pain_now`` >= RELIEF_PAIN unless relief has *settled*
  (``relief_settled``): the SETTLED_DAYS before the start hold at least SETTLED_SESSIONS
  sessions, every one within STEADY_POINTS of their median pain, no item rated ``pain``,
  and pain is not worsening. Then the person moves on to activation although pain is 6+.
- **maintenance**: ``pain_now`` and ``pain_worst_week`` <= LOW_PAIN, and the logs of the
  last MAINTENANCE_WINDOW_DAYS hold at least MAINTENANCE_MIN_SESSIONS sessions spread over
  at least MAINTENANCE_MIN_SPAN_DAYS days, every one with pain <= LOW_PAIN, and pain is not
  worsening;
- **activation** otherwise.
- **worsening** (``worsening``): at least WORSENING_MIN_SESSIONS sessions in the
  WORSENING_WINDOW_DAYS before the start, and the median session pain of the last
  BASELINE_DAYS of those sessions (the last session and the 6 days before it) is
  WORSENING_POINTS or more above the baseline, or WORSENING_FRACTION (50 %) or more above a
  baseline above 0. Source: seed 003_f946f2588c8df1e8.txt, "back pain that does not go
  away or intensifies: see a doctor" -- the same rule as the intake answer
  ``pain_trend: "worsening"`` (lumbo.domain.screening).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import median

from lumbo.domain.model import History, Profile, SessionLog
from lumbo.domain.screening import WHAT_TO_DO
from lumbo.domain.words import Stage

RELIEF_PAIN = 6
BASELINE_DAYS = 7
FLARE_DAYS = 7
FLARE_POINTS = 2
FLARE_RISE = 3
SETTLED_DAYS = 14
SETTLED_SESSIONS = 6
STEADY_POINTS = 1
LOW_PAIN = 3
MAINTENANCE_WINDOW_DAYS = 28
MAINTENANCE_MIN_SESSIONS = 8
MAINTENANCE_MIN_SPAN_DAYS = 14
WORSENING_WINDOW_DAYS = 28
WORSENING_MIN_SESSIONS = 4
WORSENING_POINTS = 2.0
WORSENING_FRACTION = 0.5


@dataclass(frozen=True)
class StageDecision:
    stage: Stage
    reason: str


@dataclass(frozen=True)
class Worsening:
    """Pain that rose from the person's baseline: progression pauses from ``since``."""

    baseline: float
    recent: float
    sessions: int
    since: dt.date


def session_pain(session: SessionLog) -> int:
    return max(session.pain_before, session.pain_after)


def sessions_between(history: History, first: dt.date, before: dt.date) -> list[SessionLog]:
    """Sessions on or after ``first`` and strictly before ``before``, oldest first."""
    return sorted(
        (session for session in history.sessions if first <= session.date < before),
        key=lambda session: session.date,
    )


def window_of(history: History, start: dt.date) -> list[SessionLog]:
    return sessions_between(history, start - dt.timedelta(days=WORSENING_WINDOW_DAYS), start)


def baseline_of(window: list[SessionLog]) -> float | None:
    """Median session pain of the first BASELINE_DAYS of the sessions (oldest first)."""
    if not window:
        return None
    first = window[0].date
    return float(median(session_pain(s) for s in window if (s.date - first).days < BASELINE_DAYS))


def baseline(history: History, start: dt.date) -> float | None:
    """The person's own baseline pain (module docstring), or None without sessions."""
    return baseline_of(window_of(history, start))


def recent_of(window: list[SessionLog]) -> float | None:
    """Median session pain of the last BASELINE_DAYS of the sessions (oldest first)."""
    if not window:
        return None
    last = window[-1].date
    return float(median(session_pain(s) for s in window if (last - s.date).days < BASELINE_DAYS))


def rise_is_worsening(base: float, recent: float) -> bool:
    """A rise of WORSENING_POINTS, or of WORSENING_FRACTION of a baseline above 0."""
    rise = recent - base
    if rise >= WORSENING_POINTS:
        return True
    return base > 0 and rise > 0 and rise >= WORSENING_FRACTION * base


def worsening(history: History, start: dt.date) -> Worsening | None:
    """Worsening pain over the WORSENING_WINDOW_DAYS before the start, or None."""
    window = window_of(history, start)
    if len(window) < WORSENING_MIN_SESSIONS:
        return None
    base, recent = baseline_of(window), recent_of(window)
    assert base is not None and recent is not None
    if not rise_is_worsening(base, recent):
        return None
    return Worsening(base, recent, len(window), start - dt.timedelta(days=WORSENING_WINDOW_DAYS))


def worsening_advice(worse: Worsening, planned_any: bool = True) -> str:
    """The plan's first note when pain is worsening: a clinician, in the words of the intake
    referral (lumbo.domain.screening.WHAT_TO_DO). Seed 003_f946f2588c8df1e8.txt: pain that
    does not go away or intensifies -> see a doctor."""
    meanwhile = (
        "Until then lumbo keeps the exercises you already do at their current level and adds "
        "nothing new but gentle movements and slow breathing."
        if planned_any
        else "Until then lumbo pauses your plan: it adds nothing new, and none of the exercises you "
        "already do fits this stage."
    )
    return (
        f"Your pain keeps getting worse: from about {worse.baseline:g}/10 to {worse.recent:g}/10 "
        f"over the last {WORSENING_WINDOW_DAYS // 7} weeks. {WHAT_TO_DO['before_starting']} {meanwhile}"
    )


def is_flare(session: SessionLog, base: float | None) -> bool:
    """Pain FLARE_POINTS above the person's baseline, or rising FLARE_RISE within the session."""
    if session.pain_after - session.pain_before >= FLARE_RISE:
        return True
    return base is not None and session_pain(session) >= base + FLARE_POINTS


def recent_flare(history: History, start: dt.date) -> SessionLog | None:
    """The latest flare in the FLARE_DAYS before the start, or None."""
    base = baseline(history, start)
    for session in reversed(sessions_between(history, start - dt.timedelta(days=FLARE_DAYS), start)):
        if is_flare(session, base):
            return session
    return None


def relief_settled(history: History, start: dt.date) -> bool:
    """SETTLED_SESSIONS or more sessions in the SETTLED_DAYS before the start, all within
    STEADY_POINTS of their median pain, with no item rated ``pain``."""
    window = sessions_between(history, start - dt.timedelta(days=SETTLED_DAYS), start)
    if len(window) < SETTLED_SESSIONS:
        return False
    if any(item.rating == "pain" for session in window for item in session.items):
        return False
    pains = [session_pain(session) for session in window]
    middle = median(pains)
    return all(abs(pain - middle) <= STEADY_POINTS for pain in pains)


def choose_stage(profile: Profile, history: History, start: dt.date) -> StageDecision:
    worse = worsening(history, start)
    settled = worse is None and relief_settled(history, start)
    if profile.pain_now >= RELIEF_PAIN and not settled:
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
    if profile.pain_now >= RELIEF_PAIN:
        return StageDecision(
            "activation",
            f"Your pain is {profile.pain_now}/10, but it has held steady through at least "
            f"{SETTLED_SESSIONS} gentle sessions in {SETTLED_DAYS} days with nothing that hurt, so the "
            "plan now starts strengthening the muscles around your hips and trunk.",
        )
    if worse is None and maintenance_earned(profile, history, start):
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
