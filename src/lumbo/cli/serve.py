"""`lumbo serve`: the local web app on this computer."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lumbo.cli.common import EXIT_BAD_INPUT, fail, one_line
from lumbo.config import DEFAULT_HOST, DEFAULT_PORT, LOCAL_HOSTS

if TYPE_CHECKING:
    from lumbo.config import Settings

LOCAL_ONLY = (
    "lumbo serves only this computer in local mode (there is no login yet): "
    "use --host 127.0.0.1, localhost or ::1, not {host!r}"
)


#: More workers than cores only adds switching: the default stops at the cores, up to this.
DEFAULT_WORKERS_CAP = 4
MAX_WORKERS = 64
#: The factory each worker process calls (lumbo.web.app.create_worker_app).
WORKER_APP = "lumbo.web.app:create_worker_app"


def check_host(host: str) -> None:
    if host not in LOCAL_HOSTS:
        raise ValueError(LOCAL_ONLY.format(host=host))


def port_problem(host: str, port: int) -> str | None:
    """Why ``port`` cannot be used on ``host``, or None when it is free."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return f"cannot listen on {host}:{port} ({error.strerror}): is lumbo already running? try --port"
    return None


def serve(
    host: Annotated[
        str | None, typer.Option(metavar="ADDRESS", help="Address to listen on (local only). Default: LUMBO_HOST or 127.0.0.1")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, metavar="PORT", help="Port to listen on. Default: LUMBO_PORT or 8765"),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            metavar="N",
            help=f"Worker processes sharing the database. Default: the number of cores, at most {DEFAULT_WORKERS_CAP}",
        ),
    ] = None,
) -> None:
    """Start the web app at http://127.0.0.1:8765 (data in a local SQLite file by default).

    Example: lumbo serve --port 9000 --workers 2
    """
    from lumbo.config import SettingsError, get_settings

    try:
        settings = get_settings()
    except SettingsError as error:
        fail(str(error))
    chosen_host = host if host is not None else settings.host
    chosen_port = port if port is not None else settings.port
    try:
        check_host(chosen_host)
    except ValueError as error:
        # The message already starts with "lumbo", so no "lumbo:" prefix here.
        print(one_line(str(error)), file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT) from None
    problem = port_problem(chosen_host, chosen_port)
    if problem:
        fail(problem)

    chosen_workers = workers if workers is not None else default_workers()
    if chosen_workers > 1 and not shareable(settings.database_url):
        fail("an in-memory database cannot be shared by several workers: use --workers 1 or a file")

    import uvicorn

    from lumbo.web.app import create_app

    chosen = settings.model_copy(update={"host": chosen_host, "port": chosen_port})
    shown = f"[{chosen_host}]" if ":" in chosen_host else chosen_host
    options: dict[str, Any] = {
        "host": chosen_host,
        "port": chosen_port,
        "log_level": "warning",
        "access_log": False,  # a log record per request costs CPU even when filtered out
    }
    if chosen_workers == 1:
        try:
            app = create_app(chosen)
        except Exception as error:  # the database cannot be opened or migrated
            fail(f"cannot open the database {settings.database_url}: {error}".splitlines()[0])
        freeze_startup_objects()
        print(f"lumbo: serving on http://{shown}:{chosen_port} (Ctrl+C to stop)")
        uvicorn.run(app, workers=1, **options)
        return
    try:
        prepare_workers(chosen)
    except Exception as error:  # the database cannot be opened or migrated
        fail(f"cannot open the database {settings.database_url}: {error}".splitlines()[0])
    print(f"lumbo: serving on http://{shown}:{chosen_port} with {chosen_workers} workers (Ctrl+C to stop)")
    # Each worker process imports the app factory afresh (uvicorn starts them with "spawn").
    uvicorn.run(WORKER_APP, factory=True, workers=chosen_workers, **options)



def default_workers() -> int:
    """The number of cores this process may use, at most DEFAULT_WORKERS_CAP."""
    import os

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, DEFAULT_WORKERS_CAP))


def shareable(database_url: str) -> bool:
    """Whether several processes can open the same database (not an in-memory SQLite one)."""
    if not database_url.startswith("sqlite"):
        return True
    path = database_url.split("?", 1)[0].split("///", 1)[-1] if "///" in database_url else ""
    return path not in ("", ":memory:")


def prepare_workers(settings: Settings) -> None:
    """What must happen once, before the workers start: migrate the database, and settle
    the form-token key so every worker signs with the same one (the key file beside a
    SQLite database is made here; otherwise a key for this run is handed down)."""
    import os

    from lumbo.adapters.unit_of_work import open_database
    from lumbo.web.security import secret_for

    open_database(settings.database_url).dispose()  # migrates
    secret = secret_for(settings.database_url, settings.secret_key)
    if not settings.secret_key:
        # Only this process's children see it (the environment of a process is private
        # to its user); a SQLite file's key is in its key file anyway.
        os.environ[WORKER_SECRET_ENV] = secret.hex()
    os.environ["LUMBO_HOST"] = settings.host
    os.environ["LUMBO_PORT"] = str(settings.port)


#: The form-token key handed from `lumbo serve` to its workers (see prepare_workers).
WORKER_SECRET_ENV = "LUMBO_SECRET_KEY"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "register", "serve"]


def freeze_startup_objects() -> None:
    """Move everything built at start-up (the app, the catalogue, the libraries) out of the
    garbage collector's reach: they live as long as the process, and the collector's
    passes over them cost every request CPU time."""
    import gc

    gc.collect()
    gc.freeze()
