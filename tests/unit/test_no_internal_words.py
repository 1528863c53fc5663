"""Text meant for us never reaches people (issue 11, item 8).

Seed file names (``004_c5e5c944d4373c86.txt``) and the word "seed" belong in the catalogue
YAML, lesson front matter, code comments and docs/. Every CLI output a person reads, the
printed handout and the JSON Schemas that `lumbo schema` prints must be free of them;
where a source matters, it is named by the article's title and author
(lumbo.domain.sources). tests/integration/test_no_internal_words_pages.py does the same
for every page and the OpenAPI schema, with :func:`leaks` from here.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.adapters.lesson_files import default_lessons
from lumbo.cli.main import app
from lumbo.domain.model import Profile
from lumbo.domain.sources import SOURCES, label, labels, where_this_comes_from

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PROFILE = ROOT / "examples" / "profile.json"

#: A seed file name, as the catalogue and the lessons cite them.
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
#: The word itself, in any case ("seed 004", "the seeds", "Seed").
SEED_WORD = re.compile(r"seed", re.IGNORECASE)
#: Words of the code base that mean nothing to a person reading a page or the terminal.
INTERNAL_WORDS = re.compile(r"catalogue entr|family slug|\bslugs?\b|\bsources?:", re.IGNORECASE)

runner = CliRunner()


def leaks(text: str) -> list[str]:
    """Every seed file name and every "seed" in ``text``, each with a little context."""
    found = []
    for pattern in (SEED_FILE, SEED_WORD):
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 40), match.end() + 40
            found.append(" ".join(text[start:end].split()))
    return found


def internal_words(text: str) -> list[str]:
    """Words of the code base ("catalogue entry", "slug") in text people read."""
    return [
        " ".join(text[max(0, m.start() - 40) : m.end() + 40].split()) for m in INTERNAL_WORDS.finditer(text)
    ]


def test_the_checks_catch_what_they_are_for() -> None:
    assert leaks("lumbo's rule comes from seed 004") != []
    assert leaks("Based on: 004_c5e5c944d4373c86.txt") != []
    assert leaks("The Seeds say") != []
    assert leaks("From the article \u201cTips to Relieve Low Back Pain\u201d.") == []
    assert internal_words("Catalogue slug of the exercise family") != []
    assert internal_words("Sources: a, b") != []
    assert internal_words("Where this comes from: a") == []


# ---- the one mapping from file name to title -----------------------------------------------


def test_every_cited_seed_has_a_title_and_no_label_shows_a_file_name() -> None:
    cited = {name for entry in default_catalogue() for name in entry.sources}
    cited |= {name for lesson in default_lessons() for name in lesson.sources}
    assert cited <= set(SOURCES), sorted(cited - set(SOURCES))
    for name in SOURCES:
        text = label(name)
        assert text is not None and leaks(text) == [], name
    assert label("999_0000000000000000.txt") is None  # unknown: left out, never shown raw
    assert labels(["999_0000000000000000.txt"]) == []
    assert where_this_comes_from(["999_0000000000000000.txt"]) is None


def test_the_note_names_titles_and_authors() -> None:
    one = where_this_comes_from(["003_f946f2588c8df1e8.txt"])
    assert one == (
        "From the article \u201c5 Exercises to Prevent and Alleviate Low Back Pain\u201d, "
        "by the trainer at Rise Above Performance Training."
    )
    two = where_this_comes_from(["002_e14ac49bdaa1a107.txt", "001_398ed349542a118e.txt"])
    assert two is not None and two.startswith("From the articles \u201cTips to Relieve Low Back Pain\u201d")
    assert "; and \u201cSteps to Relieve" in two


# ---- the CLI --------------------------------------------------------------------------------


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_clean(text: str, what: str, *, plain_words: bool = True) -> None:
    assert leaks(text) == [], f"{what}: {leaks(text)[:3]}"
    if plain_words:
        assert internal_words(text) == [], f"{what}: {internal_words(text)[:3]}"


@pytest.fixture(scope="module")
def everything_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile that brings every lifestyle suggestion (so every reason is printed)."""
    data: dict[str, Any] = json.loads(EXAMPLE_PROFILE.read_text(encoding="utf-8"))
    data["desk_hours_per_day"] = 10
    data["lifestyle"] = {
        "exercise_days_per_week": 0,
        "sleep_hours": 5,
        "sleep_quality": "poor",
        "overweight": True,
    }
    Profile.model_validate(data)
    path = tmp_path_factory.mktemp("profile") / "everything.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def referral_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data: dict[str, Any] = json.loads(EXAMPLE_PROFILE.read_text(encoding="utf-8"))
    data["red_flags"] = {"saddle_numbness": True}
    path = tmp_path_factory.mktemp("profile") / "referral.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("exercise_id", sorted(default_catalogue().ids))
