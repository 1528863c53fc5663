"""`lumbo serve` refuses what it cannot do with one line and exit code 2."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from lumbo.cli.serve import check_host, port_problem
from lumbo.config import SettingsError, get_settings

LUMBO = str(Path(sys.executable).with_name("lumbo"))


def run_lumbo(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [LUMBO, *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "example.org", "::"])
def test_serving_beyond_this_computer_is_refused(host: str) -> None:
    result = run_lumbo("serve", "--host", host, "--port", "9")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("lumbo serves only this computer in local mode")
    assert host in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_local_hosts_are_allowed(host: str) -> None:
    check_host(host)


def test_a_busy_port_is_one_clear_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert port_problem("127.0.0.1", port) is not None
        result = run_lumbo("serve", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.startswith("lumbo: cannot listen on 127.0.0.1:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_bad_environment_value_is_named() -> None:
    with pytest.raises(SettingsError, match="LUMBO_PORT"):
        get_settings({"LUMBO_PORT": "eighty"})
    with pytest.raises(SettingsError, match="LUMBO_TIMER_SCALE"):
        get_settings({"LUMBO_TIMER_SCALE": "0"})
    result = run_lumbo("serve", env={"LUMBO_PORT": "eighty"})
    assert result.returncode == 2 and "LUMBO_PORT" in result.stderr


def test_settings_read_the_environment(tmp_path: Path) -> None:
    settings = get_settings(
        {
            "LUMBO_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "LUMBO_HOST": "localhost",
            "LUMBO_PORT": "9001",
            "LUMBO_TIMER_SCALE": "0.05",
        }
    )
    assert settings.port == 9001 and settings.host == "localhost"
    assert settings.timer_scale == pytest.approx(0.05)
    assert settings.database_url.endswith("x.sqlite3")
    assert get_settings({}).port == 8765 and get_settings({}).host == "127.0.0.1"


@pytest.mark.parametrize(
    "url", ["not a url", "sqlite:////proc/no-such-place/lumbo.sqlite3", "nosuchdb://x"]
)
def test_a_database_that_cannot_be_opened_is_one_clear_line(url: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_lumbo("serve", "--port", str(port), env={"LUMBO_DATABASE_URL": url})
    assert result.returncode == 2
    assert result.stderr.startswith("lumbo: cannot open the database")
    assert len(result.stderr.strip().splitlines()) == 1
