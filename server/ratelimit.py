"""Fixed-window counters and timed blocks: in Redis when configured (shared by workers), or in memory."""

from __future__ import annotations

import math
import time
from typing import Protocol

from redis.asyncio import Redis

from server.config import RateLimit

__all__ = ["MemoryLimiter", "RateLimiter", "RedisLimiter"]


def _window(limit: RateLimit) -> tuple[int, int]:
    """The current window's start and the seconds left in it."""
    now = int(time.time())
    start = now - now % limit.seconds
    return start, start + limit.seconds - now


class RateLimiter(Protocol):
    """Counts hits per key and keeps blocks; every answer is seconds to wait, 0 when allowed."""

    async def hit(self, key: str, limit: RateLimit) -> int:
        """Count one attempt; return the seconds until the window resets if over the limit, else 0."""

    async def count(self, key: str, limit: RateLimit) -> int:
        """Count one attempt and return how many the current window holds (for growing delays)."""

    async def peek(self, key: str, limit: RateLimit) -> int:
        """Without counting: the seconds to wait if the window is already full, else 0."""

    async def block(self, key: str, seconds: int) -> None:
        """Refuse ``key`` for ``seconds`` from now."""

    async def blocked(self, key: str) -> int:
        """Seconds left on ``key``'s block, 0 when there is none."""

    async def close(self) -> None:
        """Release connections."""


class MemoryLimiter:
    """Per-process counters: right for one worker and for development."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, int]] = {}
        self._blocks: dict[str, float] = {}

    async def count(self, key: str, limit: RateLimit) -> int:
        """Count one attempt in the current window."""
        window, _ = _window(limit)
        start, count = self._windows.get(key, (window, 0))
        if start != window:
            start, count = window, 0
        self._windows[key] = (start, count + 1)
        if len(self._windows) > 100_000:  # bounded memory: forget windows that have ended
            self._windows = {k: v for k, v in self._windows.items() if v[0] >= window - 3600}
            self._blocks = {k: v for k, v in self._blocks.items() if v > time.time()}
        return count + 1

    async def hit(self, key: str, limit: RateLimit) -> int:
        """Count one attempt in the current window."""
        count = await self.count(key, limit)
        return _window(limit)[1] if count > limit.count else 0

    async def peek(self, key: str, limit: RateLimit) -> int:
        """The wait if the window is full, without counting."""
        window, left = _window(limit)
        start, count = self._windows.get(key, (window, 0))
        return left if start == window and count >= limit.count else 0

    async def block(self, key: str, seconds: int) -> None:
        """Refuse ``key`` for ``seconds``."""
        self._blocks[key] = time.time() + seconds

    async def blocked(self, key: str) -> int:
        """Seconds left on the block (rounded up)."""
        left = self._blocks.get(key, 0.0) - time.time()
        return math.ceil(left) if left > 0 else 0

    async def close(self) -> None:
        """Nothing to release."""


class RedisLimiter:
    """Counters in Redis (INCR + EXPIRE in one round trip), shared by every worker and machine."""

    def __init__(self, url: str, prefix: str) -> None:
        self.redis: Redis = Redis.from_url(url)
        self.prefix = prefix

    def _key(self, key: str, limit: RateLimit) -> str:
        return f"{self.prefix}:rl:{key}:{_window(limit)[0]}"

    async def count(self, key: str, limit: RateLimit) -> int:
        """Count one attempt in the current window."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(self._key(key, limit))
            pipe.expire(self._key(key, limit), limit.seconds + 1)
            count, _ = await pipe.execute()
        return int(count)

    async def hit(self, key: str, limit: RateLimit) -> int:
        """Count one attempt in the current window."""
        return _window(limit)[1] if await self.count(key, limit) > limit.count else 0

    async def peek(self, key: str, limit: RateLimit) -> int:
        """The wait if the window is full, without counting."""
        count = await self.redis.get(self._key(key, limit))
        return _window(limit)[1] if count is not None and int(count) >= limit.count else 0

    async def block(self, key: str, seconds: int) -> None:
        """Refuse ``key`` for ``seconds`` (a key that expires by itself)."""
        await self.redis.set(f"{self.prefix}:block:{key}", 1, px=seconds * 1000)

    async def blocked(self, key: str) -> int:
        """Seconds left on the block (rounded up)."""
        left_ms = int(await self.redis.pttl(f"{self.prefix}:block:{key}"))
        return max(0, -(-left_ms // 1000))

    async def close(self) -> None:
        """Close the connection pool."""
        await self.redis.aclose()
