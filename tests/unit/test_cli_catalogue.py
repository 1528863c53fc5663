"""`lumbo catalogue [--json]` and `lumbo exercise ID [--json]`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.cli.main import app
from lumbo.domain.sources import labels

runner = CliRunner()

JSON_FIELDS = {
    "id", "name", "category", "targets", "equipment", "per_side", "easier", "harder", "family",
    "frequency", "stages", "sources",
}  # fmt: skip


def test_catalogue_json_lists_every_entry_with_the_contract_fields() -> None:
    result = runner.invoke(app, ["catalogue", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    catalogue = default_catalogue()
    assert sorted(item["id"] for item in data) == sorted(catalogue.ids)
    for item in data:
        assert set(item) >= JSON_FIELDS
        entry = catalogue[item["id"]]
        assert item["equipment"] == entry.equipment
        assert item["family"] == entry.family_id
        assert (item["easier"], item["harder"]) == (entry.easier, entry.harder)
        assert item["sources"] == labels(entry.sources)  # titles and authors, never file names


def test_catalogue_json_shows_ladders_and_options() -> None:
    data = {item["id"]: item for item in json.loads(runner.invoke(app, ["catalogue", "--json"]).stdout)}
    assert data["forearm-plank"]["easier"] == "forearm-plank-knees"
    assert data["forearm-plank-knees"]["family"] == "forearm-plank"
    assert data["release-calves"]["equipment"] == [["foam_roller"], ["ball"], ["ball", "block"]]
    assert data["hip-90-90"]["family"] == "hip-90-90"  # a standalone entry is its own family


def test_plain_catalogue_is_a_table_with_one_row_per_entry() -> None:
    result = runner.invoke(app, ["catalogue"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["id", "category", "level", "dose"]
    rows = [line for line in lines[2:] if line and not line.endswith("lumbo exercise ID")]
    assert sorted(row.split()[0] for row in rows) == sorted(default_catalogue().ids)
    assert f"{len(default_catalogue())} exercises" in result.stdout
    band_row = next(row for row in rows if row.startswith("band-anti-rotation-press "))
    assert band_row.endswith("band") and "1x10/side" in band_row


def test_catalogue_filters_by_category_and_area() -> None:
    data = json.loads(runner.invoke(app, ["catalogue", "--json", "--category", "release"]).stdout)
    assert data and {item["category"] for item in data} == {"release"}
    data = json.loads(runner.invoke(app, ["catalogue", "--json", "--area", "neck"]).stdout)
    assert "neck-stretch" in {item["id"] for item in data}
    assert all("neck" in item["targets"] for item in data)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["catalogue", "--category", "yoga"], "lumbo: unknown category 'yoga'; choose one of: relief,"),
        (["catalogue", "--area", "knees"], "lumbo: unknown area 'knees'; choose one of: calves,"),
    ],
)
def test_catalogue_rejects_unknown_filters(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert result.stdout == ""


def test_exercise_prints_every_part_of_the_entry() -> None:
    result = runner.invoke(app, ["exercise", "side-plank"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    entry = default_catalogue()["side-plank"]
    assert text.startswith("Side plank (side-plank)\n")
    assert "Dose: 1 set, hold 15 s per side, building up to 45 s, rest 20 s" in text
    for line in [*entry.cues, *entry.mistakes, *entry.safety]:
        assert line in text
    assert "Discomfort is okay; pain is not." in text
    assert (
        "Ladder (easier -> harder): side-plank-knees -> side-plank-half-kneeling -> [side-plank]"
        " -> side-plank-top-leg-raised" in text
    )
    assert "Where this comes from:\n  - \u201cSteps to Relieve Lower Back Pain with Exercise and Stretching\u201d" in text
    assert "Tips to Relieve Low Back Pain" in text
    assert "_" not in text.split("Where this comes from:")[1]


def test_exercise_shows_reps_equipment_and_alternatives() -> None:
    text = runner.invoke(app, ["exercise", "band-anti-rotation-press"]).stdout
    assert "Dose: 1 set of 10 reps per side (about 4 s each), rest 20 s" in text
    assert "Equipment: band" in text
    assert "Alternatives: core-bracing" in text
    assert "Ladder: none" in text


def test_exercise_accepts_a_name_or_alias() -> None:
    result = runner.invoke(app, ["exercise", "Pallof press"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Band anti-rotation press (band-anti-rotation-press)")


def test_exercise_json_is_the_whole_entry_with_its_ladder() -> None:
    result = runner.invoke(app, ["exercise", "bar-hang", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["id"] == "bar-hang" and data["family"] == "bar-hang"
    assert data["ladder"] == default_catalogue().ladder("bar-hang")
    assert data["cues"] == default_catalogue()["bar-hang"].cues
    assert data["dose"]["hold_seconds"] == default_catalogue()["bar-hang"].dose.hold_seconds


def test_unknown_exercise_suggests_the_closest_ids() -> None:
    result = runner.invoke(app, ["exercise", "glute-brige"])
    assert result.exit_code == 2
    assert result.stderr == (
        "lumbo: unknown exercise 'glute-brige'; did you mean: glute-bridge, glute-bridge-hold, "
        "loaded-glute-bridge?\n"
    )
    assert result.stdout == ""


def test_unknown_exercise_with_nothing_close_points_to_the_list() -> None:
    result = runner.invoke(app, ["exercise", "qqqqqq"])
    assert result.exit_code == 2
    assert result.stderr == "lumbo: unknown exercise 'qqqqqq'; 'lumbo catalogue' lists them all\n"


def test_the_installed_command_fails_in_one_line_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from lumbo.cli.main import run; run()", "exercise", "side-plnk"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("lumbo: unknown exercise 'side-plnk'; did you mean: side-plank")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_exercise_forgives_case_and_underscores_in_ids() -> None:
    result = runner.invoke(app, ["exercise", "Side_Plank-Knees"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Side plank on knees (side-plank-knees)")
