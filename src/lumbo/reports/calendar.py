"""Calendar export: one iCalendar (RFC 5545) event per planned session.

Times are *floating* local times (no time zone): a session planned for 07:30 shows at 07:30
wherever the calendar is opened, which is what a home exercise routine wants. The first
session of a day starts at ``at`` and lasts its ``estimated_minutes``; later sessions of the
same day (a desk break, a second stretch) start ``spacing`` (4 hours) after the one before,
or straight after it when that would run past midnight.

Every event's UID is a hash of the profile key, the date and the session's index in that day,
so importing a newer export of the same plan updates the events instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from lumbo.domain.model import Decision, PlanSession
from lumbo.reports.handout import PAIN_RULE, dose_text

PRODID = "-//lumbo//lumbo exercise plan//EN"
DEFAULT_PROFILE_KEY = "lumbo"
DEFAULT_SPACING = dt.timedelta(hours=4)


class NoPlanError(ValueError):
    """The decision is a referral: there is nothing to put in a calendar."""


def parse_time(text: str) -> dt.time:
    """``HH:MM`` (24-hour clock) as a time; ValueError with a readable message otherwise."""
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(part.isdigit() and 1 <= len(part) <= 2 for part in parts):
        raise ValueError(f"time must look like HH:MM on a 24-hour clock, e.g. 07:30 (got {text!r})")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise ValueError(f"time {text!r} does not exist: hours run 00-23 and minutes 00-59")
    return dt.time(hour, minute)


def event_uid(profile_key: str, date: dt.date, session_index: int) -> str:
    """A UID that stays the same for the same person, day and session slot."""
    digest = hashlib.sha256(f"{profile_key}|{date.isoformat()}|{session_index}".encode()).hexdigest()
    return f"{digest[:32]}@lumbo"


def session_description(session: PlanSession) -> str:
    lines = [f"About {session.estimated_minutes} min."]
    lines += [f"- {item.name}: {dose_text(item)}" for item in session.items]
    lines.append(PAIN_RULE)
    return "\n".join(lines)


def build_calendar(
    decision: Decision,
    *,
    at: dt.time,
    profile_key: str = DEFAULT_PROFILE_KEY,
    now: dt.datetime | None = None,
    spacing: dt.timedelta = DEFAULT_SPACING,
) -> bytes:
    """The plan's sessions as an ``.ics`` document (bytes, CRLF line endings)."""
    from icalendar import Calendar, Event

    if decision.status != "plan":
        raise NoPlanError(
            "the screen advises seeing a clinician first, so there is no plan to put in a calendar"
        )
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "lumbo exercise plan")
    for day in decision.days:
        start = dt.datetime.combine(day.date, at)
        midnight = dt.datetime.combine(day.date + dt.timedelta(days=1), dt.time())
        previous_end: dt.datetime | None = None
        for index, session in enumerate(day.sessions):
            if not session.items:
                continue
            length = dt.timedelta(minutes=max(1, session.estimated_minutes))
            if previous_end is not None:
                spaced = start + spacing
                start = spaced if spaced + length <= midnight else previous_end
            event = Event()
            event.add("uid", event_uid(profile_key, day.date, index))
            event.add("dtstamp", stamp)
            event.add("last-modified", stamp)
            event.add("dtstart", start)  # naive datetime: floating local time
            event.add("duration", length)
            event.add("summary", f"lumbo: {session.title}")
            event.add("description", session_description(session))
            event.add("categories", ["lumbo"])
            event.add("transp", "OPAQUE")
            calendar.add_component(event)
            previous_end = start + length
    data: bytes = calendar.to_ical()
    return data
