"""The Alembic migrations go up to head and back down to nothing on both databases."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

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


async def _run(url: str, statement: str, rows: list[dict[str, Any]] | None = None) -> list[Any]:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        result = await conn.execute(text(statement), rows) if rows else await conn.execute(text(statement))
        found = list(result.all()) if result.returns_rows else []
    await engine.dispose()
    return found


INSERT_USER = (
    "INSERT INTO users (id, email, password_hash, display_name, display_name_key, preferences, is_premium,"
    " created_at, updated_at) VALUES (:id, :email, 'x', :name, :key, '{}', false, :at, :at)"
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_0003_keeps_accounts_and_renames_only_the_later_of_two_names_that_now_collide(
    backend: str, tmp_path: Path
) -> None:
    database = Database.create(backend, tmp_path)
    ada, later_ada, grace = (str(uuid.UUID(int=n)) for n in (1, 2, 3))
    users = [
        {"id": ada, "email": "ada@example.com", "name": "Ada", "key": "ada", "at": datetime(2026, 1, 1)},
        {
            "id": later_ada,
            "email": "ada2@example.com",
            "name": "ADA",
            "key": "ada",
            "at": datetime(2026, 2, 1),
        },
        {
            "id": grace,
            "email": "g@example.com",
            "name": "\uff27race",
            "key": "\uff47race",
            "at": datetime(2026, 3, 1),
        },
    ]
    try:
        migrate(database.url, "upgrade", "0002")
        asyncio.run(_run(database.url, INSERT_USER, users))
        migrate(database.url, "upgrade", "head")
        rows = asyncio.run(
            _run(database.url, "SELECT id, display_name, display_name_key, token_version FROM users")
        )
        assert sorted(tuple(row) for row in rows) == [
            (ada, "Ada", "ada", 0),
            (later_ada, f"ADA {later_ada[:8]}", f"ada {later_ada[:8]}", 0),
            (grace, "Grace", "grace", 0),
        ]
        migrate(database.url, "downgrade", "0002")
        assert asyncio.run(_run(database.url, "SELECT COUNT(*) FROM users"))[0][0] == 3
        migrate(database.url, "upgrade", "head")  # and up again over the same data
    finally:
        database.close()
