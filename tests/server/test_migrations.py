"""The Alembic migrations go up to head and back down to nothing on both databases."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from server.db.models import metadata
from tests.server.conftest import BACKENDS, ROOT, Database


def tables(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        await engine.dispose()
        return names - {"alembic_version"}

    return asyncio.run(read())


def migrate(url: str, *args: str) -> None:
    env = {**os.environ, "SCHULTE_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "server", "migrate", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_run_up_down_and_up_again(backend: str, tmp_path: Path) -> None:
    database = Database.create(backend, tmp_path)
    try:
        migrate(database.url, "upgrade", "head")
        assert tables(database.url) == set(metadata.tables)
        migrate(database.url, "downgrade", "base")
        assert tables(database.url) == set()
        migrate(database.url, "upgrade", "head")
        assert tables(database.url) == set(metadata.tables)
    finally:
        database.close()


ADD_USER = (
    "INSERT INTO users (id, email, password_hash, display_name, display_name_key, preferences, "
    "is_premium, created_at, updated_at) "
    "VALUES ('u1', 'a@example.com', 'x', 'A', 'a', '{}', false, :now, :now)"
)
ADD_SESSION = (
    "INSERT INTO training_sessions (id, user_id, mode, grid_size, order_mode, status, completion_time_ms, "
    "started_at, verified, reasons, payload, received_at) "
    "VALUES (:id, 'u1', 'ranked', 5, 'ASC', 'completed', 9000, :now, true, '[]', '{}', :now)"
)


async def _rows(url: str, sql: str, params: dict[str, object] | None = None) -> list[tuple[object, ...]]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(sql), params or {})
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_fair_play_revision_keeps_every_session_and_ranks_none_it_kept_off(
    backend: str, tmp_path: Path
) -> None:
    """0004 adds off_board / review / role to filled tables; going back keeps off-board sessions unranked."""
    database = Database.create(backend, tmp_path)
    run = asyncio.run
    try:
        migrate(database.url, "upgrade", "0002")
        now = datetime(2026, 12, 1, 12)  # the columns hold naive UTC
        run(_rows(database.url, ADD_USER, {"now": now}))
        for session_id in ("s1", "s2"):
            run(_rows(database.url, ADD_SESSION, {"id": session_id, "now": now}))
        migrate(database.url, "upgrade", "0004")
        assert run(_rows(database.url, "SELECT role FROM users")) == [("player",)]
        kept = run(
            _rows(database.url, "SELECT id, verified, off_board, review FROM training_sessions ORDER BY id")
        )
        assert kept == [("s1", True, False, None), ("s2", True, False, None)]
        run(
            _rows(
                database.url, "UPDATE training_sessions SET off_board = true, review = 'held' WHERE id = 's2'"
            )
        )
        migrate(database.url, "downgrade", "0002")
        back = run(_rows(database.url, "SELECT id, verified FROM training_sessions ORDER BY id"))
        assert back == [("s1", True), ("s2", False)]
        migrate(database.url, "upgrade", "head")
        assert tables(database.url) == set(metadata.tables)
    finally:
        database.close()
