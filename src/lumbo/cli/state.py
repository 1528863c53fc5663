"""`lumbo state check`: rebuild the folded progression state from the logs and compare.

Parse, call one service (lumbo.services.folded.check_state), translate errors.
"""

from __future__ import annotations

import typer

from lumbo.cli.common import UserError, fail

#: Exit code when the stored state did not equal the one rebuilt from the logs (it is
#: replaced by the rebuilt one): scripts can tell "repaired" from "all well" (0).
EXIT_DIFFERED = 1

state_app = typer.Typer(
    name="state",
    help="The folded progression state stored beside the logs.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@state_app.command("check")
def check() -> None:
    """Rebuild the progression state from the logged sessions (LUMBO_DATABASE_URL), store
    it, and say whether the stored state equalled it. Exit code 0 when it did, 1 when it
    differed or was missing (it is rebuilt now), 2 when the database cannot be used.

    Example: lumbo state check
    """
    from sqlalchemy.exc import SQLAlchemyError

    from lumbo.cli.reports import database, unit_of_work
    from lumbo.services.folded import check_state

    try:
        with database() as store:
            try:
                found = check_state(unit_of_work(store))
            except SQLAlchemyError as error:
                raise UserError(f"cannot check the state: {str(error).splitlines()[0]}") from None
    except UserError as error:
        fail(str(error))
    if not found.profile:
        typer.echo("No profile is stored, so there is no progression state to check.")
        return
    where = (
        f"{found.folded:,} of {found.sessions:,} finished sessions folded, "
        + (f"those from {found.horizon.isoformat()} on read as logs" if found.horizon else "none yet")
    )
    if found.matched:
        typer.echo(f"The stored progression state equals the one rebuilt from the logs ({where}).")
        return
    what = "differed from" if found.stored else "was missing beside"
    typer.echo(f"The stored progression state {what} the logs; it is rebuilt from them now ({where}).")
    raise typer.Exit(EXIT_DIFFERED)


def register(app: typer.Typer) -> None:
    app.add_typer(state_app, name="state")
