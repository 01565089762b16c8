"""The Alembic migrations go up to head and back down to nothing on both databases."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect
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
