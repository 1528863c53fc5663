"""Installable and offline: the web app manifest and the service worker, served from the root.

The worker (static/sw.js) must be served from ``/`` to control every page (a worker's scope
is at most its own folder), so ``/sw.js`` returns the file with ``Service-Worker-Allowed: /``.
Its ``__LUMBO_VERSION__`` is replaced by a hash of the static files and ``__LUMBO_SHELL__``
by their paths: any changed file gives a new worker, which installs a fresh shell cache.
Files under ``static/vendor/`` and files over ``SHELL_MAX_BYTES`` are not cached up front.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
WORKER_FILE = "sw.js"
MANIFEST_FILE = "manifest.webmanifest"
SHELL_MAX_BYTES = 512 * 1024
_NOT_SHELL = {WORKER_FILE, MANIFEST_FILE}


def _static_files() -> list[tuple[str, int, int]]:
    """(path under static/, size, mtime in ns) of every static file, sorted."""
    files = []
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            stat = path.stat()
            files.append((path.relative_to(STATIC_DIR).as_posix(), stat.st_size, stat.st_mtime_ns))
    return files


@lru_cache(maxsize=4)
def _worker_source(files: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _size, _mtime in files:
        digest.update(name.encode() + b"\0" + (STATIC_DIR / name).read_bytes() + b"\0")
    shell = [
        f"/static/{name}"
        for name, size, _mtime in files
        if name not in _NOT_SHELL and not name.startswith("vendor/") and size <= SHELL_MAX_BYTES
    ]
    shell.append("/manifest.webmanifest")
    source = (STATIC_DIR / WORKER_FILE).read_text(encoding="utf-8")
    return source.replace("__LUMBO_VERSION__", digest.hexdigest()[:16]).replace(
        "__LUMBO_SHELL__", json.dumps(shell).replace("\\", "\\\\").replace("'", "\\'")
    )


def worker_source() -> str:
    """sw.js with its version and shell filled in (re-read when a static file changes)."""
    return _worker_source(tuple(_static_files()))


@router.get("/sw.js")
def service_worker() -> Response:
    return Response(
        worker_source(),
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/"},
    )


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return Response((STATIC_DIR / MANIFEST_FILE).read_bytes(), media_type="application/manifest+json")
