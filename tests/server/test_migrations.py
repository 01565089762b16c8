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
from sqlalchemy import column, func, insert, inspect, select, table, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.sql.expression import Executable

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


TABLES = ("users", "user_stats", "tickets", "training_sessions", "board_entries", "board_histogram")
T = datetime(2026, 11, 25, 9, 0)


def run(url: str, *statements: Executable) -> list[list[tuple[Any, ...]]]:
    """Run ``statements`` in one transaction; the rows each one returned."""

    async def go() -> list[list[tuple[Any, ...]]]:
        engine = create_async_engine(url)
        answers = []
        async with engine.begin() as conn:
            for statement in statements:
                result = await conn.execute(statement)
                answers.append([tuple(row) for row in result] if result.returns_rows else [])
        await engine.dispose()
        return answers

    return asyncio.run(go())


def rows(name: str, *values: dict[str, Any]) -> Executable:
    """An INSERT of ``values`` into table ``name`` as it is at any revision (no model needed)."""
    return insert(table(name, *(column(key) for key in values[0]))).values(list(values))


def counts() -> Executable:
    return select(*(select(func.count()).select_from(table(name)).scalar_subquery() for name in TABLES))


def variants(name: str) -> Executable:
    return select(column("variant")).select_from(table(name)).distinct()


def session(sid: str, mode: str, attempt: int | None, **extra: Any) -> dict[str, Any]:
    return {
        "id": sid, "user_id": "u1", "mode": mode, "ticket_id": "t1", "grid_size": 7, "order_mode": "ASC",
        "status": "completed", "completion_time_ms": 20000.0, "started_at": T, "verified": True,
        "reasons": "[]", "period": "2026-11-25", "attempt": attempt, "payload": "{}", "received_at": T,
        **extra,
    }  # fmt: skip


def entry(board: str, period: str, sid: str, **extra: Any) -> dict[str, Any]:
    return {
        "board": board, "period": period, "grid_size": 7, "order_mode": "ASC", "user_id": "u1",
        "best_time_ms": 20000.0, "session_id": sid, "achieved_at": T, **extra,
    }  # fmt: skip


def ticket(tid: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": tid, "user_id": "u1", "mode": "daily", "grid_size": 7, "order_mode": "ASC", "board_seed": 42,
        "period": "2026-11-25", "attempt": 1, "issued_at": T, "expires_at": T, **extra,
    }  # fmt: skip


