"""`lumbo serve`: the local web app on this computer."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from lumbo.cli.common import EXIT_BAD_INPUT, fail, one_line
from lumbo.config import DEFAULT_HOST, DEFAULT_PORT, LOCAL_HOSTS

LOCAL_ONLY = (
    "lumbo serves only this computer in local mode (there is no login yet): "
    "use --host 127.0.0.1, localhost or ::1, not {host!r}"
)


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
) -> None:
    """Start the web app at http://127.0.0.1:8765 (data in a local SQLite file by default).

    Example: lumbo serve --port 9000
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

    import uvicorn

    from lumbo.web.app import create_app

    try:
        app = create_app(settings.model_copy(update={"host": chosen_host, "port": chosen_port}))
    except Exception as error:  # the database cannot be opened or migrated
        fail(f"cannot open the database {settings.database_url}: {error}".splitlines()[0])
    shown = f"[{chosen_host}]" if ":" in chosen_host else chosen_host
    print(f"lumbo: serving on http://{shown}:{chosen_port} (Ctrl+C to stop)")
    uvicorn.run(
        app,
        host=chosen_host,
        port=chosen_port,
        workers=1,
        log_level="warning",
        access_log=False,  # a log record per request costs CPU even when filtered out
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "register", "serve"]
