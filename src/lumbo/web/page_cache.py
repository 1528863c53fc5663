"""A small, bounded, thread-safe cache of rendered pages.

Keys must hold everything a page depends on. Pages built from stored data include the
store revision (every commit raises it, from this process or another), so a change to
the data makes older entries unreachable; the least recently used entries then fall out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

DEFAULT_SIZE = 32
#: Longer keys (e.g. a huge cookie) are not cached: they would let one client fill memory.
MAX_KEY_TEXT = 4096


class PageCache:
    """Least-recently-used map of key -> rendered body (bytes), at most ``size`` entries."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self.size = size
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable, *, count_miss: bool = True) -> bytes | None:
        """The body, or None. ``count_miss=False``: a look that a later ``get`` will repeat
        on a miss (the plan page's check before routing), so a miss is counted once."""
        with self._lock:
            body = self._entries.get(key)
            if body is None:
                if count_miss:
                    self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        with self._lock:
            self._entries[key] = body
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
