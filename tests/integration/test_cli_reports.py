"""`lumbo handout`, `lumbo calendar` and `lumbo fhir` on files: results, and one-line errors.

The same commands on the stored data (no --profile): tests/integration/test_cli_stored.py.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from icalendar import Calendar

from lumbo.cli.main import run
from lumbo.domain.model import History, ItemLog, RedFlags, SessionLog
from lumbo.reports.fhir import validate_bundle
from tests.unit.test_calendar import typical_profile


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


Invoke = Callable[..., Result]


def make_invoker(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Invoke:
    """Run the real entry point in-process, as `lumbo ARGS...` would."""

    def invoke(*args: object) -> Result:
        monkeypatch.setattr(sys, "argv", ["lumbo", *(str(arg) for arg in args)])
        try:
            run()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke


@pytest.fixture
def lumbo(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Invoke:
    return make_invoker(monkeypatch, capsys)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    profile = tmp_path / "profile.json"
    profile.write_text(typical_profile().model_dump_json(), encoding="utf-8")
    referred = tmp_path / "referred.json"
    referred.write_text(
        typical_profile().model_copy(update={"red_flags": RedFlags(history_of_cancer=True)}).model_dump_json()
    )
    history = tmp_path / "history.json"
    history.write_text(
        History(
            sessions=[
                SessionLog(date="2026-02-27", pain_before=4, pain_after=3,
                           items=[ItemLog(exercise="glute-bridge", reps=10, rating="right")]),
                SessionLog(date="2026-02-28", pain_before=3, pain_after=2),
            ]
        ).model_dump_json()
    )
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json")
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({"pain_now": 12, "pain_worst_week": 12, "duration_weeks": 1}))
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("x")
    return {"profile": profile, "referred": referred, "history": history, "broken": broken,
            "invalid": invalid, "a_file": a_file, "dir": tmp_path}


def test_handout_writes_a_pdf(lumbo: Invoke, files: dict[str, Path]) -> None:
    target = files["dir"] / "plan.pdf"
    result = lumbo("handout", "--profile", files["profile"], "--history", files["history"],
                   "--start", "2026-03-02", "--days", "7", "--paper", "letter", "-o", target)
    assert result.code == 0, result.err
    assert "Wrote the handout" in result.out
    assert target.read_bytes().startswith(b"%PDF-")
    assert not list(files["dir"].glob(".*.part"))  # the temporary file was renamed


def test_handout_for_a_referral_writes_the_referral_sheet(lumbo: Invoke, files: dict[str, Path]) -> None:
    target = files["dir"] / "sheet.pdf"
    result = lumbo("handout", "--profile", files["referred"], "-o", target)
    assert result.code == 0, result.err
    assert "referral sheet" in result.out
    assert target.read_bytes().startswith(b"%PDF-")


def test_calendar_writes_events(lumbo: Invoke, files: dict[str, Path]) -> None:
    target = files["dir"] / "plan.ics"
    result = lumbo("calendar", "--profile", files["profile"], "--start", "2026-03-02",
                   "--at", "06:45", "-o", target)
    assert result.code == 0, result.err
    events = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert events
    assert f"Wrote {len(events)} events" in result.out
    assert min(e.decoded("dtstart") for e in events).strftime("%Y-%m-%d %H:%M") == "2026-03-02 06:45"


def test_fhir_from_files_writes_a_valid_bundle(lumbo: Invoke, files: dict[str, Path]) -> None:
    target = files["dir"] / "bundle.json"
    result = lumbo("fhir", "--profile", files["profile"], "--history", files["history"],
                   "--key", "anna", "-o", target)
    assert result.code == 0, result.err
    bundle = json.loads(target.read_text())
    validate_bundle(bundle)
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds.count("Observation") == 4 and kinds.count("CarePlan") == 1


BAD = [
    (["calendar", "--profile", "{profile}", "--at", "25:00", "-o", "{dir}/x.ics"], "--at"),
    (["calendar", "--profile", "{profile}", "--at", "noon", "-o", "{dir}/x.ics"], "HH:MM"),
    (["calendar", "--profile", "{profile}", "-o", "{dir}/x.ics"], "--at"),
    (["calendar", "--profile", "{referred}", "--at", "07:00", "-o", "{dir}/x.ics"], "clinician"),
    (["calendar", "--profile", "{profile}", "--at", "07:00", "-o", "{a_file}/x.ics"], "does not exist"),
    (["calendar", "--profile", "{profile}", "--at", "07:00", "-o", "{dir}"], "folder"),
    (["handout", "--profile", "{profile}", "--start", "2026-02-30", "-o", "{dir}/x.pdf"], "--start"),
    (["handout", "--profile", "{profile}", "--days", "0", "-o", "{dir}/x.pdf"], "--days"),
    (["handout", "--profile", "{profile}", "--days", "many", "-o", "{dir}/x.pdf"], "--days"),
    (["handout", "--profile", "{profile}", "--paper", "a5", "-o", "{dir}/x.pdf"], "--paper"),
    (["handout", "--profile", "{dir}/missing.json", "-o", "{dir}/x.pdf"], "not found"),
    (["handout", "--profile", "{broken}", "-o", "{dir}/x.pdf"], "not valid JSON"),
    (["handout", "--profile", "{invalid}", "-o", "{dir}/x.pdf"], "pain_now"),
    (["handout", "--history", "{history}", "-o", "{dir}/x.pdf"], "--profile"),
    (["calendar", "--history", "{history}", "--at", "07:00", "-o", "{dir}/x.ics"], "--profile"),
    (["handout", "--profile", "{profile}", "--history", "{broken}", "-o", "{dir}/x.pdf"], "history"),
    (["fhir", "--history", "{history}", "-o", "{dir}/x.json"], "--profile"),
    (["fhir", "--profile", "{profile}", "-o", "{a_file}/b.json"], "cannot write"),
]


@pytest.mark.parametrize(("args", "expected"), BAD)
def test_bad_input_gives_one_line_and_exit_2(
    lumbo: Invoke, files: dict[str, Path], args: list[str], expected: str
) -> None:
    places = {name: str(path) for name, path in files.items()}
    result = lumbo(*(arg.format(**places) for arg in args))
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("lumbo: ")
    assert expected in lines[0]
    assert "Traceback" not in result.err
    assert not (files["dir"] / "x.ics").exists() and not (files["dir"] / "x.pdf").exists()