def test_lumbo_exercise_names_no_seed(exercise_id: str) -> None:
    text = run("exercise", exercise_id)
    assert_clean(text, f"lumbo exercise {exercise_id}")
    assert_clean(
        run("exercise", exercise_id, "--json"), f"lumbo exercise {exercise_id} --json", plain_words=False
    )
    entry = default_catalogue()[exercise_id]
    assert "Where this comes from:" in text
    for shown in labels(entry.sources):
        assert " ".join(shown.split()) in " ".join(text.split())


def test_lumbo_catalogue_names_no_seed() -> None:
    assert_clean(run("catalogue"), "lumbo catalogue")
    assert_clean(run("catalogue", "--json"), "lumbo catalogue --json", plain_words=False)


@pytest.mark.parametrize("profile", ["example", "everything"])
def test_lumbo_audit_names_no_seed(profile: str, everything_profile: Path) -> None:
    path = EXAMPLE_PROFILE if profile == "example" else everything_profile
    text = run("audit", "--profile", str(path))
    assert_clean(text, "lumbo audit")
    assert "From the article \u201c" in text  # the source, by title
    data = json.loads(run("audit", "--profile", str(path), "--json"))
    assert data and all(item["source"].startswith("\u201c") for item in data)
    assert_clean(json.dumps(data, ensure_ascii=False), "lumbo audit --json", plain_words=False)


def test_lumbo_lesson_list_names_no_seed() -> None:
    assert_clean(run("lesson"), "lumbo lesson")
    assert_clean(run("lesson", "--json"), "lumbo lesson --json", plain_words=False)


@pytest.mark.parametrize("lesson", default_lessons(), ids=lambda lesson: lesson.id)
def test_lumbo_lesson_id_names_no_seed(lesson: Any) -> None:
    text = run("lesson", lesson.id)
    assert_clean(text, f"lumbo lesson {lesson.id}")
    assert "Where this comes from:" in text
    assert_clean(run("lesson", lesson.id, "--json"), f"lumbo lesson {lesson.id} --json", plain_words=False)


@pytest.mark.parametrize("which", ["example", "everything", "referral"])
def test_lumbo_plan_names_no_seed(which: str, everything_profile: Path, referral_profile: Path) -> None:
    path = {"example": EXAMPLE_PROFILE, "everything": everything_profile, "referral": referral_profile}[which]
    assert_clean(run("plan", "--profile", str(path), "--start", "2026-11-23"), f"lumbo plan ({which})")
    assert_clean(
        run("plan", "--profile", str(path), "--start", "2026-11-23", "--json"),
        "lumbo plan --json",
        plain_words=False,
    )


@pytest.mark.parametrize("name", ["profile", "history", "plan"])
def test_lumbo_schema_names_no_seed(name: str) -> None:
    schema = run("schema", name)
    assert_clean(schema, f"lumbo schema {name}", plain_words=False)
    descriptions = " | ".join(re.findall(r'"description": "([^"]*)"', schema))
    assert internal_words(descriptions) == [], descriptions


# ---- the handout ------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("which", ["plan", "referral"])
def test_the_handout_names_no_seed(which: str, everything_profile: Path, referral_profile: Path) -> None:
    import datetime as dt

    from lumbo.reports.handout import handout_pdf
    from lumbo.services import decide

    path = everything_profile if which == "plan" else referral_profile
    person = Profile.model_validate_json(path.read_text(encoding="utf-8"))
    decision = decide(person, None, dt.date(2026, 11, 23), 7)
    assert decision.status == ("plan" if which == "plan" else "refer")
    text = pdf_text(handout_pdf(decision, today=dt.date(2026, 11, 23), profile=person))
    assert len(text) > 200  # the text really was extracted
    assert_clean(text, f"the {which} handout")
