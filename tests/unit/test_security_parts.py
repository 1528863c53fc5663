"""The small parts of web/security.py and the settings behind them."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from lumbo.config import SettingsError, get_settings
from lumbo.web.security import csrf_token_for, host_name, secret_for


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("127.0.0.1:8765", "127.0.0.1"),
        ("LOCALHOST", "localhost"),
        ("[::1]:8765", "::1"),
        ("[::1]", "::1"),
        ("evil.example:80", "evil.example"),
        ("[::1", ""),
    ],
)
def test_host_name(header: str, name: str) -> None:
    assert host_name(header) == name


def test_the_secret_is_kept_beside_the_sqlite_file_for_the_owner_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'lumbo.sqlite3'}"
    first = secret_for(url, None)
    key_file = tmp_path / "data" / "lumbo-secret.key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert secret_for(url, None) == first  # a restart keeps open forms valid
    assert len(first) == 32


def test_a_configured_secret_wins_and_memory_databases_get_a_fresh_one() -> None:
    assert secret_for("sqlite:///ignored.sqlite3", "x" * 20) == b"x" * 20
    assert secret_for("sqlite:///:memory:", None) != secret_for("sqlite:///:memory:", None)
    assert secret_for("postgresql+psycopg://u@h/db", None) != secret_for("postgresql+psycopg://u@h/db", None)


def test_tokens_depend_on_secret_and_cookie() -> None:
    token = csrf_token_for(b"secret", "cookie")
    assert token == csrf_token_for(b"secret", "cookie")
    assert token != csrf_token_for(b"other", "cookie")
    assert token != csrf_token_for(b"secret", "cookie2")


def test_allowed_hosts_come_from_the_environment() -> None:
    settings = get_settings({"LUMBO_ALLOWED_HOSTS": "lumbo.lan, my-pc.local ,"})
    assert settings.allowed_hosts == ("lumbo.lan", "my-pc.local")
    with pytest.raises(SettingsError, match="LUMBO_ALLOWED_HOSTS"):
        get_settings({"LUMBO_ALLOWED_HOSTS": "evil.example/path"})
    with pytest.raises(SettingsError, match="LUMBO_SECRET_KEY"):
        get_settings({"LUMBO_SECRET_KEY": "short"})


def test_two_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    url = f"sqlite:///{tmp_path / 'lumbo.sqlite3'}"
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: secret_for(url, None), range(16)))
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["lumbo-secret.key"]


def test_a_new_database_file_and_folder_are_private(tmp_path: Path) -> None:
    from lumbo.adapters.unit_of_work import open_database

    database = open_database(f"sqlite:///{tmp_path / 'new' / 'lumbo.sqlite3'}")
    try:
        assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
        for name in ("lumbo.sqlite3", "lumbo.sqlite3-wal"):
            path = tmp_path / "new" / name
            if path.exists():
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
        assert (tmp_path / "new" / "lumbo.sqlite3").exists()
    finally:
        database.dispose()
