"""Kill -9 a server right after a log is acknowledged; after a restart every acknowledged
log is there.

Two servers (two processes, as a second lumbo or the CLI would be) write to one SQLite
file at the same time, each fed by its own writer. In each of 30 trials one of them is
killed, while the other goes on writing: in odd trials the moment its own writer receives
an acknowledgement, in even ones the moment the other writer does (so mid-request, maybe
mid-transaction). It is restarted, and every write acknowledged so far, by either, must be
in the file. Each writer finishes its session after ITEMS_PER_SESSION items and opens the
next one, so the folded progression state (stored beside the logs, in the transaction that
finishes a session) moves all along: after each restart it must equal the state rebuilt from
the logs. The last sessions stay unfinished, and one is offered for resuming.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

API = "/api/v1"
TRIALS = 30
ITEMS_PER_SESSION = 12
EXERCISES = ("glute-bridge", "bird-dog", "forearm-plank", "side-plank")
RATINGS = ("right", "easy", "easy", "right", "hard", "easy", "right", "easy", "pain", "easy", "right")
PROFILE = {"pain_now": 2, "pain_worst_week": 3, "duration_weeks": 8, "level": "intermediate", "age": 45}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def launch(database: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LUMBO_DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.Popen(
        # One process: kill -9 must hit the process that serves (and frees the port).
        [str(Path(sys.executable).with_name("lumbo")), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_ready(process: subprocess.Popen[bytes], port: int) -> subprocess.Popen[bytes]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"lumbo serve exited early: {error}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{API}/sessions/unfinished", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    pytest.fail("lumbo serve did not start within 30 s")


def start_server(database: Path, port: int) -> subprocess.Popen[bytes]:
    return wait_ready(launch(database, port), port)


@dataclass
class Writer:
    """Logs items through one server as fast as it answers; after its ``kill_at``-th
    acknowledgement (counted from the start) it kills the server of ``victim``."""

    number: int
    port: int
    server: subprocess.Popen[bytes]
    acknowledged: list[tuple[str, int, int]] = field(default_factory=list)
    kill_at: int | None = None
    victim: Writer | None = None
    killed: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    days: int = 0

    def run(self) -> None:
        try:
            self._write()
        except BaseException as error:
            self.error = error
            raise

    def _write(self) -> None:
        base = f"http://127.0.0.1:{self.port}{API}"
        session_id: str | None = None
        position = 0
        with httpx.Client(base_url=base, timeout=15) as client:
            while not self.stop.is_set():
                try:
                    if session_id is not None and position >= ITEMS_PER_SESSION:
                        answer = client.post(f"/sessions/{session_id}/finish", json={"pain_before": 2, "pain_after": 2})
                        # 409: finished already (the answer before the kill was lost)
                        assert answer.status_code in (200, 409), answer.text
                        session_id = None
                    if session_id is None:
                        # Each writer its own days and session index: never the same session.
                        self.days += 1
                        # Interleaved days (even: writer 0, odd: writer 1) keep both writers in one
                        # stretch of time, so a finish never lands before the state's horizon (which
                        # would rebuild the state from every log and slow the trials down).
                        day = dt.date(2030, 1, 1) + dt.timedelta(days=2 * self.days + self.number)
                        answer = client.post(
                            "/sessions", json={"date": day.isoformat(), "session_index": self.number}
                        )
                        assert answer.status_code == 201, answer.text
                        session_id, position = answer.json()["session"]["id"], 0
                    reps = 1 + (len(self.acknowledged) * 7 + self.number) % 500
                    answer = client.post(
                        f"/sessions/{session_id}/items",
                        json={"exercise": EXERCISES[position % len(EXERCISES)], "reps": reps,
                              "rating": RATINGS[len(self.acknowledged) % len(RATINGS)], "position": position},
                    )
                except httpx.TransportError:  # the server is down (killed): wait for it
                    time.sleep(0.02)
                    continue
                assert answer.status_code == 201, answer.text
                self.acknowledged.append((session_id, position, reps))
                position += 1
                victim = self.victim
                if victim is not None and self.kill_at is not None and len(self.acknowledged) >= self.kill_at:
                    # No grace: the process dies the moment the answer is in.
                    self.kill_at, self.victim = None, None
                    os.kill(victim.server.pid, signal.SIGKILL)
                    victim.killed.set()


def stored_items(database: Path) -> dict[tuple[str, int], int]:
    connection = sqlite3.connect(database, timeout=30)
    try:
        rows = connection.execute("SELECT session_id, position, reps FROM session_items").fetchall()
    finally:
        connection.close()
    return {(session_id, position): reps for session_id, position, reps in rows}


def state_agrees(database: Path) -> bool:
    """The stored folded progression state equals the one rebuilt from the logs, read in one
    transaction while the writers go on."""
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.adapters.unit_of_work import open_database
    from lumbo.domain.progression import settled_state
    from lumbo.services.shared import history_of

    store = open_database(f"sqlite:///{database}", migrate=False)
    try:
        with store.unit_of_work() as uow:
            latest = uow.records.latest_profile()
            stored = uow.records.progression()
            history = history_of(uow.records.sessions())
    finally:
        store.dispose()
    assert latest is not None
    rebuilt = settled_state(default_catalogue(), history.sessions, latest.profile.level, latest.profile.age)
    return stored == rebuilt and len(history.sessions) > 0


def lost(database: Path, writers: list[Writer]) -> list[tuple[str, int, int]]:
    """Acknowledged writes that are not (or not as acknowledged) in the file."""
    # The acknowledgements first: the writers go on while the file is read.
    acknowledged = [entry for writer in writers for entry in list(writer.acknowledged)]
    stored = stored_items(database)
    return [
        (session_id, position, reps)
        for session_id, position, reps in acknowledged
        if stored.get((session_id, position)) != reps
    ]


def test_no_acknowledged_log_is_lost_when_servers_are_killed(tmp_path: Path) -> None:
    database = tmp_path / "crash.sqlite3"
    chance = random.Random(10)
    ports = [free_port(), free_port()]
    # The first server creates the schema; then the second joins.
    servers = [start_server(database, ports[0])]
    servers.append(start_server(database, ports[1]))
    saved = httpx.put(f"http://127.0.0.1:{ports[0]}{API}/profile", json=PROFILE, timeout=15)
    assert saved.status_code == 200, saved.text
    writers = [Writer(number, ports[number], servers[number]) for number in range(2)]
    threads = [threading.Thread(target=writer.run, daemon=True) for writer in writers]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        for trial in range(TRIALS):
            victim = writers[trial % 2]
            trigger = victim if trial % 2 else writers[(trial + 1) % 2]
            trigger.victim = victim
            trigger.kill_at = len(trigger.acknowledged) + chance.randint(1, 25)
            killed = victim.killed.wait(timeout=30)
            failed = [writer.error for writer in writers if writer.error is not None]
            assert not failed, f"trial {trial}: a writer failed: {failed[0]!r}"
            assert killed, f"trial {trial}: the writers made no progress"
            victim.killed.clear()
            victim.server.wait(timeout=10)
            assert victim.server.returncode == -signal.SIGKILL
            victim.server = start_server(database, victim.port)
            assert lost(database, writers) == [], f"trial {trial}"
            if trial >= 2:  # by then both writers have finished sessions
                assert state_agrees(database), f"trial {trial}: the stored state and the logs differ"
        for writer in writers:
            writer.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert lost(database, writers) == []
        assert state_agrees(database)
        counts = [len(writer.acknowledged) for writer in writers]
        assert min(counts) >= TRIALS  # both wrote all along
        # a half-done session is offered for resuming
        unfinished = httpx.get(f"http://127.0.0.1:{ports[0]}{API}/sessions/unfinished").json()["session"]
        assert unfinished is not None and unfinished["finished_at"] is None
        print(f"{TRIALS} kills, {sum(counts)} acknowledged writes, 0 lost, {time.monotonic() - started:.0f} s")
    finally:
        for writer in writers:
            writer.stop.set()
            if writer.server.poll() is None:
                writer.server.terminate()
                writer.server.wait(timeout=10)
