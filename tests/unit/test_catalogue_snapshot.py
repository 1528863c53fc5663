"""The catalogue snapshot: the same catalogue as parsing, never stale, never in the way."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from lumbo.adapters import catalogue_files, catalogue_snapshot
from lumbo.adapters.catalogue_files import exercises_dir, load_catalogue, load_catalogue_cached
from lumbo.adapters.catalogue_snapshot import SNAPSHOT_NAME, cache_dir, read_snapshot
from lumbo.domain.catalogue import Catalogue, Exercise


@pytest.fixture
def entries(tmp_path: Path) -> Path:
    """A private copy of the packaged entry files, free to edit."""
    folder = tmp_path / "exercises"
    shutil.copytree(exercises_dir(), folder)
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the entry files parsed from YAML (not taken from a snapshot)."""
    seen: list[str] = []
    real = catalogue_files.parse_entry

    def counting(path: Path, data: bytes) -> Exercise:
        seen.append(path.name)
        return real(path, data)

    monkeypatch.setattr(catalogue_files, "parse_entry", counting)
    return seen


def same(first: Catalogue, second: Catalogue) -> bool:
    return list(first) == list(second) and list(first.ids) == list(second.ids)


def test_the_snapshot_gives_exactly_the_parsed_catalogue(
    entries: Path, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = load_catalogue_cached(entries, cache)  # parses, writes the snapshot
    assert len(parses) == len(list(entries.glob("*.yaml"))) > 50
    assert (cache / SNAPSHOT_NAME).is_file()
    parses.clear()
    second = load_catalogue_cached(entries, cache)  # from the snapshot
    assert parses == []
    parsed = load_catalogue(entries)
    assert same(second, parsed) and same(first, parsed)
    assert all(type(entry) is Exercise for entry in second)
    assert [entry.model_dump() for entry in second] == [entry.model_dump() for entry in parsed]
    assert [second.ladder(slug) for slug in second.ids] == [parsed.ladder(slug) for slug in parsed.ids]


def test_an_edited_entry_file_is_never_served_stale(entries: Path, tmp_path: Path, parses: list[str]) -> None:
    cache = tmp_path / "cache"
    load_catalogue_cached(entries, cache)
    path = entries / "side-plank.yaml"
    text = path.read_text(encoding="utf-8")
    assert "name: Side plank\n" in text
    # Same length, same modification time: only the content tells.
    stat = path.stat()
    path.write_text(text.replace("name: Side plank\n", "name: Side plonk\n"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    parses.clear()
    assert load_catalogue_cached(entries, cache)["side-plank"].name == "Side plonk"
    assert len(parses) > 50
    parses.clear()
    assert load_catalogue_cached(entries, cache)["side-plank"].name == "Side plonk"  # new snapshot
    assert parses == []


def test_an_added_or_removed_entry_file_is_seen(entries: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    catalogue = load_catalogue_cached(entries, cache)
    alone = next(
        entry for entry in catalogue
        if entry.family is None and entry.easier is None and entry.harder is None
        and not any(entry.id in other.alternatives for other in catalogue)
    )
    source = (entries / f"{alone.id}.yaml").read_text(encoding="utf-8")
    added = entries / "a-new-entry.yaml"
    added.write_text(source.replace(f"id: {alone.id}", "id: a-new-entry", 1), encoding="utf-8")
    assert "a-new-entry" in load_catalogue_cached(entries, cache)
    added.unlink()
    (entries / f"{alone.id}.yaml").unlink()
    shrunk = load_catalogue_cached(entries, cache)
    assert "a-new-entry" not in shrunk and alone.id not in shrunk
    assert len(shrunk) == len(catalogue) - 1


def test_a_broken_entry_file_still_fails_loudly_even_with_a_snapshot(entries: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_catalogue_cached(entries, cache)
    (entries / "side-plank.yaml").write_text("id: side-plank\nname: x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"side-plank\.yaml"):
        load_catalogue_cached(entries, cache)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe garbage",
        b"[]",
        b'{"format": 1}',
        b'{"format": 99, "digest": "x", "entries": []}',
    ],
)
def test_a_corrupt_snapshot_falls_back_to_parsing_and_is_replaced(
    entries: Path, tmp_path: Path, parses: list[str], content: bytes
) -> None:
    cache = tmp_path / "cache"
    load_catalogue_cached(entries, cache)
    (cache / SNAPSHOT_NAME).write_bytes(content)
    parses.clear()
    assert same(load_catalogue_cached(entries, cache), load_catalogue(entries))
    assert len(parses) > 50
    assert json.loads((cache / SNAPSHOT_NAME).read_bytes())["format"] == catalogue_snapshot.SNAPSHOT_FORMAT


def test_a_snapshot_with_the_right_digest_but_bad_entries_is_not_trusted(
    entries: Path, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    load_catalogue_cached(entries, cache)
    path = cache / SNAPSHOT_NAME
    document = json.loads(path.read_bytes())
    document["entries"][0]["dose"] = {"sets": 99}  # fails validation
    path.write_text(json.dumps(document), encoding="utf-8")
    parses.clear()
    assert same(load_catalogue_cached(entries, cache), load_catalogue(entries))
    assert parses
    document["entries"] = document["entries"][:-1]  # valid entries, a broken ladder
    path.write_text(json.dumps(document), encoding="utf-8")
    assert same(load_catalogue_cached(entries, cache), load_catalogue(entries))


def test_an_unwritable_cache_folder_still_works(entries: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = blocker / "cache"  # cannot be created, even by root
    assert same(load_catalogue_cached(entries, cache), load_catalogue(entries))
    assert same(load_catalogue_cached(entries, cache), load_catalogue(entries))


def test_a_failed_write_leaves_no_temporary_file(
    entries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(catalogue_snapshot.os, "replace", refuse)
    assert same(load_catalogue_cached(entries, cache), load_catalogue(entries))
    assert list(cache.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_folder_others_can_write_to_is_not_used(entries: Path, tmp_path: Path, parses: list[str]) -> None:
    cache = tmp_path / "cache"
    load_catalogue_cached(entries, cache)
    cache.chmod(0o777)
    parses.clear()
    assert same(load_catalogue_cached(entries, cache), load_catalogue(entries))
    assert len(parses) > 50  # the snapshot there was not read
    cache.chmod(0o700)
    (cache / SNAPSHOT_NAME).chmod(0o666)
    parses.clear()
    load_catalogue_cached(entries, cache)
    assert len(parses) > 50


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs O_NOFOLLOW")
def test_a_symbolic_link_is_not_followed(entries: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_catalogue_cached(entries, cache)
    real = tmp_path / "elsewhere.json"
    (cache / SNAPSHOT_NAME).rename(real)
    (cache / SNAPSHOT_NAME).symlink_to(real)
    digest = json.loads(real.read_bytes())["digest"]
    assert read_snapshot(real, digest) is not None
    assert read_snapshot(cache / SNAPSHOT_NAME, digest) is None


def test_writers_at_the_same_time_leave_one_whole_snapshot(entries: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    errors: list[BaseException] = []

    def load() -> None:
        try:
            load_catalogue_cached(entries, cache)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=load) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [path.name for path in cache.iterdir()] == [SNAPSHOT_NAME]
    document = json.loads((cache / SNAPSHOT_NAME).read_bytes())
    assert read_snapshot(cache / SNAPSHOT_NAME, document["digest"]) is not None


def test_the_snapshot_is_plain_json_readable_only_by_its_owner(entries: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_catalogue_cached(entries, cache)
    document = json.loads((cache / SNAPSHOT_NAME).read_text(encoding="utf-8"))
    assert set(document) == {"format", "digest", "entries"}
    if hasattr(os, "getuid"):
        assert (cache / SNAPSHOT_NAME).stat().st_mode & 0o077 == 0


def test_the_cache_folder_follows_the_environment(tmp_path: Path) -> None:
    assert cache_dir({"LUMBO_CACHE_DIR": str(tmp_path)}) == tmp_path
    for word in ("off", "0", "no", "false", "OFF"):
        assert cache_dir({"LUMBO_CATALOGUE_SNAPSHOT": word, "LUMBO_CACHE_DIR": str(tmp_path)}) is None
    assert cache_dir({"LUMBO_CATALOGUE_SNAPSHOT": "on", "LUMBO_CACHE_DIR": str(tmp_path)}) == tmp_path
    default = cache_dir({})
    assert default is not None and default.name.lower() in {"lumbo", "cache"}


def test_switched_off_it_only_parses(
    entries: Path, tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LUMBO_CATALOGUE_SNAPSHOT", "off")
    monkeypatch.setenv("LUMBO_CACHE_DIR", str(tmp_path / "cache"))
    assert same(load_catalogue_cached(entries), load_catalogue(entries))
    assert len(parses) > 50
    assert not (tmp_path / "cache").exists()


def test_the_test_run_keeps_its_snapshot_out_of_the_testers_home() -> None:
    folder = cache_dir()
    assert folder is not None
    assert not folder.resolve().is_relative_to((Path.home() / ".cache").resolve())
