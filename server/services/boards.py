"""Leaderboards: per-user bests kept on write, pages and ranks read from one index.

Boards: ``daily`` and ``all-time`` (ranked mode), ``daily-challenge`` (each user's first attempt),
``weekly-challenge`` (best of each user's first three attempts); friends is the all-time board
restricted to the people you follow plus you. Ties: the earlier achievement ranks first, then the
user id, so every row has one stable rank.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

import core
from server.db.models import board_entries, board_histogram, follows, training_sessions, users
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

CHALLENGE_ATTEMPTS = core.CHALLENGE_ATTEMPTS
"""Attempts that count per challenge board and period (CONTRACT: first attempt; best of first 3)."""


@dataclass(frozen=True, slots=True)
class BoardKey:
    """One board: kind, period, variant, grid size and order."""

    board: str
    period: str
    variant: str
    grid_size: int
    order_mode: str

    def where(self) -> ColumnElement[bool]:
        """The SQL condition selecting this board's rows (a prefix of the rank index)."""
        c = board_entries.c
        return and_(
            c.board == self.board,
            c.period == self.period,
            c.variant == self.variant,
            c.grid_size == self.grid_size,
            c.order_mode == self.order_mode,
        )


def board_keys_for(
    mode: str, period: str | None, attempt: int | None, variant: str, grid_size: int, order: str
) -> list[BoardKey]:
    """The boards a verified completed session of ``mode`` competes on (each variant has its own)."""
    board = (variant, grid_size, order)
    if mode == core.Mode.RANKED and period:
        return [BoardKey("daily", period, *board), BoardKey("all-time", "all", *board)]
    if mode in CHALLENGE_ATTEMPTS and period and attempt is not None and attempt <= CHALLENGE_ATTEMPTS[mode]:
        return [BoardKey(f"{mode}-challenge", period, *board)]
    return []


def achieved_at(payload: dict[str, Any], received_at: datetime) -> datetime:
    """When a result was achieved, for tie-breaks: the game's end, never later than its upload."""
    moment = datetime.fromisoformat(payload.get("completed_at") or payload["started_at"])
    return min(moment, received_at)


def percentile_from_counts(slower: int, ties: int, total: int) -> float | None:
    """``core.percentile_from_counts``, or ``None`` on an empty board (nobody to compare with)."""
    return None if total <= 0 else core.percentile_from_counts(slower, ties, total)


_KEY_COLUMNS = ("board", "period", "variant", "grid_size", "order_mode")
"""The columns naming one board, in ``BoardKey``'s order (a prefix of the rank index)."""
_HISTOGRAM_COLUMNS = (*_KEY_COLUMNS, "bucket")

BUCKET_MS = 100
"""Width of a ``board_histogram`` bucket: a rank counts at most one bucket's entries row by row."""


def bucket_of(time_ms: float) -> int:
    """The histogram bucket of a best time."""
    return math.floor(time_ms / BUCKET_MS)


@functools.cache
def _write_best(is_postgres: bool) -> Any:
    """The upsert of one per-user best, built once (building it costs more than running it)."""
    stmt = (postgresql.insert if is_postgres else sqlite.insert)(board_entries)
    return stmt.on_conflict_do_update(
        index_elements=["board", "period", "variant", "grid_size", "order_mode", "user_id"],
        set_={
            "best_time_ms": stmt.excluded.best_time_ms,
            "session_id": stmt.excluded.session_id,
            "achieved_at": stmt.excluded.achieved_at,
        },
    )


@functools.cache
def _add_to_histogram(is_postgres: bool) -> Any:
    stmt = (postgresql.insert if is_postgres else sqlite.insert)(board_histogram)
    return stmt.on_conflict_do_update(
        index_elements=["board", "period", "variant", "grid_size", "order_mode", "bucket"],
        set_={"count": board_histogram.c.count + stmt.excluded["count"]},
    )


