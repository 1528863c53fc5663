"""`lumbo handout`, `lumbo calendar`, `lumbo fhir`, `lumbo export` and `lumbo import`.

Each command parses its options, calls one service or report function, and turns every
problem with the input (a missing file, a bad date or time, a folder it cannot write to, an
export from a newer lumbo) into one line on stderr and exit code 2.

`handout`, `calendar` and `fhir` plan from files with ``--profile`` (and ``--history``), or
without them from the stored data (:func:`stored_decision`), as the web app's downloads do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, cast

import typer

from lumbo.cli.common import (
    UserError,
    check_range,
    check_target,
    fail,
    is_stdout,
    load_model,
    parse_start,
    shown,
    write_output,
)

if TYPE_CHECKING:
    from lumbo.adapters.unit_of_work import Database
    from lumbo.domain.model import Decision, History, Profile
    from lumbo.ports import UnitOfWork

MAX_DAYS = 90

ProfileOpt = Annotated[
    Path | None,
    typer.Option("--profile", metavar="FILE", help="Intake profile JSON (see `lumbo schema`)."),
]
HistoryOpt = Annotated[
    Path | None, typer.Option("--history", metavar="FILE", help="History JSON of logged sessions.")
]
StartOpt = Annotated[
    str | None,
    typer.Option("--start", metavar="YYYY-MM-DD", help="First day of the plan (default: today)."),
]
DaysOpt = Annotated[
    int, typer.Option("--days", metavar="N", help=f"How many days to plan (1-{MAX_DAYS}).")
]
OutputOpt = Annotated[
    Path,
    typer.Option("-o", "--output", metavar="FILE", help="File to write; - for standard output."),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace the output file if it exists (keeping its mode).")
]
KeyOpt = Annotated[
    str,
    typer.Option(
        "--key",
        metavar="NAME",
        help="A stable name for this person (keeps calendar UIDs and FHIR ids the same across exports).",
    ),
]


def wrote(output: Path, message: str) -> None:
    """Say what was written, unless the data itself went to standard output."""
    if not is_stdout(output):
        typer.echo(message)


def load_inputs(profile_path: Path, history_path: Path | None) -> tuple[Profile, History | None]:
    from lumbo.domain.model import History, Profile

    profile = load_model(profile_path, Profile, "profile")
    history = load_model(history_path, History, "history") if history_path else None
    return profile, history


def decide_from_files(
    profile_path: Path, history_path: Path | None, start: str | None, days: int
) -> tuple[Decision, Profile, History | None]:
    """The decision for the profile and history files (the whole history is replayed)."""
    from lumbo.services import decide

    first_day = parse_start(start)
    check_range(first_day, days, MAX_DAYS)
    profile, history = load_inputs(profile_path, history_path)
    return decide(profile, history, first_day, days), profile, history


def _no_history_without_profile(history: Path | None) -> None:
    if history is not None:
        raise UserError("--history needs --profile too (or neither, to use the stored data)")


def handout(
    output: OutputOpt,
    profile: ProfileOpt = None,
    history: HistoryOpt = None,
    start: StartOpt = None,
    days: DaysOpt = 7,
    paper: Annotated[str, typer.Option("--paper", metavar="SIZE", help="Paper size: a4 or letter.")] = "a4",
    force: ForceOpt = False,
) -> None:
    """Write a printable PDF of the plan, or a one-page referral sheet when the screen refers.

    With --profile (and --history) it reads files; without, the stored profile and log. The
    progress section charts the sessions of the last 12 weeks up to today.

    Example: lumbo handout --profile me.json --history log.json --paper letter -o plan.pdf
    Example: lumbo handout -o plan.pdf
    """
    from lumbo.reports.handout import PAPERS, handout_pdf

    try:
        check_target(output, force=force, binary=True)
        if paper.lower() not in PAPERS:
            raise UserError(f"--paper must be a4 or letter (got {shown(paper)})")
        if profile is not None:
            decision, person, past = decide_from_files(profile, history, start, days)
            today = dt.date.today()
        else:
            _no_history_without_profile(history)
            stored = stored_decision(start, days, logs="recent")
            decision, person, past, today = stored.decision, stored.profile, stored.history, stored.today
        pdf = handout_pdf(
            decision,
            history=past,
            paper="letter" if paper.lower() == "letter" else "a4",
            profile=person,
            today=today,
        )
        write_output(output, pdf, force=force, binary=True)
    except UserError as error:
        fail(str(error))
    kind = "referral sheet" if decision.status == "refer" else "handout"
    wrote(output, f"Wrote the {kind} to {output}")


def calendar(
    output: OutputOpt,
    at: Annotated[
        str, typer.Option("--at", metavar="HH:MM", help="Start time of each day's sessions.")
    ],
    profile: ProfileOpt = None,
    history: HistoryOpt = None,
    start: StartOpt = None,
    days: DaysOpt = 7,
    key: KeyOpt = "lumbo",
    force: ForceOpt = False,
) -> None:
    """Write one calendar event per planned session (iCalendar, local floating time).

    With --profile (and --history) it reads files; without, the stored profile and log.

    Example: lumbo calendar --profile me.json --at 07:30 -o plan.ics
    """
    from lumbo.reports.calendar import NoPlanError, build_calendar, parse_time

    try:
        check_target(output, force=force)
        try:
            time_of_day = parse_time(at)
        except ValueError as error:
            raise UserError(f"--at: {error}") from None
        if profile is not None:
            decision, _, _ = decide_from_files(profile, history, start, days)
        else:
            _no_history_without_profile(history)
            decision = stored_decision(start, days).decision
        try:
            data = build_calendar(decision, at=time_of_day, profile_key=key)
        except NoPlanError as error:
            raise UserError(f"no calendar written: {error} (see `lumbo plan`)") from None
        write_output(output, data, force=force)
    except UserError as error:
        fail(str(error))
    events = sum(1 for day in decision.days for session in day.sessions if session.items)
    wrote(output, f"Wrote {events} events to {output}")


def fhir(
    output: OutputOpt,
    profile: ProfileOpt = None,
    history: HistoryOpt = None,
    start: StartOpt = None,
    days: DaysOpt = 7,
    key: KeyOpt = "lumbo",
    force: ForceOpt = False,
) -> None:
    """Write a FHIR R4 Bundle: Patient, CarePlan (the exercises) and pain Observations.

    With --profile (and --history) it reads files; without, the stored profile and log.

    Example: lumbo fhir --profile me.json --history log.json -o bundle.json
    """
    import json

    from lumbo.reports.fhir import build_bundle, validate_bundle

    try:
        check_target(output, force=force)
        past: History | None
        if profile is not None:
            decision, _, past = decide_from_files(profile, history, start, days)
        else:
            _no_history_without_profile(history)
            stored = stored_decision(start, days, logs="all")
            decision, past = stored.decision, stored.history
        bundle = build_bundle(decision, past, profile_key=key)
        validate_bundle(bundle)
        text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
        write_output(output, text.encode("utf-8"), force=force)
    except UserError as error:
        fail(str(error))
    wrote(output, f"Wrote a FHIR bundle with {len(bundle['entry'])} resources to {output}")


@contextmanager
def database() -> Iterator[Database]:
    """The configured database (LUMBO_DATABASE_URL), migrated; problems become UserError."""
    from sqlalchemy.exc import SQLAlchemyError

    from lumbo.adapters.unit_of_work import open_database
    from lumbo.config import SettingsError, get_settings

    try:
        url = get_settings().database_url
    except SettingsError as error:
        raise UserError(str(error)) from None
    try:
        store = open_database(url)
    except (SQLAlchemyError, OSError) as error:
        raise UserError(f"cannot open the database: {str(error).splitlines()[0]}") from None
    try:
        yield store
    finally:
        store.dispose()


def unit_of_work(store: Database) -> UnitOfWork:
    """A unit of work typed as the port the services take."""
    return cast("UnitOfWork", store.unit_of_work())


#: Which logs a report reads with the stored decision: none, the last weeks, or all of them.
Logs = Literal["none", "recent", "all"]


@dataclass(frozen=True)
class Stored:
    """What a report takes from the database: the decision, the profile, the logs it asked for."""

    decision: Decision
    profile: Profile
    history: History | None
    #: The day the report is made (the end of the "recent" logs).
    today: dt.date


def stored_decision(start: str | None, days: int, logs: Logs = "none") -> Stored:
    """The decision from the database (``lumbo serve``'s data), planned as the web app plans:
    from the stored folded progression state and the last weeks of logs, not a replay of
    every log (``records.stored_plan``: read only, nothing is kept). ``logs="recent"`` also
    reads the sessions of the last ``records.RECENT_WEEKS`` weeks up to today (the handout's
    progress section), ``logs="all"`` every session (the FHIR bundle lists them all).
    """
    from lumbo.adapters.clock import SystemClock
    from lumbo.services import records
    from lumbo.services.errors import RecordsError

    clock = SystemClock()
    first_day = parse_start(start)
    check_range(first_day, days, MAX_DAYS)
    today = clock.today()
    past: History | None = None
    with database() as store:
        profile = records.get_profile(unit_of_work(store))
        if profile is None:
            raise UserError(
                "no profile is stored yet: give --profile FILE, or fill in the intake in the web app"
            )
        try:
            decision = records.stored_plan(unit_of_work(store), first_day, days)
        except RecordsError as error:
            raise UserError(str(error)) from None
        if logs == "recent":
            past = records.recent_history(unit_of_work(store), today, weeks=records.RECENT_WEEKS)
        elif logs == "all":
            past = records.history(unit_of_work(store))
    return Stored(decision=decision, profile=profile, history=past, today=today)


def export(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Write one JSON document here; - for standard output."
        ),
    ] = None,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", metavar="FOLDER", help="Write sessions.csv and items.csv into this folder."),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Export everything stored: one versioned JSON document, or CSV files for spreadsheets.

    Example: lumbo export -o lumbo-backup.json
    Example: lumbo export --csv ./lumbo-csv
    """
    import json

    from lumbo.services import records

    try:
        if (output is None) == (csv is None):
            raise UserError("give either -o FILE.json or --csv FOLDER")
        if output is not None:
            check_target(output, force=force)
        if csv is not None:
            check_csv_folder(csv, force)
        with database() as store:
            document = records.export_document(unit_of_work(store))
            sessions = records.list_sessions(unit_of_work(store)) if csv is not None else []
        if output is not None:
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            write_output(output, text.encode("utf-8"), force=force)
            wrote(output, f"Exported {len(document['sessions'])} sessions to {output}")
        if csv is not None:
            from lumbo.reports.csv_export import csv_tables

            try:
                csv.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise UserError(f"cannot create the folder {csv}: {error.strerror or error}") from None
            paths = [csv / name for name in csv_tables([])]
            for path, text in zip(paths, csv_tables(sessions).values(), strict=True):
                write_output(path, text.encode("utf-8"), force=force)
            typer.echo(f"Wrote {', '.join(str(path) for path in paths)}")
    except UserError as error:
        fail(str(error))


def check_csv_folder(folder: Path, force: bool) -> None:
    """``--csv FOLDER``: a folder (or a name for a new one) whose CSV files may be written."""
    from lumbo.reports.csv_export import csv_tables

    if is_stdout(folder):
        raise UserError("--csv needs a folder; for standard output use -o - (one JSON document)")
    if folder.exists() and not folder.is_dir():
        raise UserError(f"cannot write CSV files into {folder}: it is a file, not a folder")
    if folder.is_dir():
        for name in csv_tables([]):
            check_target(folder / name, force=force)


def import_(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A JSON document made by `lumbo export`.")
    ],
) -> None:
    """Import an export into an empty database (all or nothing).

    Example: lumbo import lumbo-backup.json
    """
    from lumbo.cli.common import read_json
    from lumbo.services import records
    from lumbo.services.errors import RecordsError

    try:
        document = read_json(file, "export")
        with database() as store:
            try:
                records.import_document(unit_of_work(store), document)
            except RecordsError as error:
                raise UserError(f"nothing imported: {error}") from None
    except UserError as error:
        fail(str(error))
    typer.echo(f"Imported {file}")


def register(app: typer.Typer) -> None:
    app.command("handout")(handout)
    app.command("calendar")(calendar)
    app.command("fhir")(fhir)
    app.command("export")(export)
    app.command("import")(import_)
