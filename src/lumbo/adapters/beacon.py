"""A change counter beside a SQLite file, shared by every process through ``mmap``.

A cached plan page is valid while the stored plan revision is the same. Reading that
revision is a SQL statement (~8 us), on every view; this file lets a view skip it when
nothing has been committed since the last read, in any process, at the cost of reading
8 bytes of shared memory.

The rules that keep it correct:

- every commit (``SqlUnitOfWork.commit``) adds one to the counter **after** the commit,
  under an exclusive ``flock``, so two writers never lose an increment;
- a reader reads the counter **before** the SQL statement and remembers the pair: a commit
  that the statement did not see has not bumped the counter yet, so the next read sees a
  new counter and asks SQL again. A request that wrote has bumped the counter before its
  answer went out, so nobody who saw a write finish can be shown the page from before it;
- any change of the counter (even a torn read) only costs a SQL read, never a stale page;
- the SQL statement still runs at least every ``RECHECK_SECONDS``, so a write that did not
  bump the counter (a process killed between its commit and the bump, another program
  writing the file) shows within that time; every ``Database`` bumps it when it opens.

The file holds only the counter (no personal data), mode 0600, next to the database
(``lumbo.sqlite3.revision``). Where it cannot be made (a read-only folder, an odd file
system), ``shared_beacon`` returns None and every view reads SQL as before. A process opens
each file once and keeps it open (``shared_beacon``): databases come and go, the counter
stays. If the file is deleted while processes use it, each keeps its own copy and the
SQL read every ``RECHECK_SECONDS`` is what catches up.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import struct
import threading
from pathlib import Path

#: How long a remembered revision is trusted without a SQL read, at most.
RECHECK_SECONDS = 1.0
SUFFIX = ".revision"
_COUNTER = struct.Struct("<Q")


class RevisionBeacon:
    """The shared counter of one database file."""

    def __init__(self, fd: int, memory: mmap.mmap) -> None:
        self._fd = fd
        self._memory = memory
        # flock excludes other processes only (threads share the open file): a lost
        # increment could leave the counter where a reader saw it, after a commit.
        self._lock = threading.Lock()

    def value(self) -> int:
        value: int = _COUNTER.unpack_from(self._memory, 0)[0]
        return value

    def bump(self) -> None:
        """Add one (wrapping at 2**64), under this process's lock and the file's."""
        with self._lock:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                _COUNTER.pack_into(self._memory, 0, (self.value() + 1) % (1 << 64))
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self._memory.close()
        os.close(self._fd)


def beacon_path(database_file: Path) -> Path:
    return database_file.with_name(database_file.name + SUFFIX)


def open_beacon(database_file: Path) -> RevisionBeacon | None:
    """The beacon beside ``database_file`` (made if missing), or None when it cannot be."""
    path = beacon_path(database_file)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.fstat(fd).st_size < _COUNTER.size:
                os.ftruncate(fd, _COUNTER.size)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        memory = mmap.mmap(fd, _COUNTER.size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
    except (OSError, ValueError):
        os.close(fd)
        return None
    return RevisionBeacon(fd, memory)


_SHARED: dict[Path, RevisionBeacon | None] = {}
_SHARED_LOCK = threading.Lock()


def shared_beacon(database_file: Path) -> RevisionBeacon | None:
    """This process's beacon for ``database_file`` (opened once, kept open)."""
    key = database_file.resolve()
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = open_beacon(key)
        return _SHARED[key]
