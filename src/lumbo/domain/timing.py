"""How long an item takes, and on which days a session falls.

An item's estimate: work (sets x sides x (reps x seconds per rep, or the hold)), rest
between sets, SIDE_SWITCH_SECONDS per set to change sides, and TRANSITION_SECONDS to get
into position. The session's minutes are its items' seconds rounded up.
"""

from __future__ import annotations

import datetime as dt
import math

TRANSITION_SECONDS = 15
SIDE_SWITCH_SECONDS = 5


def item_seconds(
    sets: int,
    reps: int | None,
    hold_seconds: int | None,
    seconds_per_rep: float,
    rest_seconds: int,
    per_side: bool,
) -> int:
    sides = 2 if per_side else 1
    one_side = reps * seconds_per_rep if reps is not None else float(hold_seconds or 0)
    work = sets * sides * one_side
    rest = rest_seconds * (sets - 1)
    switching = SIDE_SWITCH_SECONDS * sets if per_side else 0
    return math.ceil(work + rest + switching + TRANSITION_SECONDS)


def minutes(seconds: int) -> int:
    return math.ceil(seconds / 60)


def training_offsets(days_per_week: int) -> list[int]:
    """Day offsets within each week that get a session, spread evenly (e.g. 3 -> 0, 2, 5)."""
    return sorted({round(index * 7 / days_per_week) % 7 for index in range(days_per_week)})


def training_days(start: dt.date, days: int, days_per_week: int) -> list[tuple[dt.date, int, int]]:
    """(date, index of the training day within its week, training days that week) per session day."""
    offsets = training_offsets(days_per_week)
    chosen: list[tuple[dt.date, int, int]] = []
    for offset in range(days):
        week_offset = offset % 7
        if week_offset in offsets:
            chosen.append((start + dt.timedelta(days=offset), offsets.index(week_offset), len(offsets)))
    return chosen
