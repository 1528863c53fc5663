"""`lumbo serve --workers 2` as a real process: every worker answers with the latest data.

Each worker keeps its own page cache and decision memo, keyed by the revision stored in the
database, so a write made through one worker must show in the other's answers at once.
Which worker holds a connection is read from /proc (Linux), so the test knows both answered.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

LUMBO = str(Path(sys.executable).with_name("lumbo"))
SITTING = "Break up long sitting"
PROFILE = {"pain_now": 3, "pain_worst_week": 5, "duration_weeks": 6, "minutes_per_day": 15}

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc (Linux)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def request(port: int, method: str, path: str, body: dict[str, object] | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    finally:
        connection.close()


def wait_until_serving(port: int, process: subprocess.Popen[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            if request(port, "GET", "/api/v1/openapi.json")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("lumbo serve --workers 2 did not answer")


def workers_of(parent: int) -> list[int]:
    """The worker processes (uvicorn starts them with multiprocessing's spawn)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def holders(workers: list[int], port: int) -> dict[int, int]:
    """Client port -> the worker holding the server side of that connection."""
    server_side: dict[str, int] = {}  # socket inode -> client port
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
        if state == "01" and int(local.split(":")[1], 16) == port:
            server_side[inode] = int(remote.split(":")[1], 16)
    found = {}
    for pid in workers:
        try:
            descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for descriptor in descriptors:
            try:
                target = os.readlink(descriptor)
            except OSError:
                continue
            if target.startswith("socket:["):
                client_port = server_side.get(target[8:-1])
                if client_port is not None:
                    found[client_port] = pid
    return found


def read_from_both_workers(port: int, workers: list[int], rounds: int = 8, per_round: int = 16) -> list[str]:
    """GET /plan over fresh connections, kept open until /proc shows who answered each,
    until both workers have answered (the kernel hands connections to either)."""
    pages: list[str] = []
    answered: set[int] = set()
    for _ in range(rounds):
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(per_round)]
        try:
            for connection in connections:
                connection.request("GET", "/plan")
                answer = connection.getresponse()
                assert answer.status == 200
                pages.append(answer.read().decode())
            held = holders(workers, port)
            for connection in connections:
                assert connection.sock is not None
                client_port = connection.sock.getsockname()[1]
                if client_port in held:
                    answered.add(held[client_port])
        finally:
            for connection in connections:
                connection.close()
        if answered == set(workers):
            return pages
    raise AssertionError(f"only workers {answered} of {workers} answered")


def test_every_worker_answers_with_what_another_wrote(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "LUMBO_DATABASE_URL": f"sqlite:///{tmp_path / 'lumbo.sqlite3'}"}
    env.pop("LUMBO_SECRET_KEY", None)
    process = subprocess.Popen(
        [LUMBO, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_serving(port, process)
        deadline = time.monotonic() + 30
        while len(workers := workers_of(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(workers) == 2, workers
        assert request(port, "PUT", "/api/v1/profile", PROFILE)[0] == 200
        before = read_from_both_workers(port, workers)
        assert all(SITTING not in page for page in before)  # both workers cached this page
        # One write, through one request (one worker): long desk days.
        assert request(port, "PUT", "/api/v1/profile", {**PROFILE, "desk_hours_per_day": 8})[0] == 200
        after = read_from_both_workers(port, workers)
        assert all(SITTING in page for page in after)
        assert all(json.loads(request(port, "GET", "/api/v1/profile")[1])["desk_hours_per_day"] == 8 for _ in range(8))
        # One form-token key for all workers: a form token from one is accepted by any.
        cookie = {"Cookie": "lumbo_csrf=" + "c" * 43}
        settings_page = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        settings_page.request("GET", "/settings", headers=cookie)
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', settings_page.getresponse().read().decode())
        settings_page.close()
        assert token
        for _ in range(12):
            poster = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            form = f"planned=x&csrf_token={token.group(1)}"
            headers = {**cookie, "Content-Type": "application/x-www-form-urlencoded"}
            poster.request("POST", "/plan/unswap", form, headers)
            assert poster.getresponse().status == 303
            poster.close()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
    assert process.returncode == 0
