"""The exercise catalogue as validated data: entries, doses, ladders.

An *entry* is one exercise step (e.g. ``forearm-plank-knees``). Entries of one ladder share
a ``family`` (the slug of the family's base entry, e.g. ``forearm-plank``) and are linked by
``easier`` / ``harder``. In plans and logs, ``exercise`` is the family slug and
``variation`` the step slug; an entry without a ladder is its own family.

Equipment: ``equipment`` lists *options*; each option is the set of equipment words it
needs, and the first option the person has is used (``[[]]`` or ``[]`` means none needed).
When no option fits, the planner tries the entries in ``alternatives`` before dropping it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lumbo.domain.camera import CameraSection
from lumbo.domain.words import (
    LEVEL_RANK,
    Area,
    Category,
    Equipment,
    Frequency,
    Level,
    Position,
    Stage,
)

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]
Sentence = Annotated[str, Field(min_length=3, max_length=240)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dose(_Strict):
    """A starting dose. Exactly one of ``reps`` and ``hold_seconds`` is set."""

    sets: int = Field(1, ge=1, le=5)
    reps: int | None = Field(None, ge=1, le=50)
    hold_seconds: int | None = Field(None, ge=3, le=600)
    rest_seconds: int = Field(15, ge=0, le=180)
    seconds_per_rep: float = Field(3.0, gt=0, le=20)
    #: Where the hold grows to before the ladder's next step (seed targets, e.g. plank 60 s).
    target_hold_seconds: int | None = Field(None, ge=3, le=600)

    @model_validator(mode="after")
    def _reps_or_hold(self) -> Dose:
        if (self.reps is None) == (self.hold_seconds is None):
            raise ValueError("a dose has either reps or hold_seconds, not both or neither")
        if self.target_hold_seconds is not None and self.hold_seconds is None:
            raise ValueError("target_hold_seconds only makes sense for a hold")
        return self


class Exercise(_Strict):
    id: Slug
    name: str = Field(min_length=2, max_length=80)
    aliases: list[str] = Field(default_factory=list)
    family: Slug | None = None
    category: Category
    targets: list[Area] = Field(default_factory=list)
    muscles: list[str] = Field(default_factory=list)
    position: Position
    equipment: list[list[Equipment]] = Field(default_factory=list)
    alternatives: list[Slug] = Field(default_factory=list)
    per_side: bool = False
    dose: Dose
    #: How often the seeds say to do it: daily, every other day, or 1-2 times a week.
    frequency: Frequency = "daily"
    #: The stages in which the planner may choose it (seed 000's order).
    stages: list[Stage] = Field(min_length=1)
    #: Part of the posture step of seed 001 (chest and neck stretch, posture check): chosen
    #: for long desk days or tight pecs/neck/thoracic, not only for tight target areas.
    posture: bool = False
    level: Level = "beginner"
    #: The movement pattern (bridge, plank, side-plank, squat, hinge, ...; docs/catalogue.md
    #: lists them): a session holds at most one exercise per pattern, and a pain rating
    #: applies to the whole pattern. Every step of a ladder shares one pattern.
    pattern: Slug
    #: Levels for which this (later) step is a safe place to start; the first step of a
    #: ladder is always one. Every other step is unlocked only by logged sessions.
    start_levels: list[Level] = Field(default_factory=list)
    #: Uses added load (weights, a barbell, a loaded back): never a starting step.
    loaded: bool = False
    #: Bends the lower back backwards (cobra, backbends): gentlest step first for beginners
    #: and people over 60, and not daily in the first two weeks.
    back_bending: bool = False
    summary: Sentence
    why: Sentence
    cues: list[Sentence] = Field(min_length=3, max_length=6)
    mistakes: list[Sentence] = Field(min_length=1, max_length=6)
    safety: list[Sentence] = Field(min_length=1, max_length=6)
    easier: Slug | None = None
    harder: Slug | None = None
    sources: list[str] = Field(min_length=1)
    #: How the camera coach checks this exercise (lumbo.domain.camera); None: no camera coach.
    camera: CameraSection | None = None

    @property
    def family_id(self) -> str:
        return self.family or self.id

    @property
    def pattern_id(self) -> str:
        """The movement pattern (kept as a property for callers written before it was required)."""
        return self.pattern

    @model_validator(mode="after")
    def _safe_starts(self) -> Exercise:
        if self.loaded and self.start_levels:
            raise ValueError(f"{self.id}: a loaded step is never a starting step, so it has no start_levels")
        too_low = [level for level in self.start_levels if LEVEL_RANK[level] < LEVEL_RANK[self.level]]
        if too_low:
            raise ValueError(
                f"{self.id}: start_levels {too_low} are below the entry's own level {self.level!r}"
            )
        if len(set(self.start_levels)) != len(self.start_levels):
            raise ValueError(f"{self.id}: start_levels lists a level twice")
        return self

    @model_validator(mode="after")
    def _camera_fits_the_dose(self) -> Exercise:
        camera = self.camera
        if camera is None:
            return self
        if self.dose.hold_seconds is not None and camera.rep is not None:
            raise ValueError(f"{self.id}: a hold has no rep signal; the camera times the hold (remove camera.rep)")
        if (camera.side == "working") != self.per_side:
            wanted = "working" if self.per_side else "visible"
            raise ValueError(f"{self.id}: camera.side must be {wanted!r} for an exercise with per_side {self.per_side}")
        return self

    def needs_nothing(self) -> bool:
        return not self.equipment or any(not option for option in self.equipment)

    def equipment_for(self, available: Iterable[str]) -> list[str] | None:
        """The first equipment option the person has, or None when no option fits."""
        have = available if isinstance(available, frozenset | set) else set(available)
        if not self.equipment:
            return []
        for option in self.equipment:
            if set(option) <= have:
                return list(option)
        return None

    def suits_level(self, level: str) -> bool:
        return LEVEL_RANK[self.level] <= LEVEL_RANK[level]


class CatalogueError(ValueError):
    """The catalogue's entries do not fit together (a broken link, a cycle, a duplicate)."""


