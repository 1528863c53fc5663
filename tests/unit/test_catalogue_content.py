"""The packaged exercise catalogue: every file valid, every seed exercise present, ladders
exactly as the planner expects, doses within the seeds' ranges, no text copied from a seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from lumbo.adapters.catalogue_files import exercises_dir, load_catalogue, load_entry
from lumbo.domain.catalogue import Catalogue, CatalogueError, Exercise
from lumbo.domain.words import AREAS, LEVEL_RANK
from tests.seeds import SEED_FILES, SEEDS_DIR, seed_index

ENTRY_FILES = sorted(exercises_dir().glob("*.yaml"))

# The ladders the planner relies on, easiest first; the family is named first in each.
LADDERS: dict[str, list[str]] = {
    "glute-bridge": ["glute-bridge", "single-leg-glute-bridge", "figure-4-glute-bridge"],
    "pelvic-tilt": ["pelvic-tilt", "pelvic-tilt-marching", "pelvic-tilt-leg-lowers"],
    "forearm-plank": ["forearm-plank-knees", "forearm-plank", "forearm-plank-loaded"],
    "side-plank": ["side-plank-knees", "side-plank-half-kneeling", "side-plank", "side-plank-top-leg-raised"],
    "glute-bridge-hold": ["glute-bridge-hold", "loaded-glute-bridge"],
    "reverse-hyperextension": ["reverse-hyperextension", "reverse-hyperextension-table"],
    "bodyweight-squat": [
        "assisted-squat",
        "supported-squat-shifts",
        "bodyweight-squat",
        "squat-bottom-hold",
        "squat-shift-circles",
        "squat-shift-front-back",
        "squat-shift-side-to-side",
        "squat-knee-drop-rotation",
    ],
    "hip-hinge": ["hip-hinge", "deadlift"],
    "femur-rotation": ["femur-rotation", "seated-hip-drops", "frog-hip-rotations", "standing-hip-rotations"],
    "bar-hang": ["bar-hang-supported", "bar-hang", "bar-hang-contract-relax", "bar-hang-shoulder-rotations"],
    "bear-squat": ["bear-squat", "bear-squat-foot-stretch"],
    "kneeling-bridge": ["kneeling-bridge-chair", "kneeling-bridge"],
    "cobra": ["sphinx", "cobra"],
    "supported-pull-up": ["supported-pull-up", "pull-up"],
}
RELIEF = ["hip-swing", "standing-hip-abduction", "rocking-groin-stretch", "lying-hip-circles"]
STANDALONE = [
    *RELIEF,
    "side-lying-hip-abduction",
    "quadruped-plank",
    "side-plank-hip-lift",
    "fire-hydrant",
    "bird-dog",
    "band-anti-rotation-press",
    "core-bracing",
    "diaphragmatic-breathing",
    "pelvic-tilt-standing",
    "pelvic-tilt-kneeling",
    "hip-90-90",
    "hip-flexor-stretch",
    "hamstring-stretch",
    "piriformis-stretch",
    "seated-cross-body-hamstring-stretch",
    "lying-piriformis-stretch",
    "pigeon-stretch",
    "worlds-best-stretch",
    "lunge-reach-hamstring-stretch",
    "frog-stretch-rotation",
    "seated-rotation-plank-reach",
    "childs-pose-lat-stretch",
    "standing-wall-lat-stretch",
    "kneeling-thoracic-extension",
    "lateral-trunk-flexion-stretch",
    "chest-stretch",
    "neck-stretch",
    "release-calves",
    "release-hamstrings",
    "release-glutes",
    "release-abs",
    "release-spine-peanut",
    "release-lats",
    "release-thoracic",
    "posture-check",
    # Issue 9: the drills seeds 002 and 003 name that were missing.
    "towel-row",
    "band-row",
    "ankle-rocks",
    "release-hip-flexors",
]
REQUIRED_IDS = sorted({step for steps in LADDERS.values() for step in steps} | set(STANDALONE))

PER_SIDE = {
    "standing-hip-abduction", "lying-hip-circles", "side-lying-hip-abduction", "side-plank-hip-lift",
    "fire-hydrant", "bird-dog", "band-anti-rotation-press", "single-leg-glute-bridge",
    "figure-4-glute-bridge", "side-plank-knees", "side-plank-half-kneeling", "side-plank",
    "side-plank-top-leg-raised", "femur-rotation", "hip-flexor-stretch", "hamstring-stretch",
    "piriformis-stretch", "seated-cross-body-hamstring-stretch", "lying-piriformis-stretch",
    "pigeon-stretch", "lateral-trunk-flexion-stretch", "standing-wall-lat-stretch", "neck-stretch",
    "worlds-best-stretch", "lunge-reach-hamstring-stretch", "ankle-rocks", "release-hip-flexors",
}  # fmt: skip
NOT_PER_SIDE = {
    "glute-bridge", "glute-bridge-hold", "pelvic-tilt", "forearm-plank", "forearm-plank-knees",
    "core-bracing", "diaphragmatic-breathing", "bodyweight-squat", "hip-hinge", "deadlift",
    "chest-stretch", "posture-check", "cobra", "sphinx", "bar-hang", "reverse-hyperextension",
    "towel-row", "band-row", "supported-pull-up", "pull-up", "supported-squat-shifts",
}  # fmt: skip
FREQUENCY = {
    "every_other_day": [*LADDERS["forearm-plank"], *LADDERS["side-plank"], *LADDERS["glute-bridge-hold"],
                        *LADDERS["hip-hinge"], *LADDERS["supported-pull-up"], "towel-row", "band-row"],
    "weekly": [*LADDERS["reverse-hyperextension"], "seated-cross-body-hamstring-stretch",
               "lying-piriformis-stretch", "pigeon-stretch"],
    "daily": [*RELIEF, *LADDERS["glute-bridge"], *LADDERS["pelvic-tilt"], *LADDERS["bodyweight-squat"],
              *LADDERS["femur-rotation"], "hip-90-90", "hip-flexor-stretch", "hamstring-stretch",
              "piriformis-stretch", "chest-stretch", "neck-stretch", "posture-check", "ankle-rocks",
              "release-hip-flexors"],
}  # fmt: skip
EQUIPMENT = {
    "band-anti-rotation-press": [["band"]],
    "forearm-plank-loaded": [["weights"]],
    "loaded-glute-bridge": [["weights"], ["bar"]],
    "reverse-hyperextension-table": [["table"], ["bench"]],
    "assisted-squat": [["suspension_trainer"], ["door_frame"], ["table"], ["chair"]],
    "deadlift": [["weights"]],
    "femur-rotation": [["step"], ["block"], ["chair"]],
    "bar-hang-supported": [["bar"]],
    "standing-wall-lat-stretch": [["wall"]],
    "kneeling-bridge-chair": [["chair"], ["bench"]],
    "lateral-trunk-flexion-stretch": [["door_frame"]],
    "release-calves": [["foam_roller"], ["ball"], ["ball", "block"]],
    "release-glutes": [["ball"], ["foam_roller"]],
    "release-abs": [["ball"]],
    "release-spine-peanut": [["peanut"]],
    "release-hip-flexors": [["ball"]],
    "supported-squat-shifts": [["suspension_trainer"], ["door_frame"], ["table"], ["chair"]],
    "ankle-rocks": [["wall"], ["chair"]],
    "towel-row": [["table"]],
    "band-row": [["band"]],
    "supported-pull-up": [["bar"]],
    "pull-up": [["bar"]],
}
ALTERNATIVES = {
    "band-anti-rotation-press": {"core-bracing"},
    "reverse-hyperextension-table": {"reverse-hyperextension"},
    "femur-rotation": {"seated-hip-drops"},
    "bar-hang-supported": {"lateral-trunk-flexion-stretch", "standing-wall-lat-stretch"},
    "standing-wall-lat-stretch": {"childs-pose-lat-stretch"},
    "release-spine-peanut": {"release-thoracic"},
    "towel-row": {"band-row"},
    "band-row": {"towel-row"},
    "supported-pull-up": {"band-row", "towel-row"},
    "pull-up": {"band-row", "towel-row"},
}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def text_of(entry: Exercise) -> str:
    """Every sentence a person reads, joined (names and aliases included)."""
    return " \n ".join([entry.name, *entry.aliases, *entry.muscles, entry.summary, entry.why,
                        *entry.cues, *entry.mistakes, *entry.safety])  # fmt: skip


# --- files ---------------------------------------------------------------------------------


def test_there_are_entry_files() -> None:
    assert len(ENTRY_FILES) >= len(REQUIRED_IDS)


@pytest.mark.parametrize("path", ENTRY_FILES, ids=lambda path: path.stem)
def test_every_file_validates_and_is_named_after_its_id(path: Path) -> None:
    entry = load_entry(path)
    assert entry.id == path.stem


def test_ids_are_unique_and_links_resolve(catalogue: Catalogue) -> None:
    assert sorted(catalogue.ids) == sorted(path.stem for path in ENTRY_FILES)


def test_every_required_seed_exercise_is_present(catalogue: Catalogue) -> None:
    missing = [slug for slug in REQUIRED_IDS if slug not in catalogue]
    assert not missing, f"missing entries: {missing}"


# --- ladders -------------------------------------------------------------------------------


@pytest.mark.parametrize("family", sorted(LADDERS))
def test_ladders_are_exactly_as_the_planner_expects(catalogue: Catalogue, family: str) -> None:
    steps = LADDERS[family]
    assert family in steps
    for step in steps:
        assert catalogue.ladder(step) == steps
        assert catalogue[step].family == family
    levels = [LEVEL_RANK[catalogue[step].level] for step in steps]
    assert levels == sorted(levels), "a harder step may not have an easier level"
    assert catalogue[steps[0]].level == "beginner"
    assert catalogue[steps[-1]].level != "beginner", "the top of a ladder is not a beginner step"


def test_standalone_entries_have_no_ladder(catalogue: Catalogue) -> None:
    for slug in STANDALONE:
        entry = catalogue[slug]
        assert entry.family is None and entry.easier is None and entry.harder is None, slug


def test_no_entry_outside_the_known_ladders_has_links(catalogue: Catalogue) -> None:
    in_ladders = {step for steps in LADDERS.values() for step in steps}
    stray = [e.id for e in catalogue if e.id not in in_ladders and (e.easier or e.harder or e.family)]
    assert not stray


def _write(folder: Path, **entries: dict[str, object]) -> None:
    base = yaml.safe_load((exercises_dir() / "glute-bridge.yaml").read_text(encoding="utf-8"))
    for slug, changes in entries.items():
        data = {**base, "id": slug, "family": None, "easier": None, "harder": None, **changes}
        (folder / f"{slug}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"a": {"harder": "nowhere"}}, "not in the catalogue"),
        ({"a": {"alternatives": ["nowhere"]}}, "not in the catalogue"),
        ({"a": {"harder": "b", "family": "a"}, "b": {"easier": "c", "family": "a"}, "c": {}}, "point back"),
        (
            {
                "a": {"harder": "b", "easier": "b", "family": "a"},
                "b": {"easier": "a", "harder": "a", "family": "a"},
            },
            "cycle",
        ),
        ({"a": {"harder": "b", "family": "a"}, "b": {"easier": "a", "family": "b"}}, "share one family"),
    ],
    ids=["broken-link", "broken-alternative", "asymmetric", "cycle", "two-families"],
)
def test_a_broken_catalogue_is_rejected(
    tmp_path: Path, entries: dict[str, dict[str, object]], message: str
) -> None:
    _write(tmp_path, **entries)
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(tmp_path)


def test_a_file_whose_id_differs_from_its_name_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path, a={})
    (tmp_path / "a.yaml").rename(tmp_path / "b.yaml")
    with pytest.raises(CatalogueError, match="must match the file name"):
        load_catalogue(tmp_path)


def test_the_fixture_writer_makes_a_valid_catalogue(tmp_path: Path) -> None:
    # Guards the tests above: they must fail for the stated reason, not because the base is bad.
    _write(tmp_path, a={"harder": "b", "family": "a"}, b={"easier": "a", "family": "a"})
    assert load_catalogue(tmp_path).ladder("b") == ["a", "b"]


# --- coverage of areas, stages, equipment --------------------------------------------------


def test_every_area_is_targeted_by_a_release_or_stretch(catalogue: Catalogue) -> None:
    covered = {area for e in catalogue if e.category in ("release", "stretch") for area in e.targets}
    assert set(AREAS) <= covered, f"no release or stretch for {sorted(set(AREAS) - covered)}"


def test_relief_movements_are_relief_only(catalogue: Catalogue) -> None:
    for slug in RELIEF:
        entry = catalogue[slug]
        assert entry.category == "relief" and entry.stages == ["relief"], slug
        assert any("skip" in line.lower() for line in entry.safety), f"{slug}: seed 000 says skip if unsure"


def test_every_stage_has_entries_with_no_equipment(catalogue: Catalogue) -> None:
    for stage in ("relief", "activation", "maintenance"):
        free = [e.id for e in catalogue if stage in e.stages and e.needs_nothing()]
        assert len(free) >= 4, stage


def test_the_posture_step_is_marked(catalogue: Catalogue) -> None:
    posture = {e.id for e in catalogue if e.posture}
    assert posture == {"chest-stretch", "neck-stretch", "posture-check"}
    assert catalogue["posture-check"].category == "posture"
    assert catalogue["chest-stretch"].targets == ["pecs"] and catalogue["neck-stretch"].targets == ["neck"]


def test_breathing_and_standing_tilts_fit_every_stage(catalogue: Catalogue) -> None:
    for slug in ("diaphragmatic-breathing", "pelvic-tilt-standing", "pelvic-tilt-kneeling"):
        assert set(catalogue[slug].stages) == {"relief", "activation", "maintenance"}, slug
    assert catalogue["diaphragmatic-breathing"].category == "breathing"


@pytest.mark.parametrize(("slug", "options"), sorted(EQUIPMENT.items()))
def test_equipment_options(catalogue: Catalogue, slug: str, options: list[list[str]]) -> None:
    assert catalogue[slug].equipment[: len(options)] == options


def test_hamstring_release_needs_something_to_sit_on(catalogue: Catalogue) -> None:
    entry = catalogue["release-hamstrings"]
    assert entry.equipment_for(["ball"]) is None
    assert entry.equipment_for(["ball", "chair"]) == ["ball", "chair"]


@pytest.mark.parametrize(("slug", "expected"), sorted(ALTERNATIVES.items()))
def test_alternatives(catalogue: Catalogue, slug: str, expected: set[str]) -> None:
    assert expected <= set(catalogue[slug].alternatives)


def test_alternatives_can_stand_in(catalogue: Catalogue) -> None:
    # The planner swaps an alternative in when the entry's equipment is missing, so the
    # alternative must need other equipment, fit every stage and level the entry does, and a
    # step of the same ladder is only an alternative to a step that needs equipment.
    for entry in catalogue:
        for alternative in entry.alternatives:
            other = catalogue[alternative]
            assert alternative != entry.id
            assert other.needs_nothing() or other.equipment != entry.equipment, (entry.id, alternative)
            assert set(entry.stages) <= set(other.stages), (entry.id, alternative)
            assert other.suits_level(entry.level), (entry.id, alternative)
            if alternative in catalogue.ladder(entry.id):
                assert not entry.needs_nothing(), (entry.id, alternative)


def test_never_roll_behind_the_knee(catalogue: Catalogue) -> None:
    for slug in ("release-calves", "release-hamstrings"):
        assert any("behind the knee" in line.lower() for line in catalogue[slug].safety), slug


# --- doses ---------------------------------------------------------------------------------


def test_one_sided_exercises_are_per_side(catalogue: Catalogue) -> None:
    assert [s for s in sorted(PER_SIDE) if not catalogue[s].per_side] == []
    assert [s for s in sorted(NOT_PER_SIDE) if catalogue[s].per_side] == []


@pytest.mark.parametrize(("frequency", "slugs"), sorted(FREQUENCY.items()))
def test_frequencies_follow_the_seeds(catalogue: Catalogue, frequency: str, slugs: list[str]) -> None:
    assert [s for s in slugs if catalogue[s].frequency != frequency] == []


def test_doses_stay_in_the_seed_ranges(catalogue: Catalogue) -> None:
    for entry in catalogue:
        dose = entry.dose
        if dose.reps is not None:
            assert 8 <= dose.reps <= 12, f"{entry.id}: 1-3 sets of 8-12 (seed 003)"
            assert dose.sets <= 3, entry.id
        else:
            assert dose.hold_seconds is not None
            if entry.category == "stretch":
                assert dose.hold_seconds in (20, 30), f"{entry.id}: stretches hold 30 s (seed 001)"
            if entry.category == "release":
                assert 30 <= dose.hold_seconds <= 60, entry.id
            if entry.level == "beginner" and entry.category in ("activation", "strength", "mobility"):
                assert 10 <= dose.hold_seconds <= 30, entry.id
            if dose.target_hold_seconds is not None:
                assert dose.target_hold_seconds > dose.hold_seconds, entry.id
        if entry.level == "beginner" and dose.reps is not None:
            assert dose.sets == 1 and dose.reps <= 10, f"{entry.id}: beginners start at 1 set of 8-10"


def test_seed_hold_targets(catalogue: Catalogue) -> None:
    assert catalogue["forearm-plank-knees"].dose.target_hold_seconds == 60
    # Seed 001: load goes on after 60 s at the toes, not after seed 004's two minutes.
    assert catalogue["forearm-plank"].dose.target_hold_seconds == 60
    assert catalogue["forearm-plank"].harder == "forearm-plank-loaded"
    assert catalogue["glute-bridge-hold"].dose.target_hold_seconds == 60
    for slug in LADDERS["side-plank"]:
        assert catalogue[slug].dose.target_hold_seconds == 45, slug
    for slug in (
        "chest-stretch",
        "neck-stretch",
        "hip-flexor-stretch",
        "hamstring-stretch",
        "piriformis-stretch",
    ):
        assert catalogue[slug].dose.hold_seconds == 30, slug


def test_pelvic_tilt_holds_five_to_ten_seconds(catalogue: Catalogue) -> None:
    assert 5 <= catalogue["pelvic-tilt"].dose.seconds_per_rep <= 10


# --- sources and wording -------------------------------------------------------------------


def test_every_entry_cites_a_seed(catalogue: Catalogue) -> None:
    for entry in catalogue:
        assert entry.sources, entry.id
        assert set(entry.sources) <= SEED_FILES, f"{entry.id}: unknown source {entry.sources}"
        assert len(set(entry.sources)) == len(entry.sources), entry.id


def test_the_known_seed_names_exist_when_the_seeds_are_here() -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed folder {SEEDS_DIR} not found; cannot check the seed file names")
    assert {path.name for path in SEEDS_DIR.glob("*.txt")} == SEED_FILES


def test_no_entry_copies_eight_words_from_a_seed(catalogue: Catalogue) -> None:
    index = seed_index()
    copied = {}
    for entry in catalogue:
        runs = index.shared_runs(text_of(entry))
        if runs:
            copied[entry.id] = runs
    for path in ENTRY_FILES:  # the comments in the files count too
        runs = index.shared_runs(path.read_text(encoding="utf-8"))
        if runs:
            copied[path.name] = runs
    assert not copied, f"text shared with a seed: {copied}"


def test_cue_lists_read_as_steps(catalogue: Catalogue) -> None:
    for entry in catalogue:
        for line in [entry.summary, entry.why, *entry.cues, *entry.mistakes, *entry.safety]:
            assert line[0].isupper(), (entry.id, line)
            assert line.rstrip()[-1] in ".!?", (entry.id, line)
        assert re.fullmatch(r"[A-Z].*", entry.name), entry.id


def test_each_release_targets_one_area(catalogue: Catalogue) -> None:
    # The planner uses a release only when all its targets are tight (seed 002): one area each.
    for entry in catalogue:
        if entry.category == "release":
            assert len(entry.targets) == 1, entry.id


# --- patterns, starting steps, load and back bending ----------------------------------------

# Every entry's movement pattern: at most one per session, and a pain rating covers them all.
PATTERNS: dict[str, set[str]] = {
    "bridge": {"glute-bridge", "single-leg-glute-bridge", "figure-4-glute-bridge", "glute-bridge-hold",
               "loaded-glute-bridge"},
    "plank": {"forearm-plank-knees", "forearm-plank", "forearm-plank-loaded", "quadruped-plank"},
    "side-plank": {*LADDERS["side-plank"], "side-plank-hip-lift"},
    "squat": {*LADDERS["bodyweight-squat"]},
    "hinge": {"hip-hinge", "deadlift"},
    "pelvic-tilt": {*LADDERS["pelvic-tilt"], "pelvic-tilt-kneeling", "pelvic-tilt-standing"},
    "bird-dog": {"bird-dog"},
    "hip-abduction": {"fire-hydrant", "side-lying-hip-abduction", "standing-hip-abduction"},
    "hip-rotation": {*LADDERS["femur-rotation"], "hip-90-90", "lying-hip-circles"},
    "leg-swing": {"hip-swing"},
    "back-extension": {*LADDERS["reverse-hyperextension"]},
    "backbend": {*LADDERS["cobra"], "kneeling-bridge-chair", "kneeling-bridge"},
    "anti-rotation": {"band-anti-rotation-press"},
    "bracing": {"core-bracing"},
    "breathing": {"diaphragmatic-breathing"},
    "posture": {"posture-check"},
    "hang": {*LADDERS["bar-hang"]},
    "hip-flexor-stretch": {"hip-flexor-stretch", "worlds-best-stretch"},
    "hamstring-stretch": {"hamstring-stretch", "seated-cross-body-hamstring-stretch",
                          "lunge-reach-hamstring-stretch"},
    "calf-stretch": {*LADDERS["bear-squat"]},
    "glute-stretch": {"piriformis-stretch", "lying-piriformis-stretch", "pigeon-stretch"},
    "adductor-stretch": {"rocking-groin-stretch", "frog-stretch-rotation"},
    "lat-stretch": {"childs-pose-lat-stretch", "standing-wall-lat-stretch", "lateral-trunk-flexion-stretch"},
    "chest-stretch": {"chest-stretch"},
    "neck-stretch": {"neck-stretch"},
    "thoracic-extension": {"kneeling-thoracic-extension"},
    "trunk-rotation": {"seated-rotation-plank-reach"},
    "ankle-mobility": {"ankle-rocks"},
    "pull": {*LADDERS["supported-pull-up"], "towel-row", "band-row"},
    "abdominal-release": {"release-abs"},
    "calf-release": {"release-calves"},
    "glute-release": {"release-glutes"},
    "hamstring-release": {"release-hamstrings"},
    "lat-release": {"release-lats"},
    "back-release": {"release-spine-peanut"},
    "thoracic-release": {"release-thoracic"},
    "hip-flexor-release": {"release-hip-flexors"},
}  # fmt: skip
# Later steps that are a safe first step for some levels (the first step always is).
START_LEVELS: dict[str, list[str]] = {
    "single-leg-glute-bridge": ["advanced"],
    "pelvic-tilt-marching": ["intermediate", "advanced"],
    "forearm-plank": ["intermediate", "advanced"],
    "side-plank": ["intermediate", "advanced"],
    "bodyweight-squat": ["intermediate", "advanced"],
    "frog-hip-rotations": ["intermediate", "advanced"],
    "bar-hang": ["intermediate", "advanced"],
    "cobra": ["intermediate", "advanced"],
}
LOADED = {"forearm-plank-loaded", "loaded-glute-bridge", "deadlift"}
BACK_BENDING = {"sphinx", "cobra", "kneeling-bridge-chair", "kneeling-bridge"}


def test_every_entry_has_its_pattern(catalogue: Catalogue) -> None:
    actual: dict[str, set[str]] = {}
    for entry in catalogue:
        actual.setdefault(entry.pattern, set()).add(entry.id)
        assert entry.pattern_id == entry.pattern, entry.id
    assert actual == PATTERNS


def test_every_ladder_shares_one_pattern(catalogue: Catalogue) -> None:
    for entry in catalogue:
        patterns = {catalogue[step].pattern for step in catalogue.ladder(entry.id)}
        assert patterns == {entry.pattern}, (entry.id, patterns)


def test_a_ladder_with_two_patterns_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path, a={"harder": "b", "family": "a"}, b={"easier": "a", "family": "a", "pattern": "other"})
    with pytest.raises(CatalogueError, match="share one pattern"):
        load_catalogue(tmp_path)


def test_the_pattern_is_required() -> None:
    data = yaml.safe_load((exercises_dir() / "glute-bridge.yaml").read_text(encoding="utf-8"))
    del data["pattern"]
    with pytest.raises(ValueError, match="pattern"):
        Exercise.model_validate(data)


def test_no_loaded_step_has_start_levels(catalogue: Catalogue) -> None:
    for entry in catalogue:
        if entry.loaded:
            assert entry.start_levels == [], entry.id


def test_a_loaded_step_with_start_levels_is_rejected() -> None:
    data = yaml.safe_load((exercises_dir() / "deadlift.yaml").read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="never a starting step"):
        Exercise.model_validate({**data, "start_levels": ["advanced"]})


def test_start_levels_are_the_safe_later_steps(catalogue: Catalogue) -> None:
    actual = {entry.id: entry.start_levels for entry in catalogue if entry.start_levels}
    assert actual == START_LEVELS
    for slug, levels in START_LEVELS.items():
        entry = catalogue[slug]
        assert entry.easier is not None, f"{slug}: only a later step needs start_levels"
        assert "beginner" not in levels, f"{slug}: beginners start at the first step"
        below = catalogue[entry.easier]
        assert not below.loaded and not entry.loaded, slug


def test_prerequisites_come_first(catalogue: Catalogue) -> None:
    # Seeds 003 and 004: the hinge before the deadlift, two legs before one, assisted squat first.
    assert catalogue.ladder("deadlift")[0] == "hip-hinge"
    assert catalogue["deadlift"].start_levels == []
    assert "beginner" not in catalogue["single-leg-glute-bridge"].start_levels
    assert catalogue.ladder("bodyweight-squat")[0] == "assisted-squat"


def test_loaded_steps_are_marked(catalogue: Catalogue) -> None:
    assert {entry.id for entry in catalogue if entry.loaded} == LOADED
    for entry in catalogue:
        if any("weights" in option for option in entry.equipment):
            assert entry.loaded, f"{entry.id}: needs weights, so it is loaded"


def test_back_bending_steps_are_marked(catalogue: Catalogue) -> None:
    assert {entry.id for entry in catalogue if entry.back_bending} == BACK_BENDING


def test_back_bending_starts_on_the_forearms(catalogue: Catalogue) -> None:
    # Issue 9: the cobra's ladder starts with the gentlest back bend, lying on the forearms.
    sphinx = catalogue["sphinx"]
    assert catalogue.ladder("cobra")[0] == "sphinx"
    assert sphinx.level == "beginner" and sphinx.start_levels == []
    assert "forearm" in sphinx.summary.lower()


def test_the_missing_drills_cite_their_seeds(catalogue: Catalogue) -> None:
    # Issue 9: rows, pull-ups, supported squat shifts and ankle rocks (seed 003); the
    # front-of-hip release (seed 002). The seed is named in sources and in the file comment.
    for slug, seed in {
        "towel-row": "003_f946f2588c8df1e8.txt",
        "band-row": "003_f946f2588c8df1e8.txt",
        "supported-pull-up": "003_f946f2588c8df1e8.txt",
        "pull-up": "003_f946f2588c8df1e8.txt",
        "supported-squat-shifts": "003_f946f2588c8df1e8.txt",
        "ankle-rocks": "003_f946f2588c8df1e8.txt",
        "release-hip-flexors": "002_e14ac49bdaa1a107.txt",
    }.items():
        assert seed in catalogue[slug].sources, slug
        first_line = (exercises_dir() / f"{slug}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith(f"# Seed {seed[:3]}"), slug
    assert catalogue["release-hip-flexors"].targets == ["hip_flexors"]


def test_no_seed_file_name_reaches_a_person(catalogue: Catalogue) -> None:
    for entry in catalogue:
        assert not re.search(r"\d{3}_[0-9a-f]{16}", text_of(entry)), entry.id


# --- docs ----------------------------------------------------------------------------------

DOCS = Path(__file__).parents[2] / "docs" / "catalogue.md"


def test_the_docs_ladder_table_matches_the_files(catalogue: Catalogue) -> None:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (.+?) \|$", DOCS.read_text(encoding="utf-8"), re.M)
    documented = {family: steps.split(" -> ") for family, steps in rows}
    actual = {
        entry.family_id: catalogue.ladder(entry.id)
        for entry in catalogue
        if len(catalogue.ladder(entry.id)) > 1
    }
    assert documented == actual


def test_the_docs_copy_nothing_from_the_seeds() -> None:
    index = seed_index()
    assert index.shared_runs(DOCS.read_text(encoding="utf-8")) == []
