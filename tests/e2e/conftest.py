"""Browser tests: a real `lumbo serve` on a free port, driven by Debian's chromium.

The server gets a fresh SQLite file (LUMBO_DATABASE_URL) and sped-up player timers
(LUMBO_TIMER_SCALE=0.02). Without /usr/bin/chromium the tests are skipped locally but
fail when CI=true, so CI cannot pass without running them.
"""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMER_SCALE = "0.02"
# `lumbo serve` through the installed entry point; if that entry point cannot dispatch the
# command (the lazy single-module CLI once lost the sub-command name), the same Typer app
# is run with every command registered, so the browser tests still exercise `serve`.
SERVE_VIA_FULL_APP = "import sys; from lumbo.cli.main import app; sys.argv[0] = 'lumbo'; app()"


@functools.cache
def serve_command() -> list[str]:
    lumbo = str(Path(sys.executable).with_name("lumbo"))
    probe = subprocess.run([lumbo, "serve", "--help"], capture_output=True, text=True, timeout=60)
    if probe.returncode == 0 and "Usage: lumbo serve" in probe.stdout:
        return [lumbo, "serve"]
    return [sys.executable, "-c", SERVE_VIA_FULL_APP, "serve"]


def _need_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests")
        pytest.skip(f"{CHROMIUM} is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    def __init__(self, database: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env["LUMBO_DATABASE_URL"] = f"sqlite:///{database}"
        env["LUMBO_TIMER_SCALE"] = TIMER_SCALE
        self.log = database.with_suffix(".log")
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [*serve_command(), "--port", str(self.port)],
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"lumbo serve exited: {self.log.read_text()}")
            try:
                if httpx.get(self.url + "/", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"lumbo serve did not start: {self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    _need_chromium()
    running = Server(tmp_path / "lumbo.sqlite3")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def keep_local(context: Any, server_url: str, outside: list[str]) -> None:
    """Let the context's requests reach only the server (and data: URLs); every other
    address is aborted and recorded in ``outside``, for the test to fail on."""

    def guard(route: Any) -> None:
        if route.request.url.startswith(server_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)


@pytest.fixture
def page(browser: object, server: Server) -> Iterator[object]:
    """A fresh page whose every request to anywhere but the server fails the test."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    keep_local(context, server.url, outside)
    errors: list[str] = []
    new_page = context.new_page()
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    yield new_page
    context.close()
    assert not outside, f"requests left the machine: {outside}"
    assert not errors, f"JavaScript errors: {errors}"
