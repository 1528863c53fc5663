"""Single flight: one computation per key at a time; callers that come meanwhile wait for it.

After a write makes a cached plan stale, every request waiting for the plan would rebuild
it at once (a stampede). Through a ``SingleFlight`` the first caller (the leader) rebuilds
it and the others wait for the leader's result instead of doing the same work again.

- ``run(key, compute)`` is for threads: followers block until the leader is done.
- ``run_async(key, compute)`` is for coroutines on one event loop: followers await the
  leader's result without blocking the loop (``compute`` is awaited by the leader alone).

When the leader fails, its followers compute for themselves (an exception is not shared
between requests). Example::

    flights = SingleFlight()
    decision = flights.run(("decision", revision, day), lambda: plan_for(day))
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class _Call:
    __slots__ = ("done", "ok", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.ok = False
        self.value: Any = None


class SingleFlight:
    """Deduplicates concurrent computations of the same key (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[Hashable, _Call] = {}
        self._futures: dict[Hashable, asyncio.Future[Any]] = {}
        #: Computations actually run (leaders, and followers whose leader failed).
        self.computed = 0

    def run(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            call = self._calls.get(key)
            leader = call is None
            if call is None:
                call = self._calls[key] = _Call()
        if not leader:
            call.done.wait()
            if call.ok:
                result: T = call.value
                return result
            return self._compute(compute)
        try:
            call.value = self._compute(compute)
            call.ok = True
            return call.value  # type: ignore[no-any-return]
        finally:
            with self._lock:
                del self._calls[key]
            call.done.set()

    async def run_async(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """Only from coroutines of one event loop (the futures belong to it)."""
        future = self._futures.get(key)
        if future is not None:
            try:
                # shield: a follower that is cancelled (its client went away) must not
                # cancel the leader's result for the others.
                result: T = await asyncio.shield(future)
                return result
            except asyncio.CancelledError:
                raise
            except Exception:
                pass  # the leader failed: compute for ourselves
            self.computed += 1
            return await compute()
        future = asyncio.get_running_loop().create_future()
        self._futures[key] = future
        try:
            self.computed += 1
            value = await compute()
        except BaseException as error:
            if not future.done():
                future.set_exception(error if isinstance(error, Exception) else RuntimeError("cancelled"))
                future.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        else:
            future.set_result(value)
            return value
        finally:
            if self._futures.get(key) is future:
                del self._futures[key]

    def _compute(self, compute: Callable[[], T]) -> T:
        with self._lock:
            self.computed += 1
        return compute()
