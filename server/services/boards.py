"""Leaderboards: per-user bests kept on write, pages and ranks read from one index.

Boards: ``daily`` and ``all-time`` (ranked mode), ``daily-challenge`` (each user's first attempt),
``weekly-challenge`` (best of each user's first three attempts); friends is the all-time board
restricted to the people you follow plus you. Ties: the earlier achievement ranks first, then the
user id, so every row has one stable rank.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from server.db.models import board_entries, follows, training_sessions, users
from server.services import Context

__all__ = [
    "BOARDS",
    "CHALLENGE_ATTEMPTS",
    "BoardKey",
    "Page",
    "achieved_at",
    "board_keys_for",
    "percentile_from_counts",
    "read_board",
    "recompute_entries",
    "upsert_bests",
]

BOARDS = ("daily", "all-time", "daily-challenge", "weekly-challenge")
"""Board kinds stored in ``board_entries``."""

CHALLENGE_ATTEMPTS = {"daily": 1, "weekly": 3}
"""Attempts that count per challenge board and period (CONTRACT: first attempt; best of first 3)."""


@dataclass(frozen=True, slots=True)
class BoardKey:
    """One board: kind, period, grid size and order."""

    board: str
    period: str
    grid_size: int
    order_mode: str

    def where(self) -> ColumnElement[bool]:
        """The SQL condition selecting this board's rows (a prefix of the rank index)."""
        c = board_entries.c
        return and_(
            c.board == self.board,
            c.period == self.period,
            c.grid_size == self.grid_size,
            c.order_mode == self.order_mode,
        )


def board_keys_for(
    mode: str, period: str | None, attempt: int | None, grid_size: int, order: str
) -> list[BoardKey]:
    """The boards a verified completed session of ``mode`` competes on."""
    if mode == "ranked" and period:
        return [BoardKey("daily", period, grid_size, order), BoardKey("all-time", "all", grid_size, order)]
    if mode in CHALLENGE_ATTEMPTS and period and attempt is not None and attempt <= CHALLENGE_ATTEMPTS[mode]:
        return [BoardKey(f"{mode}-challenge", period, grid_size, order)]
    return []


def achieved_at(payload: dict[str, Any], received_at: datetime) -> datetime:
    """When a result was achieved, for tie-breaks: the game's end, never later than its upload."""
    moment = datetime.fromisoformat(payload.get("completed_at") or payload["started_at"])
    return min(moment, received_at)


def percentile_from_counts(slower: int, ties: int, total: int) -> float | None:
    """``core.percentile`` computed from counts instead of the whole distribution.

    Same definition (share beaten, ties count half, 1 decimal); a test checks it against
    ``core.percentile`` so the two can never drift.
    """
    if total <= 0:
        return None
    return round((slower + ties / 2) / total * 100, 1)


@functools.cache
def _improve_best(is_postgres: bool) -> Any:
    """The upsert of one per-user best, built once (building it costs more than running it)."""
    stmt = (postgresql.insert if is_postgres else sqlite.insert)(board_entries)
    return stmt.on_conflict_do_update(
        index_elements=["board", "period", "grid_size", "order_mode", "user_id"],
        set_={
            "best_time_ms": stmt.excluded.best_time_ms,
            "session_id": stmt.excluded.session_id,
            "achieved_at": stmt.excluded.achieved_at,
        },
        where=stmt.excluded.best_time_ms < board_entries.c.best_time_ms,
    )


async def upsert_bests(ctx: Context, conn: AsyncConnection, rows: Iterable[dict[str, Any]]) -> None:
    """Insert or improve per-user bests; an entry only ever changes to a strictly better time."""
    best: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (row["board"], row["period"], row["grid_size"], row["order_mode"], row["user_id"])
        held = best.get(key)
        if held is None or (row["best_time_ms"], row["achieved_at"]) < (
            held["best_time_ms"],
            held["achieved_at"],
        ):
            best[key] = row
    if not best:
        return
    await conn.execute(_improve_best(ctx.db.is_postgres), list(best.values()))


def _eligible(key: BoardKey, user_id: str) -> ColumnElement[bool]:
    s = training_sessions.c
    conditions = [
        s.user_id == user_id,
        s.verified.is_(True),
        s.status == "completed",
        s.deleted_at.is_(None),
        s.grid_size == key.grid_size,
        s.order_mode == key.order_mode,
    ]
    if key.board == "all-time":
        conditions.append(s.mode == "ranked")
    elif key.board == "daily":
        conditions += [s.mode == "ranked", s.period == key.period]
    else:
        mode = key.board.removesuffix("-challenge")
        conditions += [s.mode == mode, s.period == key.period, s.attempt <= CHALLENGE_ATTEMPTS[mode]]
    return and_(*conditions)


