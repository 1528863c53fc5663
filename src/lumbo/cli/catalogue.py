"""`lumbo catalogue` and `lumbo exercise ID`: browse the exercise catalogue."""

from __future__ import annotations

import difflib
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lumbo.cli.common import fail, shown

if TYPE_CHECKING:
    from lumbo.domain.catalogue import Catalogue, Dose, Exercise

FREQUENCY_TEXT = {
    "daily": "daily",
    "every_other_day": "every other day",
    "weekly": "1-2 times a week",
}


def load() -> Catalogue:
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.domain.catalogue import CatalogueError

    try:
        return default_catalogue()
    except CatalogueError as error:
        fail(f"the packaged catalogue is broken: {str(error).splitlines()[0]}")


def words(value: str) -> str:
    """A vocabulary word as plain words: ``lying_on_back`` -> ``lying on back``."""
    return value.replace("_", " ")


def equipment_text(entry: Exercise, most: int | None = None) -> str:
    """The equipment options as one phrase: ``foam roller, or ball, or ball + block``.

    With ``most``, list at most that many options and count the rest.
    """
    if entry.needs_nothing():
        return "none"
    options = [" + ".join(words(item) for item in option) for option in entry.equipment]
    if most is not None and len(options) > most:
        options = [*options[:most], f"{len(options) - most} more"]
    return ", or ".join(options)


def seconds(value: float) -> str:
    return f"{value:g} s"


def dose_text(entry: Exercise) -> str:
    """The starting dose in words, e.g. ``1 set of 10 reps per side (about 4 s each), rest 20 s``."""
    dose: Dose = entry.dose
    side = " per side" if entry.per_side else ""
    sets = f"{dose.sets} set{'s' if dose.sets > 1 else ''}"
    if dose.reps is not None:
        text = f"{sets} of {dose.reps} reps{side} (about {seconds(dose.seconds_per_rep)} each)"
    else:
        text = f"{sets}, hold {seconds(dose.hold_seconds or 0)}{side}"
        if dose.target_hold_seconds is not None:
            text += f", building up to {seconds(dose.target_hold_seconds)}"
    return f"{text}, rest {seconds(dose.rest_seconds)}"


def short_dose(entry: Exercise) -> str:
    """The dose for a table cell: ``1x10``, ``30 s``, with ``/side`` when one-sided."""
    dose = entry.dose
    amount = f"{dose.sets}x{dose.reps}" if dose.reps is not None else f"{dose.sets}x{dose.hold_seconds} s"
    return amount + ("/side" if entry.per_side else "")


def as_slug(text: str) -> str:
    """``Side_Plank `` -> ``side-plank``: how people mistype ids."""
    return "-".join(text.lower().replace("_", " ").split())


def suggestions(catalogue: Catalogue, wanted: str, limit: int = 3) -> list[str]:
    """The ids closest to ``wanted``: spelling first, then ids or names that contain it."""
    slug = as_slug(wanted)
    ids = list(catalogue.ids)
    found = difflib.get_close_matches(slug, ids, n=limit, cutoff=0.5)
    if len(found) < limit and slug:
        for entry in catalogue:
            names = [entry.id, entry.name.lower(), *(alias.lower() for alias in entry.aliases)]
            if entry.id not in found and any(slug in "-".join(name.split()) for name in names):
                found.append(entry.id)
            if len(found) == limit:
                break
    return found


def find(catalogue: Catalogue, wanted: str) -> Exercise:
    """The entry with this id, or with this name or alias (any case); else exit 2 with hints."""
    entry = catalogue.get(wanted) or catalogue.get(as_slug(wanted))
    if entry is not None:
        return entry
    folded = " ".join(wanted.lower().split())
    for candidate in catalogue:
        if folded in {candidate.name.lower(), *(alias.lower() for alias in candidate.aliases)}:
            return candidate
    hints = suggestions(catalogue, wanted)
    if hints:
        fail(f"unknown exercise {shown(wanted)}; did you mean: {', '.join(hints)}?")
    fail(f"unknown exercise {shown(wanted)}; 'lumbo catalogue' lists them all")


def summary_row(entry: Exercise) -> dict[str, Any]:
    """One entry as the JSON object `lumbo catalogue --json` prints."""
    return {
        "id": entry.id,
        "name": entry.name,
        "category": entry.category,
        "targets": list(entry.targets),
        "equipment": [list(option) for option in entry.equipment],
        "per_side": entry.per_side,
        "easier": entry.easier,
        "harder": entry.harder,
        "family": entry.family_id,
        "frequency": entry.frequency,
        "stages": list(entry.stages),
        "level": entry.level,
        # The articles by title and author: seed file names stay inside lumbo.
        "sources": source_labels(entry.sources),
    }