# A player of the first wave as revision 0002 stores them: a challenge ticket, a ranked and a challenge
# session, their board entries and bucket, and stats keyed "7-ASC".
FIRST_WAVE_USER = {
    "id": "u1", "email": "a@example.com", "password_hash": "x", "display_name": "Ann",
    "display_name_key": "ann", "preferences": "{}", "is_premium": False, "created_at": T, "updated_at": T,
}  # fmt: skip
FIRST_WAVE = [
    rows("users", FIRST_WAVE_USER),
    rows("user_stats", {
        "user_id": "u1", "total_sessions": 2, "completed_sessions": 2, "verified_sessions": 2,
        "current_streak": 1, "longest_streak": 1, "updated_at": T,
        "per_board": '{"7-ASC": {"best": 20000.0, "count": 1, "total": 20000.0}}',
    }),
    rows("tickets", ticket("t1", session_id="s2")),
    rows("training_sessions", session("s1", "ranked", None), session("s2", "daily", 1)),
    rows("board_entries", entry("all-time", "all", "s1"), entry("daily-challenge", "2026-11-25", "s2")),
    rows("board_histogram", {
        "board": "all-time", "period": "all", "grid_size": 7, "order_mode": "ASC", "bucket": 200, "count": 1,
    }),
]  # fmt: skip
GORBOV = {"variant": "gorbov"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_variants_migration_keeps_every_row_classic_and_downgrades_without_losing_a_session(
    backend: str, tmp_path: Path
) -> None:
    database = Database.create(backend, tmp_path)
    try:
        migrate(database.url, "upgrade", "0002")
        (before,) = run(database.url, *FIRST_WAVE, counts())[-1]
        assert before == (1, 1, 1, 2, 2, 1)

        migrate(database.url, "upgrade", "head")
        *seen, [after] = run(database.url, *(variants(name) for name in TABLES[2:]), counts())
        assert seen == [[("classic",)]] * 4 and after == before
        # Now a Gorbov board sits next to the classic one, and its challenge attempt is its own.
        run(
            database.url,
            rows("tickets", ticket("t2", board_seed=43, **GORBOV)),
            rows("training_sessions", session("s3", "ranked", None, ticket_id="t2", **GORBOV)),
            rows("board_entries", entry("all-time", "all", "s3", **GORBOV)),
            rows("board_histogram", {
                "board": "all-time", "period": "all", "grid_size": 7, "order_mode": "ASC", "bucket": 200,
                "count": 1, **GORBOV,
            }),
        )  # fmt: skip

        migrate(database.url, "downgrade", "0002")
        entries = select(column("session_id")).select_from(table("board_entries")).order_by("session_id")
        assert run(database.url, counts(), entries) == [
            [(1, 1, 1, 3, 2, 1)],  # every session stays; the Gorbov board and its attempt go
            [("s1",), ("s2",)],
        ]
        migrate(database.url, "upgrade", "head")
        assert run(database.url, counts()) == [[(1, 1, 1, 3, 2, 1)]]
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


DUELLER = rows("users", {
    "id": "u2", "email": "b@example.com", "password_hash": "x", "display_name": "Bo",
    "display_name_key": "bo", "preferences": "{}", "is_premium": False, "created_at": T, "updated_at": T,
})  # fmt: skip
A_DUEL = [
    rows("duels", {
        "id": "d1", "challenger_id": "u1", "opponent_id": "u2", "variant": "classic", "grid_size": 7,
        "order_mode": "ASC", "board_seed": 44, "state": "accepted", "open_key": "u1:u2:classic:7:ASC",
        "created_at": T, "expires_at": T,
    }),
    rows("tickets", ticket("t3", mode="duel", board_seed=44, period=None, attempt=None, duel_id="d1",
                           session_id="s4")),
    rows("training_sessions", session("s4", "duel", None, ticket_id="t3", period=None)),
    rows("duel_results", {
        "duel_id": "d1", "user_id": "u1", "session_id": "s4", "status": "completed",
        "completion_time_ms": 20000.0, "mistakes": 0, "verified": True, "reasons": "[]", "finished_at": T,
    }),
    rows("blocks", {"blocker_id": "u2", "blocked_id": "u1", "created_at": T}),
]  # fmt: skip


@pytest.mark.parametrize("backend", BACKENDS)
def test_duels_migration_adds_its_tables_to_filled_ones_and_downgrades_keeping_every_session(
    backend: str, tmp_path: Path
) -> None:
    """0006 adds duels, their results and blocks; going back drops them but keeps duel games in history."""
    database = Database.create(backend, tmp_path)
    try:
        migrate(database.url, "upgrade", "0005")
        run(database.url, *FIRST_WAVE, DUELLER)
        migrate(database.url, "upgrade", "head")
        assert run(database.url, counts()) == [[(2, 1, 1, 2, 2, 1)]]
        run(database.url, *A_DUEL)
        duel_ids = select(column("id"), column("duel_id")).select_from(table("tickets")).order_by("id")
        assert run(database.url, duel_ids) == [[("t1", None), ("t3", "d1")]]

        migrate(database.url, "downgrade", "0005")
        assert not {"duels", "duel_results", "blocks"} & tables(database.url)
        assert run(database.url, counts()) == [[(2, 1, 2, 3, 2, 1)]]  # the duel game and its ticket stay
        migrate(database.url, "upgrade", "head")
        assert tables(database.url) == set(metadata.tables)
        assert run(database.url, counts()) == [[(2, 1, 2, 3, 2, 1)]]
    finally:
        database.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_email_verification_revision_starts_emails_unverified_and_loses_no_row_either_way(
    backend: str, tmp_path: Path
) -> None:
    """0007 adds email_verified / premium_until to a filled users table; down and up keep every row."""
    database = Database.create(backend, tmp_path)
    try:
        migrate(database.url, "upgrade", "0005")
        user = {"id": "u1", "email": "a@example.com", "password_hash": "h", "display_name": "A",
                "display_name_key": "a", "preferences": "{}", "is_premium": True, "created_at": T,
                "updated_at": T}  # fmt: skip
        run(database.url, rows("users", user), rows("training_sessions", session("s1", "ranked", None)))
        migrate(database.url, "upgrade", "0007")
        [kept] = run(
            database.url,
            select(
                column("id"), column("email_verified"), column("premium_until"), column("is_premium")
            ).select_from(table("users")),
        )
        assert kept == [("u1", False, None, True)]
        run(
            database.url,
            rows(
                "email_verifications",
                {
                    "code_hash": "c" * 64,
                    "user_id": "u1",
                    "email": "a@example.com",
                    "issued_at": T,
                    "expires_at": T,
                },
            ),
        )
        migrate(database.url, "downgrade", "0005")
        [back, sessions] = run(
            database.url,
            select(column("id"), column("password_hash")).select_from(table("users")),
            select(column("id")).select_from(table("training_sessions")),
        )
        assert (back, sessions) == ([("u1", "h")], [("s1",)])
        migrate(database.url, "upgrade", "head")
        assert tables(database.url) == set(metadata.tables)
    finally:
        database.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_insight_migration_keeps_premium_players_premium_both_ways(backend: str, tmp_path: Path) -> None:
    """0008 adds premium_until, the Stripe customer, billing events and coach models to a filled
    database; going back drops them and keeps every user, premium or not."""
    database = Database.create(backend, tmp_path)
    try:
        migrate(database.url, "upgrade", "0005")
        paying = {"id": "u2", "email": "b@example.com", "display_name": "Bo", "display_name_key": "bo"}
        run(database.url, *FIRST_WAVE, rows("users", {**FIRST_WAVE_USER, **paying, "is_premium": True}))
        migrate(database.url, "upgrade", "0008")
        premium = select(column("id"), column("is_premium"), column("premium_until")).select_from(
            table("users")
        )
        assert run(database.url, premium.order_by("id")) == [[("u1", False, None), ("u2", True, None)]]
        run(
            database.url,
            rows("billing_events", {
                "event_id": "evt_1", "type": "checkout.session.completed", "user_id": "u1",
                "outcome": "granted", "received_at": T,
            }),
            rows("coach_models", {
                "model": '{"difficulties": {}}', "etag": "e1", "fitted_at": T, "sessions": 3,
            }),
            table("users", column("id"), column("is_premium"), column("stripe_customer_id"))
            .update()
            .where(column("id") == "u1")
            .values(is_premium=True, stripe_customer_id="cus_1"),
        )  # fmt: skip

        migrate(database.url, "downgrade", "0005")
        assert {"billing_events", "coach_models"}.isdisjoint(tables(database.url))
        kept = select(column("id"), column("is_premium")).select_from(table("users")).order_by("id")
        premium, [sizes] = run(database.url, kept, counts())
        assert [(uid, bool(paid)) for uid, paid in premium] == [("u1", True), ("u2", True)]
        assert sizes == (2, 1, 1, 2, 2, 1)  # every session, ticket and board row is still there
        migrate(database.url, "upgrade", "head")
        assert tables(database.url) == set(metadata.tables)
    finally:
        database.close()