_HELD = select(
    board_entries.c.board,
    board_entries.c.period,
    board_entries.c.variant,
    board_entries.c.grid_size,
    board_entries.c.order_mode,
    board_entries.c.best_time_ms,
).where(
    board_entries.c.user_id == bindparam("user_id"),
    board_entries.c.period.in_(bindparam("periods", expanding=True)),
)


async def _shift_histogram(ctx: Context, conn: AsyncConnection, moves: dict[tuple[Any, ...], int]) -> None:
    """Apply +1/-1 moves between buckets, in key order so concurrent writers never deadlock."""
    rows = [dict(zip(_HISTOGRAM_COLUMNS, k, strict=True), count=n) for k, n in sorted(moves.items()) if n]
    if rows:
        await conn.execute(_add_to_histogram(ctx.db.is_postgres), rows)


async def upsert_bests(ctx: Context, conn: AsyncConnection, rows: Iterable[dict[str, Any]]) -> None:
    """Insert or improve per-user bests (only a strictly better time replaces one) and their buckets.

    All rows belong to one user, whose stats row the caller holds locked, so the entries read here
    cannot change before this transaction commits.
    """
    best: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[name] for name in _KEY_COLUMNS)
        held = best.get(key)
        if held is None or (row["best_time_ms"], row["achieved_at"]) < (
            held["best_time_ms"],
            held["achieved_at"],
        ):
            best[key] = row
    if not best:
        return
    user_id = next(iter(best.values()))["user_id"]
    periods = sorted({key[1] for key in best})
    stored = {
        (r.board, r.period, r.variant, r.grid_size, r.order_mode): r.best_time_ms
        for r in await conn.execute(_HELD, {"user_id": user_id, "periods": periods})
    }
    better = [row for key, row in best.items() if key not in stored or row["best_time_ms"] < stored[key]]
    if not better:
        return
    await conn.execute(_write_best(ctx.db.is_postgres), better)
    moves: dict[tuple[Any, ...], int] = {}
    for row in better:
        key = tuple(row[name] for name in _KEY_COLUMNS)
        if key in stored:
            old = (*key, bucket_of(stored[key]))
            moves[old] = moves.get(old, 0) - 1
        new = (*key, bucket_of(row["best_time_ms"]))
        moves[new] = moves.get(new, 0) + 1
    await _shift_histogram(ctx, conn, moves)


def _eligible(key: BoardKey, user_id: str) -> ColumnElement[bool]:
    s = training_sessions.c
    conditions = [
        s.user_id == user_id,
        s.verified.is_(True),
        s.status == core.Status.COMPLETED.value,
        s.deleted_at.is_(None),
        s.variant == key.variant,
        s.grid_size == key.grid_size,
        s.order_mode == key.order_mode,
    ]
    if key.board == "all-time":
        conditions.append(s.mode == core.Mode.RANKED.value)
    elif key.board == "daily":
        conditions += [s.mode == core.Mode.RANKED.value, s.period == key.period]
    else:
        mode = key.board.removesuffix("-challenge")
        conditions += [s.mode == mode, s.period == key.period, s.attempt <= CHALLENGE_ATTEMPTS[mode]]
    return and_(*conditions)


async def recompute_entries(ctx: Context, conn: AsyncConnection, user_id: str, session_id: str) -> None:
    """After ``session_id`` left the history, rebuild the user's entries that it held."""
    held = (
        await conn.execute(
            select(board_entries).where(
                board_entries.c.user_id == user_id, board_entries.c.session_id == session_id
            )
        )
    ).mappings()
    for entry in list(held):
        key = BoardKey(*(entry[name] for name in _KEY_COLUMNS))
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
        moves = {(*astuple(key), bucket_of(entry["best_time_ms"])): -1}
        if best is None:
            await conn.execute(delete(board_entries).where(where))
        else:
            new = (*astuple(key), bucket_of(best.completion_time_ms))
            moves[new] = moves.get(new, 0) + 1
            achieved = achieved_at(best.payload, best.received_at)
            await conn.execute(
                update(board_entries)
                .where(where)
                .values(best_time_ms=best.completion_time_ms, session_id=best.id, achieved_at=achieved)
            )
        await _shift_histogram(ctx, conn, moves)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a board plus the caller's own standing."""

    entries: list[dict[str, Any]]
    total: int
    me: dict[str, Any] | None


