"""A bounded worker pool for CPU-bound calls (argon2, ``core.verify``), off the event loop.

While one request hashes a password or replays a big sync, the event loop keeps answering board
reads. argon2-cffi releases the GIL, so threads run it in parallel; ``core.verify`` is pure Python
and keeps the GIL, so threads only interleave it with the loop (``sys.getswitchinterval``, 5 ms)
instead of running it whole in one go; ``process`` runs it truly in parallel, at the cost of
pickling the payloads (README: "Fair play and load" has the measured difference).

One pool per server worker process, made on first use from the settings.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import TypeVar

from server.config import Settings

__all__ = ["run"]

T = TypeVar("T")

_pools: dict[tuple[str, int], Executor] = {}


def _pool(settings: Settings) -> Executor | None:
    if settings.offload == "inline":
        return None
    key = (settings.offload, settings.offload_workers)
    pool = _pools.get(key)
    if pool is None:
        if settings.offload == "process":
            pool = ProcessPoolExecutor(settings.offload_workers)
        else:
            pool = ThreadPoolExecutor(settings.offload_workers, thread_name_prefix="offload")
        _pools[key] = pool
    return pool


async def run(settings: Settings, fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` in the pool (at most ``offload_workers`` at once; the rest queue), or inline."""
    pool = _pool(settings)
    if pool is None:
        return fn(*args)
    return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(fn, *args))
