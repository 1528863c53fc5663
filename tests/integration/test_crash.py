"""Kill -9 the server right after a log is acknowledged; after a restart the log is there."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

API = "/api/v1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(database: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LUMBO_DATABASE_URL": f"sqlite:///{database}"}
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("lumbo")), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"lumbo serve exited early: {error}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{API}/openapi.json", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("lumbo serve did not start within 30 s")


def test_an_acknowledged_log_survives_kill_9(tmp_path: Path) -> None:
    database = tmp_path / "crash.sqlite3"
    port = free_port()
    base = f"http://127.0.0.1:{port}{API}"
    server = start_server(database, port)
    try:
        session = httpx.post(f"{base}/sessions", json={"date": "2026-11-23"}).json()["session"]
        logged = httpx.post(
            f"{base}/sessions/{session['id']}/items",
            json={"exercise": "glute-bridge", "hold_seconds": 33, "rating": "hard", "position": 0},
        )
        assert logged.status_code == 201
        # No grace: the process dies the moment the answer is in.
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    restarted = start_server(database, port)
    try:
        stored = httpx.get(f"{base}/sessions/{session['id']}")
        assert stored.status_code == 200
        items = stored.json()["items"]
        assert [(i["item"]["hold_seconds"], i["item"]["rating"]) for i in items] == [(33, "hard")]
        # and the half-done session is offered for resuming
        assert httpx.get(f"{base}/sessions/unfinished").json()["session"]["id"] == session["id"]
    finally:
        restarted.terminate()
        restarted.wait(timeout=10)