async def read_board(
    ctx: Context, key: BoardKey, limit: int, offset: int, me: str | None, friends_of: str | None = None
) -> Page:
    """A page of ``key`` (rank order) with ``total`` and ``me`` = {rank, best_time_ms, percentile}.

    Three indexed statements whatever the board's size: the caller's entry; the counts from the
    histogram plus one bucket, with the bucket where the page starts; and the page itself.
    """
    if friends_of is not None:
        return await _read_friends(ctx, key, limit, offset, me, friends_of)
    params = _key_params(key)
    async with ctx.db.engine.connect() as conn:
        mine = (await conn.execute(_MINE, params | {"me": me})).first() if me is not None else None
        standing = None
        params["offset"] = offset
        if mine is None:
            total, landing_bucket, landing_before = (await conn.execute(_COUNTS, params)).one()
            total = int(total)
        else:
            bucket = bucket_of(mine.best_time_ms)
            counts = params | {
                "me": me,
                "best": mine.best_time_ms,
                "achieved": mine.achieved_at,
                "bucket": bucket,
                "low": bucket * BUCKET_MS,
                "high": (bucket + 1) * BUCKET_MS,
            }
            counted = (await conn.execute(_STANDING, counts)).one()
            total, below, ahead, not_slower, ties = (int(n) for n in counted[:5])
            landing_bucket, landing_before = counted[5:]
            standing = {
                "rank": below + ahead + 1,
                "best_time_ms": mine.best_time_ms,
                "percentile": percentile_from_counts(total - below - not_slower, ties, total),
            }
        # Start at the bucket holding the offset-th entry instead of walking past every earlier one.
        floor_ms, skip = -1.0, offset
        if landing_bucket is not None:
            floor_ms, skip = float(landing_bucket * BUCKET_MS), offset - int(landing_before)
        rows = (
            await conn.execute(_PAGE, params | {"floor": floor_ms, "limit": limit, "skip": skip})
        ).mappings()
        entries = [dict(row, rank=offset + number) for number, row in enumerate(rows, 1)]
    return Page(entries, total, standing)


def _key_params(key: BoardKey) -> dict[str, Any]:
    return dict(zip(_KEY_COLUMNS, astuple(key), strict=True))


def _histogram_where(key: BoardKey) -> ColumnElement[bool]:
    h = board_histogram.c
    return and_(
        h.board == key.board,
        h.period == key.period,
        h.variant == key.variant,
        h.grid_size == key.grid_size,
        h.order_mode == key.order_mode,
    )


_H_KEY = and_(
    board_histogram.c.board == bindparam("board"),
    board_histogram.c.period == bindparam("period"),
    board_histogram.c.variant == bindparam("variant"),
    board_histogram.c.grid_size == bindparam("grid_size"),
    board_histogram.c.order_mode == bindparam("order_mode"),
)
_TOTAL = select(func.coalesce(func.sum(board_histogram.c.count), 0)).where(_H_KEY)
_cumulative = (
    select(
        board_histogram.c.bucket,
        (
            func.sum(board_histogram.c.count).over(order_by=board_histogram.c.bucket)
            - board_histogram.c.count
        ).label("before"),
    )
    .where(_H_KEY, board_histogram.c.count > 0)
    .subquery()
)
_LANDING_BUCKET = (
    select(_cumulative.c.bucket)
    .where(_cumulative.c.before <= bindparam("offset"))
    .order_by(_cumulative.c.bucket.desc())
    .limit(1)
    .scalar_subquery()
)
_LANDING_BEFORE = (
    select(_cumulative.c.before)
    .where(_cumulative.c.before <= bindparam("offset"))
    .order_by(_cumulative.c.bucket.desc())
    .limit(1)
    .scalar_subquery()
)
_COUNTS = select(_TOTAL.scalar_subquery(), _LANDING_BUCKET, _LANDING_BEFORE)


