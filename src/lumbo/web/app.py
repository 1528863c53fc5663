"""`create_app(settings)`: the FastAPI app (pages, JSON API, downloads) over one database.

Nothing is built at import time; the database is migrated when the app is created.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from lumbo.config import Settings, get_settings
from lumbo.ports import Clock, StoreRefused
from lumbo.services.errors import Conflict, NotFound, RecordsError
from lumbo.single_flight import SingleFlight
from lumbo.web.page_cache import PageCache

if TYPE_CHECKING:
    from lumbo.adapters.unit_of_work import Database

STATIC_DIR = Path(__file__).resolve().parent / "static"
API_PREFIX = "/api/v1"


class LumboApp(FastAPI):
    """FastAPI with a front door (web/security.py ``front_door``): requests go to ``front``
    when it is set, which answers what it can and hands the rest to ``framework``."""

    front: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        front = self.front
        if front is None:
            await super().__call__(scope, receive, send)
        else:
            await front(scope, receive, send)

    async def framework(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app without its front door."""
        await super().__call__(scope, receive, send)


def error_status(error: RecordsError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Conflict):
        return 409
    return 422


def one_line(errors: list[dict[str, object]]) -> str:
    """The first validation problem as one line naming the field."""
    if not errors:
        return "the request is not valid"
    first = errors[0]
    location = first.get("loc")
    parts = [
        str(part)
        for part in (location if isinstance(location, (list, tuple)) else ())
        if part not in ("body", "query", "path")
    ]
    where = ".".join(parts) or "request"
    message = str(first.get("msg", "not valid")).removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return f"{where}: {message}{more}"


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    if request.url.path.startswith(API_PREFIX):
        errors = [dict(entry) for entry in error.errors()]
        for entry in errors:
            entry.pop("input", None)  # do not echo (possibly large) input back
            entry.pop("ctx", None)  # may hold exception objects that are not JSON
        return JSONResponse(
            status_code=422, content={"detail": one_line(errors), "errors": errors}
        )
    return await request_validation_exception_handler(request, error)


async def _store_refused(request: Request, error: Exception) -> Response:
    return JSONResponse(
        status_code=422, content={"detail": f"the database refused a value: {error}"}
    )


async def _not_found(request: Request, error: Exception) -> Response:
    """Unknown addresses: a page with the site's layout and a way back, except under the
    JSON API, which keeps answering JSON ({"detail": ...})."""
    assert isinstance(error, StarletteHTTPException)
    if request.url.path == "/api" or request.url.path.startswith("/api/"):
        return await http_exception_handler(request, error)
    from lumbo.web.pages.common import render

    return render(request, "not_found.html", {"what": "page"}, 404)


async def _records_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RecordsError)
    return JSONResponse(status_code=error_status(error), content={"detail": str(error)})


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    database: Database | None = None,
) -> FastAPI:
    """The whole web app. ``clock`` and ``database`` may be given by tests."""
    from lumbo.adapters.clock import SystemClock
    from lumbo.adapters.unit_of_work import open_database
    from lumbo.web import api, downloads, pages, security
    from lumbo.web.pages.plan import PlanHitAnswers, PlanPageHits

    settings = settings or get_settings()
    app = LumboApp(
        title="lumbo",
        summary="A safe, personal exercise coach for everyday lower back pain (local mode).",
        version="1",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: serve only the JSON schema
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        # No OpenTelemetry: nothing leaves the machine, and FastAPI's per-request check for
        # configured providers cost ~10 % of a cached page view.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.clock = clock or SystemClock()
    app.state.database = database or open_database(settings.database_url)
    app.state.page_cache = PageCache()
    app.state.plan_flights = SingleFlight()
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(RecordsError, _records_error)
    app.add_exception_handler(StoreRefused, _store_refused)
    app.add_exception_handler(404, _not_found)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(downloads.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    # Added first, so it runs inside every protection that security.install adds.
    plan_hits = PlanHitAnswers(app.state)
    app.add_middleware(PlanPageHits, answers=plan_hits)
    secret = security.secret_for(settings.database_url, settings.secret_key)
    security.install(app, secret=secret, allowed_hosts=settings.allowed_hosts)
    app.front = security.front_door(
        app.framework,
        secret=secret,
        allowed_hosts=settings.allowed_hosts,
        fast_answers={"/plan": plan_hits},
    )
    return app


def create_worker_app() -> FastAPI:
    """The app of one worker process of ``lumbo serve --workers N`` (a uvicorn factory).

    Settings come from the environment (``lumbo serve`` sets host, port and, when none is
    configured, the form-token key before starting the workers); ``lumbo serve`` has
    migrated the database already, so workers starting together never race to migrate.
    """
    from lumbo.adapters.unit_of_work import open_database

    settings = get_settings()
    from lumbo.cli.serve import freeze_startup_objects

    app = create_app(settings, database=open_database(settings.database_url, migrate=False))
    _stop_with_parent()
    freeze_startup_objects()
    return app


#: How often a worker checks that `lumbo serve` (its parent) is still there.
PARENT_CHECK_SECONDS = 0.5
#: How long a worker may take to stop by itself after its parent is gone.
ORPHAN_GRACE_SECONDS = 5.0


def _stop_with_parent() -> None:
    """Stop this worker when its parent goes without stopping it (``kill -9``): an orphan
    would go on serving the port on its own. SIGTERM asks uvicorn to stop as usual;
    after ORPHAN_GRACE_SECONDS the process ends regardless."""
    import os
    import signal
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(ORPHAN_GRACE_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="lumbo-parent-watch", daemon=True).start()
