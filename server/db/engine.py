"""The async engine and the dialect-specific bits (upserts, row locks) behind one small class."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

__all__ = ["Database", "create_engine"]


def create_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    """An engine tuned per backend.

    SQLite gets one pooled connection: it has a single writer anyway, and one connection turns
    "database is locked" races into a queue. WAL lets readers of other processes proceed.
    """
    if url.startswith("sqlite"):
        engine = create_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=60)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

        return engine
    # A fixed pool and no overflow: an overflow connection is opened and closed per use, and a new
    # PostgreSQL connection (TLS attempt, auth) costs more than the request it serves. Size the pool
    # (SCHULTE_DATABASE_POOL_SIZE) to the concurrency one worker sees; PgBouncer multiplexes beyond that.
    return create_async_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=30)


class Database:
    """The engine plus what differs between SQLite and PostgreSQL."""

    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.engine = create_engine(url, pool_size)
        self.is_postgres = url.startswith("postgresql")

    def insert(self, table: Any) -> Any:
        """An INSERT that supports ``on_conflict_do_*`` on this backend."""
        return (postgresql.insert if self.is_postgres else sqlite.insert)(table)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