_E = board_entries.c
_E_KEY = and_(
    _E.board == bindparam("board"),
    _E.period == bindparam("period"),
    _E.variant == bindparam("variant"),
    _E.grid_size == bindparam("grid_size"),
    _E.order_mode == bindparam("order_mode"),
)
_MINE = select(_E.best_time_ms, _E.achieved_at).where(_E_KEY, _E.user_id == bindparam("me"))
_IN_BUCKET = and_(_E_KEY, _E.best_time_ms >= bindparam("low"), _E.best_time_ms < bindparam("high"))
_BEFORE_ME = tuple_(_E.best_time_ms, _E.achieved_at, _E.user_id) < tuple_(
    bindparam("best"), bindparam("achieved", type_=board_entries.c.achieved_at.type), bindparam("me")
)
_STANDING = select(
    _TOTAL.scalar_subquery(),
    select(func.coalesce(func.sum(board_histogram.c.count), 0))
    .where(_H_KEY, board_histogram.c.bucket < bindparam("bucket"))
    .scalar_subquery(),
    # Inside one bucket (a few hundred rows on a busy board) count exactly.
    select(func.count()).where(_IN_BUCKET, _BEFORE_ME).scalar_subquery(),
    select(func.count()).where(_IN_BUCKET, _E.best_time_ms <= bindparam("best")).scalar_subquery(),
    select(func.count()).where(_IN_BUCKET, _E.best_time_ms == bindparam("best")).scalar_subquery(),
    _LANDING_BUCKET,
    _LANDING_BEFORE,
)
_RANKED = (
    select(_E.user_id, _E.best_time_ms, _E.session_id, _E.achieved_at)
    .where(_E_KEY, _E.best_time_ms >= bindparam("floor"))
    .order_by(_E.best_time_ms, _E.achieved_at, _E.user_id)
    .limit(bindparam("limit"))
    .offset(bindparam("skip"))
    .subquery()
)
_PAGE = (
    select(_RANKED, users.c.display_name, users.c.avatar_url)
    .join(users, users.c.id == _RANKED.c.user_id)
    .order_by(_RANKED.c.best_time_ms, _RANKED.c.achieved_at, _RANKED.c.user_id)
)


async def _read_friends(
    ctx: Context, key: BoardKey, limit: int, offset: int, me: str | None, friends_of: str
) -> Page:
    """The board restricted to the people ``friends_of`` follows plus them: small, so counted directly."""
    c = board_entries.c
    followed = select(follows.c.followee_id).where(follows.c.follower_id == friends_of)
    where = and_(key.where(), or_(c.user_id == friends_of, c.user_id.in_(followed)))
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
            return Page(entries, int(total), None)
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
    ctx: Context, variant: str, grid_size: int, order_mode: str, time_ms: float
) -> tuple[float | None, int]:
    """Where ``time_ms`` stands among every player's all-time best on one board: (percentile, sample)."""
    key = BoardKey("all-time", "all", variant, grid_size, order_mode)
    c, h = board_entries.c, board_histogram.c
    bucket = bucket_of(time_ms)
    async with ctx.db.engine.connect() as conn:
        total = int((await conn.execute(_TOTAL, _key_params(key))).scalar_one())
        above = (
            await conn.execute(
                select(func.coalesce(func.sum(h.count), 0)).where(_histogram_where(key), h.bucket > bucket)
            )
        ).scalar_one()
        in_bucket = and_(
            key.where(), c.best_time_ms >= bucket * BUCKET_MS, c.best_time_ms < (bucket + 1) * BUCKET_MS
        )
        slower, ties = (
            await conn.execute(
                select(
                    func.count().filter(c.best_time_ms > time_ms),
                    func.count().filter(c.best_time_ms == time_ms),
                ).where(in_bucket)
            )
        ).one()
    return percentile_from_counts(int(above) + int(slower), int(ties), total), total
