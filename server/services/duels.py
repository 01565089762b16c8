"""Duels: two players, one hidden board, each revealed only by the player's own ticket.

A duel is ``pending`` until the opponent accepts (``accepted``) or declines (``declined``). Each
player's result is the session that consumed their duel ticket, judged by the ordinary ingest (replay,
ticket checks, upload window, review hold). Once both have played, or when the duel expires
(``duel_ttl_seconds`` after creation), it is settled: ``finished`` with a winner (possibly none) when
anybody played, ``expired`` when nobody did. Expiry is applied lazily whenever a duel is read or
acted on, so no background job is needed.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

import core
from server.db.models import blocks, duel_results, duels, users
from server.errors import ApiError
from server.services import Context, utcnow
from server.services.quotas import charge

__all__ = [
    "OPEN_STATES",
    "DuelState",
    "accept",
    "block",
    "blocked_players",
    "board_for_ticket",
    "create",
    "decline",
    "get",
    "list_duels",
    "record_result",
    "unblock",
    "winner",
]


class DuelState(StrEnum):
    """Where a duel is in its life (CONTRACT: Duels)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    FINISHED = "finished"
    EXPIRED = "expired"


OPEN_STATES = (DuelState.PENDING, DuelState.ACCEPTED)
"""States in which a duel can still be played (and blocks another on the same pair and board)."""

_NOT_FOUND = "no duel of yours has this id"


def winner(results: Sequence[dict[str, Any]]) -> str | None:
    """The winner's user id, or ``None``.

    The faster verified completed game wins, then fewer mistakes, then the earlier finish. Nobody wins
    a duel nobody completed, and a dead heat on all three is a draw.
    """
    ranked = sorted(
        (row["completion_time_ms"], row["mistakes"], row["finished_at"], row["user_id"])
        for row in results
        if row["verified"]
        and row["status"] == core.Status.COMPLETED
        and row["completion_time_ms"] is not None
    )
    if not ranked or (len(ranked) > 1 and ranked[0][:3] == ranked[1][:3]):
        return None
    return str(ranked[0][3])


def _open_key(a: str, b: str, variant: str, grid_size: int, order_mode: str) -> str:
    low, high = sorted((a, b))
    return f"{low}:{high}:{variant}:{grid_size}:{order_mode}"


async def _blocked_between(conn: AsyncConnection, a: str, b: str) -> bool:
    either = or_(
        and_(blocks.c.blocker_id == a, blocks.c.blocked_id == b),
        and_(blocks.c.blocker_id == b, blocks.c.blocked_id == a),
    )
    return (await conn.execute(select(blocks.c.blocker_id).where(either).limit(1))).first() is not None


async def create(
    ctx: Context,
    challenger_id: str,
    opponent_id: str,
    variant: core.Variant,
    grid_size: int,
    order_mode: core.Order,
) -> dict[str, Any]:
    """Challenge ``opponent_id`` on one board: a fresh non-easy seed that no one sees until they play.

    Refused: yourself (400), an unknown player (404), a block either way (403 ``BLOCKED``), a second
    open duel of the pair on the same board (409 ``CONFLICT``), past the quota (429).
    """
    if opponent_id == challenger_id:
        raise ApiError(400, "VALIDATION_ERROR", "you cannot challenge yourself")
    if grid_size not in variant.sizes:
        raise ApiError(
            400,
            "VALIDATION_ERROR",
            f"the {variant.value} variant comes in grid sizes {variant.sizes[0]} … {variant.sizes[-1]}, "
            f"not {grid_size}",
            {"variant": variant.value, "grid_size": grid_size, "sizes": list(variant.sizes)},
        )
    await charge(ctx, challenger_id, "duel")
    now = utcnow()
    seed = secrets.randbelow(core.MAX_SEED)
    while core.Board.generate(grid_size, seed).is_easy:  # core rejects easy layouts: never deal one
        seed = secrets.randbelow(core.MAX_SEED)
    key = _open_key(challenger_id, opponent_id, variant.value, grid_size, order_mode.value)
    duel_id = str(uuid.uuid4())
    try:
        async with ctx.db.engine.begin() as conn:
            if (await conn.execute(select(users.c.id).where(users.c.id == opponent_id))).first() is None:
                raise ApiError(404, "NOT_FOUND", "no player has this id")
            if await _blocked_between(conn, challenger_id, opponent_id):
                raise ApiError(403, "BLOCKED", "this player does not take challenges from you")
            await _settle_due(conn, duels.c.open_key == key, now)  # an expired duel blocks no new one
            existing = (await conn.execute(select(duels.c.id).where(duels.c.open_key == key))).scalar()
            if existing is not None:
                raise _open_conflict(existing)
            await conn.execute(
                insert(duels).values(
                    id=duel_id,
                    challenger_id=challenger_id,
                    opponent_id=opponent_id,
                    variant=variant.value,
                    grid_size=grid_size,
                    order_mode=order_mode.value,
                    board_seed=seed,
                    state=DuelState.PENDING.value,
                    open_key=key,
                    winner_id=None,
                    created_at=now,
                    expires_at=now + timedelta(seconds=ctx.settings.duel_ttl_seconds),
                )
            )
            return await _read(conn, duel_id)
    except IntegrityError:  # a concurrent request opened the same duel first (the unique open key)
        raise _open_conflict(None) from None


