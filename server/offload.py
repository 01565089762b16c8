"""A bounded worker pool for CPU-bound calls (argon2, ``core.verify``), off the event loop.

While one request hashes a password or replays a big sync, the event loop keeps answering board
reads. argon2-cffi releases the GIL, so the pool's threads hash in parallel; ``core.verify`` is pure
Python and keeps the GIL, so a thread only interleaves it with the loop (the interpreter switches
every 5 ms, ``sys.getswitchinterval``) instead of running a whole batch in one go. That is what
keeps board reads fast (README: "Fair play" has the measured before and after).

A process pool was tried for ``verify``: its children kept granian's workers from exiting on
SIGTERM (orphans, whether forked or spawned), and the threads already meet the target, so it is not
offered. One pool per server worker process, made on first use from the settings.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from server.config import Settings

__all__ = ["run"]

T = TypeVar("T")

SWITCH_INTERVAL_S = 0.001
"""The interpreter's thread switch interval once a pool runs (5 ms by default): a board read resumes
after a few awaits, each of which may wait this long for a replaying thread to let go of the GIL."""

_pools: dict[tuple[str, int], ThreadPoolExecutor] = {}


async def run(settings: Settings, fn: Callable[..., T], *args: object, pool: str = "argon2") -> T:
    """``fn(*args)`` in the named pool (at most ``offload_workers`` at once; the rest queue), or inline.

    Hashing and replays have a pool each, so a login burst never queues a sync behind it.
    """
    if settings.offload == "inline":
        return fn(*args)
    key = (pool, settings.offload_workers)
    executor = _pools.get(key)
    if executor is None:
        # A replay holds the GIL; the event loop waits for it at most one switch interval per step.
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        executor = _pools[key] = ThreadPoolExecutor(settings.offload_workers, thread_name_prefix=pool)
    return await asyncio.get_running_loop().run_in_executor(executor, functools.partial(fn, *args))