def source_labels(names: list[str]) -> list[str]:
    from lumbo.domain.sources import labels

    return labels(names)


def table(entries: list[Exercise]) -> str:
    headers = ("id", "category", "level", "dose", "how often", "targets", "equipment")
    rows = [
        (
            entry.id,
            entry.category,
            entry.level,
            short_dose(entry),
            FREQUENCY_TEXT[entry.frequency],
            ", ".join(words(area) for area in entry.targets) or "-",
            equipment_text(entry, most=3),
        )
        for entry in entries
    ]
    widths = [max(len(row[column]) for row in [headers, *rows]) for column in range(len(headers) - 1)]

    def line(cells: tuple[str, ...]) -> str:
        padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=False)]
        return "  ".join([*padded, cells[-1]]).rstrip()

    return "\n".join([line(headers), line(tuple("-" * len(h) for h in headers)), *map(line, rows)])


def catalogue_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of the entries.")] = False,
    category: Annotated[
        str | None, typer.Option("--category", metavar="WORD", help="Only this category, e.g. stretch or release.")
    ] = None,
    area: Annotated[
        str | None, typer.Option("--area", metavar="WORD", help="Only entries that target this area, e.g. hamstrings.")
    ] = None,
) -> None:
    """List every exercise in the catalogue.

    Example: lumbo catalogue --category release
    """
    from lumbo.domain.words import AREAS, CATEGORIES

    if category is not None and category not in CATEGORIES:
        fail(f"unknown category {shown(category)}; choose one of: {', '.join(CATEGORIES)}")
    if area is not None and area not in AREAS:
        fail(f"unknown area {shown(area)}; choose one of: {', '.join(AREAS)}")
    order = {name: rank for rank, name in enumerate(CATEGORIES)}
    entries = sorted(
        (
            entry
            for entry in load()
            if (category is None or entry.category == category) and (area is None or area in entry.targets)
        ),
        key=lambda entry: (order[entry.category], entry.family_id, entry.id),
    )
    if as_json:
        typer.echo(json.dumps([summary_row(entry) for entry in entries], indent=2))
        return
    if not entries:
        typer.echo("No exercise matches.")
        return
    typer.echo(table(entries))
    typer.echo(f"\n{len(entries)} exercises. Details of one: lumbo exercise ID")


def exercise_command(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id, e.g. glute-bridge.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole entry as JSON.")] = False,
) -> None:
    """Show one exercise: dose, how to do it, what to avoid, safety, ladder and where it comes from.

    Example: lumbo exercise side-plank
    """
    catalogue = load()
    entry = find(catalogue, exercise_id)
    ladder = catalogue.ladder(entry.id)
    if as_json:
        data = entry.model_dump(mode="json")
        data["family"] = entry.family_id
        data["ladder"] = ladder
        data["sources"] = source_labels(entry.sources)
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(render_entry(entry, ladder))


def render_entry(entry: Exercise, ladder: list[str]) -> str:
    lines = [f"{entry.name} ({entry.id})"]
    if entry.aliases:
        lines.append(f"Also called: {', '.join(entry.aliases)}")
    lines += [
        f"{entry.category.capitalize()} | {entry.level} | {words(entry.position)} | "
        f"{FREQUENCY_TEXT[entry.frequency]} | stages: {', '.join(entry.stages)}",
        f"Targets: {', '.join(words(area) for area in entry.targets) or '-'}",
        f"Equipment: {equipment_text(entry)}",
        f"Dose: {dose_text(entry)}",
        "",
        entry.summary,
        f"Why: {entry.why}",
        "",
        "How to do it:",
        *(f"  {number}. {cue}" for number, cue in enumerate(entry.cues, start=1)),
        "Avoid:",
        *(f"  - {mistake}" for mistake in entry.mistakes),
        "Safety:",
        *(f"  - {line}" for line in entry.safety),
        "  - Discomfort is okay; pain is not. Stop if it hurts.",
        "",
    ]
    if len(ladder) > 1:
        steps = [f"[{step}]" if step == entry.id else step for step in ladder]
        lines.append(f"Ladder (easier -> harder): {' -> '.join(steps)}")
    else:
        lines.append("Ladder: none (a single step)")
    if entry.alternatives:
        lines.append(f"Alternatives: {', '.join(entry.alternatives)}")
    found = source_labels(entry.sources)
    if found:
        from lumbo.cli.lessons import sources_note

        lines += ["", sources_note(found)]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.command("catalogue")(catalogue_command)
    app.command("exercise")(exercise_command)