def _open_conflict(existing: str | None) -> ApiError:
    return ApiError(
        409,
        "CONFLICT",
        "you two already have an open duel on this board: play or settle it first",
        {"duel_id": existing} if existing else {},
    )


_PLAYER_COLUMNS = (users.c.id, users.c.display_name, users.c.avatar_url)


async def _read_many(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Duel rows as the API shows them: both players' public names and the results (no seed)."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    people = {row["challenger_id"] for row in rows} | {row["opponent_id"] for row in rows}
    names = {
        row["id"]: dict(row)
        for row in (await conn.execute(select(*_PLAYER_COLUMNS).where(users.c.id.in_(people)))).mappings()
    }
    results: dict[str, list[dict[str, Any]]] = {}
    for result in (
        await conn.execute(
            select(duel_results).where(duel_results.c.duel_id.in_(ids)).order_by(duel_results.c.finished_at)
        )
    ).mappings():
        results.setdefault(result["duel_id"], []).append(dict(result))
    return [
        {
            **{
                name: row[name] for name in ("id", "variant", "grid_size", "order_mode", "state", "winner_id")
            },
            **{name: row[name] for name in ("created_at", "expires_at", "responded_at", "finished_at")},
            "challenger": names[row["challenger_id"]],
            "opponent": names[row["opponent_id"]],
            "results": results.get(row["id"], []),
        }
        for row in rows
    ]


async def _read(conn: AsyncConnection, duel_id: str) -> dict[str, Any]:
    row = (await conn.execute(select(duels).where(duels.c.id == duel_id))).mappings().one()
    return (await _read_many(conn, [dict(row)]))[0]


async def _settle(conn: AsyncConnection, duel: dict[str, Any], now: datetime) -> None:
    """Close a duel: ``finished`` with its winner when anybody played it, else ``expired``.

    A challenge never taken up expires: the challenger's own game does not win it.
    """
    rows = [
        dict(row)
        for row in (
            await conn.execute(select(duel_results).where(duel_results.c.duel_id == duel["id"]))
        ).mappings()
    ]
    if duel["state"] == DuelState.PENDING:
        rows = []
    state = DuelState.FINISHED if rows else DuelState.EXPIRED
    await conn.execute(
        update(duels)
        .where(duels.c.id == duel["id"])
        .values(state=state.value, winner_id=winner(rows), open_key=None, finished_at=now)
    )


async def _settle_due(conn: AsyncConnection, which: Any, now: datetime) -> None:
    """Settle the open duels matching ``which`` whose time ran out."""
    due = select(duels).where(
        which, duels.c.state.in_([state.value for state in OPEN_STATES]), duels.c.expires_at <= now
    )
    for row in (await conn.execute(due.with_for_update())).mappings().all():
        await _settle(conn, dict(row), now)


def _mine(user_id: str) -> Any:
    return or_(duels.c.challenger_id == user_id, duels.c.opponent_id == user_id)


async def _locked(conn: AsyncConnection, user_id: str, duel_id: str, now: datetime) -> dict[str, Any]:
    """A duel of ``user_id`` locked for change, settled first if its time ran out; 404 for anyone else's."""
    await _settle_due(conn, duels.c.id == duel_id, now)
    row = (
        (await conn.execute(select(duels).where(duels.c.id == duel_id, _mine(user_id)).with_for_update()))
        .mappings()
        .first()
    )
    if row is None:
        raise ApiError(404, "NOT_FOUND", _NOT_FOUND)
    return dict(row)


async def get(ctx: Context, user_id: str, duel_id: str) -> dict[str, Any]:
    """One duel of ``user_id`` (as challenger or opponent); 404 for anyone else, so ids leak nothing."""
    async with ctx.db.engine.begin() as conn:
        await _locked(conn, user_id, duel_id, utcnow())
        return await _read(conn, duel_id)


async def list_duels(
    ctx: Context, user_id: str, state: DuelState | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the caller's duels, newest first, and how many match."""
    async with ctx.db.engine.begin() as conn:
        await _settle_due(conn, _mine(user_id), utcnow())
        which = _mine(user_id) if state is None else and_(_mine(user_id), duels.c.state == state.value)
        rows = (
            await conn.execute(
                select(duels).where(which).order_by(duels.c.created_at.desc(), duels.c.id.desc())
                .limit(limit).offset(offset)
            )
        ).mappings()  # fmt: skip
        page = await _read_many(conn, [dict(row) for row in rows])
        total = (await conn.execute(select(func.count()).select_from(duels).where(which))).scalar_one()
    return page, int(total)


async def _respond(ctx: Context, user_id: str, duel_id: str, state: DuelState) -> dict[str, Any]:
    now = utcnow()
    async with ctx.db.engine.begin() as conn:
        duel = await _locked(conn, user_id, duel_id, now)
        if duel["opponent_id"] != user_id:
            raise ApiError(403, "FORBIDDEN", "only the challenged player accepts or declines a duel")
        if duel["state"] != DuelState.PENDING:
            raise ApiError(
                409, "CONFLICT", f"the duel is {duel['state']}, not pending", {"state": duel["state"]}
            )
        values: dict[str, Any] = {"state": state.value, "responded_at": now}
        if state is DuelState.DECLINED:
            values |= {"open_key": None, "finished_at": now}
        await conn.execute(update(duels).where(duels.c.id == duel_id).values(**values))
        return await _read(conn, duel_id)


async def accept(ctx: Context, user_id: str, duel_id: str) -> dict[str, Any]:
    """The opponent takes the challenge up: both may now take their ticket."""
    return await _respond(ctx, user_id, duel_id, DuelState.ACCEPTED)


async def decline(ctx: Context, user_id: str, duel_id: str) -> dict[str, Any]:
    """The opponent turns the challenge down: it closes, and a new one on that board may be made."""
    return await _respond(ctx, user_id, duel_id, DuelState.DECLINED)


async def board_for_ticket(
    ctx: Context, conn: AsyncConnection, user_id: str, duel_id: str, now: datetime
) -> dict[str, Any]:
    """The duel (with its board) for ``user_id``'s ticket, locked.

    The challenger may play as soon as the duel is made, the opponent once they accepted; nobody once
    it is settled (409).
    """
    duel = await _locked(conn, user_id, duel_id, now)
    playable = (DuelState.PENDING, DuelState.ACCEPTED) if duel["challenger_id"] == user_id else (
        DuelState.ACCEPTED,
    )  # fmt: skip
    if duel["state"] not in playable:
        raise ApiError(
            409,
            "CONFLICT",
            f"the duel is {duel['state']}: "
            + ("accept it first" if duel["state"] == "pending" else "closed"),
            {"state": duel["state"]},
        )
    return duel


async def record_result(
    conn: AsyncConnection, duel_id: str, row: dict[str, Any], finished_at: datetime, now: datetime
) -> None:
    """Store a player's judged duel game and settle the duel once both have played.

    ``row`` is the ``training_sessions`` row; the ingest calls this inside its transaction.

    A result counts (``verified``) only when the session is verified and on the boards' terms: a
    late upload or a result held for review does not decide a duel.
    """
    duel = (
        (await conn.execute(select(duels).where(duels.c.id == duel_id).with_for_update())).mappings().first()
    )
    if duel is None:
        return
    await conn.execute(
        insert(duel_results).values(
            duel_id=duel_id,
            user_id=row["user_id"],
            session_id=row["id"],
            status=row["status"],
            completion_time_ms=row["completion_time_ms"],
            mistakes=int(row["payload"].get("mistakes", 0)),
            verified=bool(row["verified"] and not row["off_board"]),
            reasons=row["reasons"],
            finished_at=finished_at,
        )
    )
    if duel["state"] not in OPEN_STATES:
        return  # settled already (expired while this game was on its way): kept, but decides nothing
    played = (
        await conn.execute(select(duel_results.c.user_id).where(duel_results.c.duel_id == duel_id))
    ).all()
    if len(played) >= 2:
        await _settle(conn, dict(duel), now)


async def block(ctx: Context, user_id: str, other_id: str) -> None:
    """Take no more challenges from ``other_id`` (idempotent); their pending challenges are declined."""
    if user_id == other_id:
        raise ApiError(400, "VALIDATION_ERROR", "you cannot block yourself")
    now = utcnow()
    async with ctx.db.engine.begin() as conn:
        if (await conn.execute(select(users.c.id).where(users.c.id == other_id))).first() is None:
            raise ApiError(404, "NOT_FOUND", "no player has this id")
        mine = and_(blocks.c.blocker_id == user_id, blocks.c.blocked_id == other_id)
        if (await conn.execute(select(blocks.c.blocker_id).where(mine))).first() is None:
            await conn.execute(insert(blocks).values(blocker_id=user_id, blocked_id=other_id, created_at=now))
        await conn.execute(
            update(duels)
            .where(
                duels.c.challenger_id == other_id,
                duels.c.opponent_id == user_id,
                duels.c.state == DuelState.PENDING.value,
            )
            .values(state=DuelState.DECLINED.value, open_key=None, responded_at=now, finished_at=now)
        )


async def unblock(ctx: Context, user_id: str, other_id: str) -> None:
    """Take challenges from ``other_id`` again (idempotent)."""
    async with ctx.db.engine.begin() as conn:
        await conn.execute(
            delete(blocks).where(blocks.c.blocker_id == user_id, blocks.c.blocked_id == other_id)
        )


async def blocked_players(ctx: Context, user_id: str) -> list[dict[str, Any]]:
    """The players ``user_id`` blocked, most recent first."""
    async with ctx.db.engine.connect() as conn:
        rows = await conn.execute(
            select(*_PLAYER_COLUMNS, blocks.c.created_at.label("blocked_at"))
            .join(blocks, blocks.c.blocked_id == users.c.id)
            .where(blocks.c.blocker_id == user_id)
            .order_by(blocks.c.created_at.desc())
        )
        return [dict(row) for row in rows.mappings()]