async def recompute_entries(conn: AsyncConnection, user_id: str, session_id: str) -> None:
    """After ``session_id`` left the history, rebuild the user's entries that it held."""
    held = (
        await conn.execute(
            select(board_entries).where(
                board_entries.c.user_id == user_id, board_entries.c.session_id == session_id
            )
        )
    ).mappings()
    for entry in list(held):
        key = BoardKey(entry["board"], entry["period"], entry["grid_size"], entry["order_mode"])
        s = training_sessions.c
        best = (
            await conn.execute(
                select(s.id, s.completion_time_ms, s.payload, s.received_at)
                .where(_eligible(key, user_id))
                .order_by(s.completion_time_ms, s.started_at)
                .limit(1)
            )
        ).first()
        where = and_(key.where(), board_entries.c.user_id == user_id)
        if best is None:
            await conn.execute(delete(board_entries).where(where))
        else:
            achieved = achieved_at(best.payload, best.received_at)
            await conn.execute(
                update(board_entries)
                .where(where)
                .values(best_time_ms=best.completion_time_ms, session_id=best.id, achieved_at=achieved)
            )


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a board plus the caller's own standing."""

    entries: list[dict[str, Any]]
    total: int
    me: dict[str, Any] | None


async def read_board(
    ctx: Context, key: BoardKey, limit: int, offset: int, me: str | None, friends_of: str | None = None
) -> Page:
    """A page of ``key`` (rank order) with ``total`` and ``me`` = {rank, best_time_ms, percentile}."""
    c = board_entries.c
    where = key.where()
    if friends_of is not None:
        followed = select(follows.c.followee_id).where(follows.c.follower_id == friends_of)
        where = and_(where, or_(c.user_id == friends_of, c.user_id.in_(followed)))
    async with ctx.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(
                    c.user_id,
                    c.best_time_ms,
                    c.session_id,
                    c.achieved_at,
                    users.c.display_name,
                    users.c.avatar_url,
                )
                .join(users, users.c.id == c.user_id)
                .where(where)
                .order_by(c.best_time_ms, c.achieved_at, c.user_id)
                .limit(limit)
                .offset(offset)
            )
        ).mappings()
        entries = [dict(row, rank=offset + number) for number, row in enumerate(rows, 1)]
        mine = None
        if me is not None:
            mine = (
                await conn.execute(select(c.best_time_ms, c.achieved_at).where(key.where(), c.user_id == me))
            ).first()
        if mine is None:
            total = (
                await conn.execute(select(func.count()).select_from(board_entries).where(where))
            ).scalar_one()
            return Page(entries, total, None)
        # One pass over this board's slice of the index gives the total, the rank and the percentile.
        before = tuple_(c.best_time_ms, c.achieved_at, c.user_id) < tuple_(
            mine.best_time_ms, mine.achieved_at, me
        )
        counts = (
            await conn.execute(
                select(
                    func.count(),
                    func.count().filter(before),
                    func.count().filter(c.best_time_ms > mine.best_time_ms),
                    func.count().filter(c.best_time_ms == mine.best_time_ms),
                ).where(where)
            )
        ).one()
    total, ahead, slower, ties = (int(value) for value in counts)
    standing = {
        "rank": ahead + 1,
        "best_time_ms": mine.best_time_ms,
        "percentile": percentile_from_counts(slower, ties, total),
    }
    return Page(entries, total, standing)


async def percentile_of(
    ctx: Context, grid_size: int, order_mode: str, time_ms: float
) -> tuple[float | None, int]:
    """Where ``time_ms`` stands among every player's all-time best: (percentile, sample size)."""
    key = BoardKey("all-time", "all", grid_size, order_mode)
    c = board_entries.c
    async with ctx.db.engine.connect() as conn:
        total, slower, ties = (
            await conn.execute(
                select(
                    func.count(),
                    func.count().filter(c.best_time_ms > time_ms),
                    func.count().filter(c.best_time_ms == time_ms),
                ).where(key.where())
            )
        ).one()
    return percentile_from_counts(int(slower), int(ties), int(total)), int(total)
