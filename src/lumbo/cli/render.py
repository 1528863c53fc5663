"""Plain-text rendering of a decision for the terminal."""

from __future__ import annotations

import textwrap

from lumbo.domain.model import Decision, PlanItem

URGENCY_HEADINGS = {
    "emergency": "Please get medical help now - not an exercise plan",
    "urgent": "Please see a doctor soon - not an exercise plan",
    "before_starting": "Please check with a clinician before starting",
}


def dose_text(item: PlanItem) -> str:
    amount = f"{item.reps} reps" if item.reps is not None else f"{item.hold_seconds} s hold"
    sets = f"{item.sets} x " if item.sets > 1 else ""
    side = " per side" if item.per_side else ""
    return f"{sets}{amount}{side}"


def render_decision(decision: Decision) -> str:
    lines: list[str] = []
    wrap = textwrap.TextWrapper(width=88, subsequent_indent="    ")
    if decision.status == "refer":
        lines.append(URGENCY_HEADINGS.get(decision.urgency or "", "Please see a clinician"))
        lines.append("")
        lines.extend(wrap.fill(f"  - {reason}") for reason in decision.reasons)
        lines.append("")
        lines.append(textwrap.fill(decision.what_to_do or "", width=88))
        return "\n".join(lines)
    lines.append(f"Stage: {decision.stage}")
    if decision.stage_reason:
        lines.append(textwrap.fill(decision.stage_reason, width=88))
    for day in decision.days:
        lines.append("")
        lines.append(day.date.strftime("%A %d %B %Y"))
        for session in day.sessions:
            lines.append(f"  {session.title} (about {session.estimated_minutes} min)")
            for item in session.items:
                extra = f" [{', '.join(item.equipment)}]" if item.equipment else ""
                lines.append(f"    - {item.name}: {dose_text(item)}{extra}")
                lines.append(wrap.fill(f"      why: {item.why}"))
    if decision.notes:
        lines.append("")
        lines.append("Notes")
        lines.extend(wrap.fill(f"  - {note}") for note in decision.notes)
    lines.append("")
    lines.append("A generic programme, not medical advice. Stop any exercise that hurts.")
    return "\n".join(lines)
