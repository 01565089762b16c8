"""``/duels`` (challenge a friend) and ``/users/{id}/block``: thin adapters over ``services.duels``."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import delete, get, post
from litestar.params import Parameter

from server.api.deps import BEARER, errors
from server.api.schemas import (
    BlockOut,
    DuelIn,
    DuelOut,
    DuelPlayerOut,
    DuelResultOut,
    Envelope,
    MessageOut,
    ReasonOut,
)
from server.api.users import UserPath
from server.services import Context
from server.services import duels as service
from server.services.duels import DuelState

__all__ = ["accept", "block", "create_duel", "decline", "get_duel", "list_blocked", "list_duels", "unblock"]

DuelPath = Annotated[str, Parameter(pattern=r"^[0-9A-Fa-f-]{32,36}$", description="a duel's id (UUID)")]


def _player(row: dict[str, Any]) -> DuelPlayerOut:
    return DuelPlayerOut(row["id"], row["display_name"], row["avatar_url"])


def duel_out(duel: dict[str, Any]) -> DuelOut:
    """The API shape of a duel read by the service."""
    return DuelOut(
        id=duel["id"],
        challenger=_player(duel["challenger"]),
        opponent=_player(duel["opponent"]),
        grid_size=duel["grid_size"],
        order_mode=duel["order_mode"],
        variant=duel["variant"],
        state=duel["state"],
        created_at=duel["created_at"],
        expires_at=duel["expires_at"],
        results=[
            DuelResultOut(
                user_id=row["user_id"],
                session_id=row["session_id"],
                status=row["status"],
                completion_time_ms=row["completion_time_ms"],
                mistakes=row["mistakes"],
                verified=row["verified"],
                finished_at=row["finished_at"],
                reasons=[ReasonOut(r["code"], r["message"], r.get("index")) for r in row["reasons"]],
            )
            for row in duel["results"]
        ],
        winner_id=duel["winner_id"],
        responded_at=duel["responded_at"],
        finished_at=duel["finished_at"],
    )


@post(
    "/duels", status_code=201, responses=errors(400, 401, 403, 404, 409, 429), security=BEARER, tags=["duels"]
)
async def create_duel(data: DuelIn, ctx: Context, me_id: str) -> Envelope[DuelOut]:
    """Challenge a player on one board; it waits for them to accept and expires 72 h after it was made.

    403 ``BLOCKED`` when either player blocked the other; 409 ``CONFLICT`` while the pair already has
    an open duel on that board; 429 past the per-user quota of new duels.
    """
    duel = await service.create(ctx, me_id, data.opponent_id, data.variant, data.grid_size, data.order_mode)
    return Envelope(duel_out(duel))


@get("/duels", responses=errors(400, 401), security=BEARER, tags=["duels"])
async def list_duels(
    ctx: Context,
    me_id: str,
    # "state" is a name Litestar reserves for the app state: the query parameter is aliased.
    duel_state: Annotated[
        DuelState | None, Parameter(query="state", description="only duels in this state")
    ] = None,
    limit: Annotated[int, Parameter(ge=1, le=100, description="page size")] = 20,
    offset: Annotated[int, Parameter(ge=0, le=10_000_000, description="rows to skip")] = 0,
) -> Envelope[list[DuelOut]]:
    """Your duels (made or received), newest first, optionally in one ``state``."""
    page, total = await service.list_duels(ctx, me_id, duel_state, limit, offset)
    return Envelope([duel_out(duel) for duel in page], meta={"total": total, "per_page": limit})


@get("/duels/{duel_id:str}", responses=errors(400, 401, 404), security=BEARER, tags=["duels"])
async def get_duel(ctx: Context, me_id: str, duel_id: DuelPath) -> Envelope[DuelOut]:
    """One of your duels; anyone else's is a 404."""
    return Envelope(duel_out(await service.get(ctx, me_id, duel_id)))


@post(
    "/duels/{duel_id:str}/accept",
    status_code=200,
    responses=errors(400, 401, 403, 404, 409),
    security=BEARER,
    tags=["duels"],
)
async def accept(ctx: Context, me_id: str, duel_id: DuelPath) -> Envelope[DuelOut]:
    """Take a pending challenge up (the challenged player only)."""
    return Envelope(duel_out(await service.accept(ctx, me_id, duel_id)))


@post(
    "/duels/{duel_id:str}/decline",
    status_code=200,
    responses=errors(400, 401, 403, 404, 409),
    security=BEARER,
    tags=["duels"],
)
async def decline(ctx: Context, me_id: str, duel_id: DuelPath) -> Envelope[DuelOut]:
    """Turn a pending challenge down (the challenged player only)."""
    return Envelope(duel_out(await service.decline(ctx, me_id, duel_id)))


@post(
    "/users/{user_id:str}/block",
    status_code=200,
    responses=errors(400, 401, 404),
    security=BEARER,
    tags=["duels"],
)
async def block(ctx: Context, me_id: str, user_id: UserPath) -> Envelope[MessageOut]:
    """Stop a player from challenging you (idempotent); their pending challenges to you are declined."""
    await service.block(ctx, me_id, user_id)
    return Envelope(MessageOut("blocked"))


@delete(
    "/users/{user_id:str}/block",
    status_code=200,
    responses=errors(400, 401),
    security=BEARER,
    tags=["duels"],
)
async def unblock(ctx: Context, me_id: str, user_id: UserPath) -> Envelope[MessageOut]:
    """Let a player challenge you again (idempotent)."""
    await service.unblock(ctx, me_id, user_id)
    return Envelope(MessageOut("not blocked"))


@get("/users/me/blocked", responses=errors(401), security=BEARER, tags=["duels"])
async def list_blocked(ctx: Context, me_id: str) -> Envelope[list[BlockOut]]:
    """The players you blocked, most recent first."""
    rows = await service.blocked_players(ctx, me_id)
    return Envelope([BlockOut(_player(row), row["blocked_at"]) for row in rows])
