"""Fixed-window rate limits, in Redis when configured (shared by every worker), else in memory."""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis

from server.config import RateLimit

__all__ = ["MemoryLimiter", "RateLimiter", "RedisLimiter"]


class RateLimiter(Protocol):
    """Counts hits per key; answers how many seconds to wait, or 0 when the hit is allowed."""

    async def hit(self, key: str, limit: RateLimit) -> int:
        """Count one attempt; return the seconds until the window resets if over the limit, else 0."""

    async def close(self) -> None:
        """Release connections."""


class MemoryLimiter:
    """Per-process counters: right for one worker and for development."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str, limit: RateLimit) -> int:
        """Count one attempt in the current window."""
        now = int(time.time())
        window = now - now % limit.seconds
        start, count = self._windows.get(key, (window, 0))
        if start != window:
            start, count = window, 0
        count += 1
        self._windows[key] = (start, count)
        if len(self._windows) > 100_000:  # bounded memory: forget windows that have ended
            self._windows = {k: v for k, v in self._windows.items() if v[0] >= window - 3600}
        return start + limit.seconds - now if count > limit.count else 0

    async def close(self) -> None:
        """Nothing to release."""


class RedisLimiter:
    """Counters in Redis (INCR + EXPIRE in one round trip), shared by every worker and machine."""

    def __init__(self, url: str, prefix: str) -> None:
        self.redis: Redis = Redis.from_url(url)
        self.prefix = prefix

    async def hit(self, key: str, limit: RateLimit) -> int:
        """Count one attempt in the current window."""
        now = int(time.time())
        window = now - now % limit.seconds
        redis_key = f"{self.prefix}:rl:{key}:{window}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(redis_key)
            pipe.expire(redis_key, limit.seconds + 1)
            count, _ = await pipe.execute()
        return window + limit.seconds - now if int(count) > limit.count else 0

    async def close(self) -> None:
        """Close the connection pool."""
        await self.redis.aclose()
