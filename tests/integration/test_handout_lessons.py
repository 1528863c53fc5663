"""The handout lists the lifestyle suggestions with their reasons and the first lessons to read.

One PDF render (they are slow), read back with pypdf.
"""

from __future__ import annotations

import datetime as dt
import re

from lumbo.adapters.lesson_files import default_lessons
from lumbo.domain.lifestyle import audit
from lumbo.domain.model import Lifestyle, Profile
from lumbo.reports.handout import READ_NEXT, handout_pdf, read_next, render_html
from lumbo.services import decide
from tests.integration.test_handout import Pdf, flat
from tests.unit.test_calendar import START, typical_profile

TODAY = dt.date(2026, 3, 1)


def words(text: str) -> str:
    """Flattened text with line-broken hyphenated words joined again ("pelvic- hip")."""
    return re.sub(r"-\s+", "-", flat(text))


def profile() -> Profile:
    """8 desk hours, short poor sleep and one active day: three suggestions."""
    return typical_profile().model_copy(
        update={"lifestyle": Lifestyle(exercise_days_per_week=1, sleep_hours=5, sleep_quality="poor")}
    )


def test_the_handout_shows_suggestions_with_reasons_and_what_to_read_next() -> None:
    person = profile()
    suggestions = audit(person)
    assert [s.id for s in suggestions] == ["sitting-breaks", "sleep", "activity"]
    decision = decide(person, None, START, 7)
    assert decision.status == "plan"
    pdf = Pdf(handout_pdf(decision, paper="a4", today=TODAY, profile=person))
    text = words(pdf.text)
    assert "About your days" in text and "Read next" in text
    for suggestion in suggestions:
        assert words(suggestion.title) in text
        assert words(suggestion.suggestion)[:60] in text
        assert words(suggestion.reason)[:60] in text
    ordered = sorted(default_lessons(), key=lambda lesson: lesson.unlock_day)
    for lesson in ordered[:READ_NEXT]:
        assert words(lesson.title) in text
        assert words(lesson.summary)[:50] in text
    assert words(ordered[READ_NEXT].summary)[:50] not in text  # a short list, not the course
    # At most one page more than before: the exercises still start on page 2 or 3.
    exercises_page = next(n for n, page in enumerate(pdf.pages) if "Your exercises" in page)
    assert exercises_page <= 2
    assert "Read next" in " ".join(pdf.pages[:exercises_page])


def test_without_a_profile_there_are_no_suggestions_but_still_lessons() -> None:
    decision = decide(typical_profile(), None, START, 7)
    html = render_html(decision, today=TODAY, figure=lambda *_: None)
    assert "About your days" not in html
    assert "Read next" in html
    assert [lesson.id for lesson in read_next()] == [
        lesson.id for lesson in sorted(default_lessons(), key=lambda x: x.unlock_day)[:READ_NEXT]
    ]
    well = typical_profile().model_copy(
        update={"desk_hours_per_day": 2, "lifestyle": Lifestyle(exercise_days_per_week=4)}
    )
    assert audit(well) == []
    html = render_html(decision, today=TODAY, figure=lambda *_: None, profile=well)
    assert "About your days" not in html  # nothing to suggest: no empty heading
