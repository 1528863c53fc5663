"""The CLI under odd input: one line and exit code 2, never a traceback; `-o` that writes
like other Unix tools; `--version`, bare `lumbo`, `--help` and "did you mean"."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest

from lumbo import services
from lumbo.cli import common
from lumbo.cli.common import UserError, write_output
from lumbo.cli.main import MODULE_OF_COMMAND, run

EXAMPLES = Path(__file__).parents[2] / "examples"
PROFILE = EXAMPLES / "profile.json"


@dataclass
class Result:
    code: int
    out: str
    err: str


Lumbo = Callable[..., Result]


@pytest.fixture
def lumbo(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Lumbo:
    """Run the real entry point in-process, as `lumbo ARGS...` from a shell would."""

    def invoke(*args: object) -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["lumbo", *(str(arg) for arg in args)])
        try:
            run()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke


def assert_one_line_refusal(result: Result, expected: str = "") -> None:
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err + result.out
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("lumbo: ") and len(lines[0]) > len("lumbo: ")
    assert expected in lines[0], lines[0]


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def profile_with(tmp_path: Path, **fields: object) -> Path:
    data = {**json.loads(PROFILE.read_text(encoding="utf-8")), **fields}
    return write(tmp_path / "profile.json", json.dumps(data))


def history_on(tmp_path: Path, day: str) -> Path:
    session = {"date": day, "pain_before": 3, "pain_after": 3,
               "items": [{"exercise": "glute-bridge", "reps": 10, "rating": "easy"}]}
    return write(tmp_path / "history.json", json.dumps({"sessions": [session]}))


# --- no traceback for any input -----------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
HUGE_NUMBER = '{"pain_now": ' + "9" * 5000 + ', "pain_worst_week": 5, "duration_weeks": 1}'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DEEP, "nested more than 64 levels"),
        ('{"a":' * 70 + "1" + "}" * 70, "nested more than 64 levels"),
        (HUGE_NUMBER, "more than 30 digits"),
        ('{"pain_now": 3, "pain_now": 4, "pain_worst_week": 5, "duration_weeks": 1}', "appears twice"),
        ('{"pain_now": NaN, "pain_worst_week": 5, "duration_weeks": 1}', "NaN"),
        ('{"pain_now": 3, "pain_worst_week": 5, "duration_weeks": 1, "x": "a\\u0000b"}', "NUL"),
        ("\ufeff" * 2 + "{}", "not valid JSON"),
    ],
    ids=["deep-array", "deep-object", "5000-digits", "duplicate-key", "nan", "nul", "junk"],
)
@pytest.mark.parametrize("command", ["plan", "audit"])
def test_a_hostile_profile_file_is_one_line(
    lumbo: Lumbo, tmp_path: Path, command: str, text: str, expected: str
) -> None:
    path = write(tmp_path / "profile.json", text)
    assert_one_line_refusal(lumbo(command, "--profile", path), expected)


def test_a_deeply_nested_history_and_import_are_one_line(lumbo: Lumbo, tmp_path: Path) -> None:
    deep = write(tmp_path / "deep.json", DEEP)
    assert_one_line_refusal(lumbo("plan", "--profile", PROFILE, "--history", deep), "history file")
    # The file is read (and refused) before any database is opened.
    assert_one_line_refusal(lumbo("import", deep), "nested more than 64 levels")


def test_a_file_larger_than_the_limit_is_refused_unread(
    lumbo: Lumbo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "MAX_JSON_BYTES", 100)
    path = write(tmp_path / "profile.json", json.dumps({"hard_activities": ["x" * 200]}))
    assert_one_line_refusal(lumbo("plan", "--profile", path), "larger than")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--start", "0001-01-01"], "between 1900-01-01 and 2200-12-31"),
        (["--start", "9999-12-25", "--days", "366"], "between 1900-01-01 and 2200-12-31"),
        (["--start", "9999-12-31"], "--start"),
        (["--start", "2200-12-25", "--days", "8"], "plans must end by 2200-12-31"),
        (["--start", "1899-12-31"], "--start"),
        (["--days", "9" * 40], "--days"),
    ],
)
@pytest.mark.parametrize("command", ["plan", "handout", "calendar", "fhir"])
def test_dates_out_of_range_are_one_line(
    lumbo: Lumbo, tmp_path: Path, command: str, args: list[str], expected: str
) -> None:
    out = ["-o", tmp_path / "out"] if command != "plan" else []
    at = ["--at", "07:30"] if command == "calendar" else []
    result = lumbo(command, "--profile", PROFILE, *args, *at, *out)
    assert_one_line_refusal(result, expected)
    assert not (tmp_path / "out").exists()


def test_the_last_day_lumbo_accepts_still_plans(lumbo: Lumbo) -> None:
    result = lumbo("plan", "--profile", PROFILE, "--start", "2200-12-25", "--days", "7")
    assert result.code == 0, result.err
    assert "Wednesday 31 December 2200" in result.out


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("command", ["plan", "handout", "calendar", "fhir"])
def test_history_dates_out_of_range_are_one_line(
    lumbo: Lumbo, tmp_path: Path, command: str, day: str
) -> None:
    history = history_on(tmp_path, day)
    out = ["-o", tmp_path / "out"] if command != "plan" else []
    at = ["--at", "07:30"] if command == "calendar" else []
    result = lumbo(command, "--profile", PROFILE, "--history", history, *at, *out)
    assert_one_line_refusal(result, "sessions.0.date")
    assert "2200-12-31" in result.err


def test_the_last_resort_guard_turns_an_input_error_into_one_line(
    lumbo: Lumbo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def overflowing(*args: object, **kwargs: object) -> None:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(services, "decide", overflowing)
    result = lumbo("plan", "--profile", PROFILE, "--start", "2026-01-05")
    assert_one_line_refusal(result, "cannot use this input: date value out of range")


def test_control_characters_in_the_input_are_escaped_in_the_message(
    lumbo: Lumbo, tmp_path: Path
) -> None:
    path = profile_with(tmp_path, **{"\x1b[2Jevil\nline": 1})
    result = lumbo("plan", "--profile", path)
    assert_one_line_refusal(result, "unknown field")
    assert "\x1b" not in result.err and "\\x1b[2Jevil\\nline" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["exercise", "x" * 100_000],
        ["figure", "x" * 100_000],
        ["figure", "../../../../../../etc/passwd"],
        ["lesson", "x" * 100_000],
        ["schema", "x" * 100_000],
        ["catalogue", "--category", "\x1b[31m"],
        ["handout", "--profile", PROFILE, "--paper", "a5" * 1000, "-o", "-"],
        ["lesson", "--day", "-1"],
        ["serve", "--port", "0"],
        ["calendar", "--profile", PROFILE, "--at", "99:99", "-o", "-"],
        ["export", "--csv", "-"],
        ["nope"],
        ["plan"],
    ],
    ids=lambda value: str(value)[:20],
)
def test_odd_words_on_every_command_are_one_line(lumbo: Lumbo, args: list[object]) -> None:
    result = lumbo(*args)
    assert_one_line_refusal(result)
    assert len(result.err) < 1200  # a huge value is cut, not echoed whole


def test_a_figure_id_never_names_a_file_outside_the_poses(lumbo: Lumbo, tmp_path: Path) -> None:
    write(tmp_path / "evil.yaml", "view: side\nframes: []\n")
    outside = "../" * 20 + str(tmp_path / "evil").lstrip("/")
    result = lumbo("figure", outside)
    assert_one_line_refusal(result, "unknown exercise")
    assert "broken" not in result.err  # the file was not read as a pose


# --- -o FILE ------------------------------------------------------------------------------


def part_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.part"))


def test_an_existing_file_is_not_replaced_without_force(lumbo: Lumbo, tmp_path: Path) -> None:
    target = write(tmp_path / "profile.json", PROFILE.read_text(encoding="utf-8"))
    before = target.read_bytes()
    result = lumbo("figure", "glute-bridge", "-o", target)
    assert_one_line_refusal(result, "already exists; add --force to replace it, or use -o - for")
    assert target.read_bytes() == before and part_files(tmp_path) == []


def test_the_refusal_comes_before_the_slow_work(
    lumbo: Lumbo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = write(tmp_path / "plan.pdf", "mine")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the plan was computed before the output was checked")

    monkeypatch.setattr(services, "decide", never)
    assert_one_line_refusal(lumbo("handout", "--profile", PROFILE, "-o", target), "already exists")
    assert target.read_text() == "mine"


def test_force_replaces_and_keeps_the_mode(lumbo: Lumbo, tmp_path: Path) -> None:
    target = write(tmp_path / "old.svg", "old")
    target.chmod(0o640)
    result = lumbo("figure", "glute-bridge", "-o", target, "--force")
    assert result.code == 0, result.err
    assert "<svg" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert part_files(tmp_path) == []


def test_force_keeps_a_private_mode_too(lumbo: Lumbo, tmp_path: Path) -> None:
    target = write(tmp_path / "plan.ics", "old")
    target.chmod(0o604)
    result = lumbo("calendar", "--profile", PROFILE, "--at", "07:30", "-o", target, "--force")
    assert result.code == 0, result.err
    assert target.read_text().startswith("BEGIN:VCALENDAR")
    assert stat.S_IMODE(target.stat().st_mode) == 0o604


def test_new_files_get_modes_by_content(lumbo: Lumbo, tmp_path: Path, umask_022: None) -> None:
    figure, calendar = tmp_path / "bridge.svg", tmp_path / "plan.ics"
    assert lumbo("figure", "glute-bridge", "-o", figure).code == 0
    assert lumbo("calendar", "--profile", PROFILE, "--at", "07:30", "-o", calendar).code == 0
    assert stat.S_IMODE(figure.stat().st_mode) == 0o644  # no personal data: the umask decides
    assert stat.S_IMODE(calendar.stat().st_mode) == 0o600  # health data: the owner only


def test_a_symlink_is_refused_even_with_force(lumbo: Lumbo, tmp_path: Path) -> None:
    target = write(tmp_path / "target.txt", "keep me")
    link = tmp_path / "link.svg"
    link.symlink_to(target)
    result = lumbo("figure", "glute-bridge", "-o", link, "--force")
    assert_one_line_refusal(result, "symbolic link")
    assert link.is_symlink() and target.read_text() == "keep me"
    assert part_files(tmp_path) == []


def test_a_dangling_symlink_is_refused(lumbo: Lumbo, tmp_path: Path) -> None:
    link = tmp_path / "link.svg"
    link.symlink_to(tmp_path / "nowhere.svg")
    assert_one_line_refusal(lumbo("figure", "glute-bridge", "-o", link), "symbolic link")
    assert not (tmp_path / "nowhere.svg").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_opening_it(lumbo: Lumbo, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # Opening a FIFO for writing would block forever without a reader: refusal must not open it.
    result = lumbo("figure", "glute-bridge", "-o", fifo, "--force")
    assert_one_line_refusal(result, "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_node_is_refused(lumbo: Lumbo) -> None:
    assert_one_line_refusal(lumbo("figure", "glute-bridge", "-o", os.devnull, "--force"),
                            "not a regular file")


def test_a_folder_is_refused(lumbo: Lumbo, tmp_path: Path) -> None:
    assert_one_line_refusal(lumbo("figure", "glute-bridge", "-o", tmp_path, "--force"), "folder")
    assert_one_line_refusal(
        lumbo("fhir", "--profile", PROFILE, "-o", tmp_path / "missing" / "b.json"), "does not exist"
    )


def test_dash_writes_to_standard_output(lumbo: Lumbo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    figure = lumbo("figure", "glute-bridge", "-o", "-")
    assert figure.code == 0 and "<svg" in figure.out and figure.err == ""
    bundle = lumbo("fhir", "--profile", PROFILE, "-o", "-")
    assert bundle.code == 0, bundle.err
    assert json.loads(bundle.out)["resourceType"] == "Bundle"  # no "Wrote ..." line mixed in
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_a_file_that_appears_meanwhile_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new.json"
    real_inspect = common._inspect_target

    def racing(path: Path, *, force: bool, what: str) -> os.stat_result | None:
        found = real_inspect(path, force=force, what=what)
        target.write_text("written by someone else")  # between the check and the write
        return found

    monkeypatch.setattr(common, "_inspect_target", racing)
    with pytest.raises(UserError, match="already exists"):
        write_output(target, b"lumbo's data")
    assert target.read_text() == "written by someone else"
    assert part_files(tmp_path) == []


def test_export_csv_refuses_existing_files_then_force_replaces(
    lumbo: Lumbo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    monkeypatch.setenv("LUMBO_DATABASE_URL", f"sqlite:///{tmp_path / 'lumbo.sqlite3'}")
    folder = tmp_path / "csv"
    assert lumbo("export", "--csv", folder).code == 0
    sessions = folder / "sessions.csv"
    assert stat.S_IMODE(sessions.stat().st_mode) == 0o600
    sessions.write_text("mine")
    assert_one_line_refusal(lumbo("export", "--csv", folder), "already exists")
    assert sessions.read_text() == "mine"
    assert lumbo("export", "--csv", folder, "--force").code == 0
    assert sessions.read_text().startswith("session_id,")


# --- --version, bare lumbo, --help, did you mean ------------------------------------------


def test_version_prints_the_package_version(lumbo: Lumbo) -> None:
    result = lumbo("--version")
    assert result.code == 0
    assert result.out == f"lumbo {version('lumbo')}\n" and result.err == ""


def test_bare_lumbo_prints_the_help_and_exits_0(lumbo: Lumbo) -> None:
    result = lumbo()
    assert result.code == 0
    assert result.out.startswith("Usage: lumbo") and "plan" in result.out and "--version" in result.out
    assert result.err == ""


@pytest.mark.parametrize("command", [None, *MODULE_OF_COMMAND])
def test_help_shows_no_bool_placeholder(lumbo: Lumbo, command: str | None) -> None:
    result = lumbo(*([command] if command else []), "--help")
    assert result.code == 0 and "Usage: lumbo" in result.out
    assert "<bool>" not in result.out and "BOOLEAN" not in result.out


def test_flags_are_plain_flags_and_values_are_named(lumbo: Lumbo) -> None:
    lines = {line.split()[0]: line for line in lumbo("plan", "--help").out.splitlines()
             if line.strip().startswith("--")}
    assert lines["--json"].split()[1] == "Print"  # a flag takes no value
    assert lines["--profile"].split()[1] == "FILE" and lines["--start"].split()[1] == "YYYY-MM-DD"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"pain_nwo": 3}, "lumbo: profile: unknown field 'pain_nwo'; did you mean 'pain_now'?\n"),
        ({"lifestyle": {"sleep_hour": 7}},
         "lumbo: profile: unknown field 'lifestyle.sleep_hour'; did you mean 'lifestyle.sleep_hours'?\n"),
        ({"hard_activities": [{"name": "Socks", "scroe": 4}]},
         "lumbo: profile: unknown field 'hard_activities.0.scroe'; did you mean "
         "'hard_activities.0.score'?\n"),
        ({"colour": "red"}, "lumbo: profile: unknown field 'colour' (`lumbo schema profile` lists the fields)\n"),
    ],
)
def test_an_unknown_field_is_named_with_the_closest_one(
    lumbo: Lumbo, tmp_path: Path, fields: dict[str, object], expected: str
) -> None:
    data = {**json.loads(PROFILE.read_text(encoding="utf-8")), **fields}
    if "pain_nwo" in fields:
        del data["pain_now"]  # the misspelt field is then also missing: still one problem
    result = lumbo("plan", "--profile", write(tmp_path / "p.json", json.dumps(data)))
    assert result.code == 2
    assert result.err == expected


def test_an_unknown_history_field_is_named_too(lumbo: Lumbo, tmp_path: Path) -> None:
    history = {"sessions": [{"date": "2026-01-01", "pain_before": 3, "pain_afterr": 2}]}
    path = write(tmp_path / "h.json", json.dumps(history))
    result = lumbo("plan", "--profile", PROFILE, "--history", path)
    assert result.err == (
        "lumbo: history: unknown field 'sessions.0.pain_afterr'; did you mean 'sessions.0.pain_after'?\n"
    )