class Catalogue:
    """All entries, indexed by slug, with their ladders checked. Entries are frozen and the
    catalogue never changes after it is built, so ladders are walked once and kept."""

    def __init__(self, entries: Iterable[Exercise]) -> None:
        self._by_id: dict[str, Exercise] = {}
        self._ladders: dict[str, tuple[str, ...]] = {}
        for entry in entries:
            if entry.id in self._by_id:
                raise CatalogueError(f"duplicate exercise id {entry.id!r}")
            self._by_id[entry.id] = entry
        self._check_links()

    def _check_links(self) -> None:
        for entry in self._by_id.values():
            for label, target in (("easier", entry.easier), ("harder", entry.harder)):
                if target is not None and target not in self._by_id:
                    raise CatalogueError(f"{entry.id}: {label} link {target!r} is not in the catalogue")
            for alternative in entry.alternatives:
                if alternative not in self._by_id:
                    raise CatalogueError(f"{entry.id}: alternative {alternative!r} is not in the catalogue")
            if entry.family is not None and entry.family not in self._by_id:
                raise CatalogueError(f"{entry.id}: family {entry.family!r} is not in the catalogue")
        for entry in self._by_id.values():
            ladder = self.ladder(entry.id)
            families = {self._by_id[step].family_id for step in ladder}
            if len(families) != 1 or next(iter(families)) not in ladder:
                raise CatalogueError(
                    f"{entry.id}: every step of a ladder must share one family that is one of its steps "
                    f"(found {sorted(families)} on {ladder})"
                )
            patterns = {self._by_id[step].pattern for step in ladder}
            if len(patterns) != 1:
                raise CatalogueError(
                    f"{entry.id}: every step of a ladder must share one pattern (found {sorted(patterns)} on {ladder})"
                )
            if entry.harder is not None and self._by_id[entry.harder].easier != entry.id:
                raise CatalogueError(f"{entry.id}: harder is {entry.harder!r}, whose easier link must point back")
            if entry.easier is not None and self._by_id[entry.easier].harder != entry.id:
                raise CatalogueError(f"{entry.id}: easier is {entry.easier!r}, whose harder link must point back")

    def _walk(self, start: str, direction: str) -> list[str]:
        seen = [start]
        current = getattr(self._by_id[start], direction)
        while current is not None:
            if current in seen:
                raise CatalogueError(f"the {direction} links from {start!r} form a cycle")
            seen.append(current)
            current = getattr(self._by_id[current], direction)
        return seen

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_id

    def __getitem__(self, slug: str) -> Exercise:
        return self._by_id[slug]

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, slug: str) -> Exercise | None:
        return self._by_id.get(slug)

    @property
    def ids(self) -> Mapping[str, Exercise]:
        return self._by_id

    def ladder(self, slug: str) -> list[str]:
        """The whole ladder through ``slug``, easiest first (a new list: callers may change it)."""
        return list(self.ladder_steps(slug))

    def ladder_steps(self, slug: str) -> tuple[str, ...]:
        """``ladder`` as a tuple, walked once per slug."""
        found = self._ladders.get(slug)
        if found is None:
            down = self._walk(slug, "easier")
            up = self._walk(slug, "harder")
            found = self._ladders[slug] = (*reversed(down), *up[1:])
        return found
