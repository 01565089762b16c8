"""``/tickets``, ``/challenges/current``, ``/leaderboards/*`` and ``/stats/percentile``."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import get, post
from litestar.params import Parameter

import core
from server.api.deps import BEARER, errors
from server.api.schemas import (
    ChallengeOut,
    ChallengesOut,
    Envelope,
    LeaderboardEntry,
    PercentileOut,
    TicketIn,
    TicketOut,
)
from server.errors import ApiError
from server.services import Context, utcnow
from server.services import boards as board_service
from server.services import tickets as ticket_service

__all__ = [
    "all_time_board",
    "challenges_current",
    "daily_board",
    "daily_board_of",
    "daily_challenge_board",
    "friends_board",
    "issue_ticket",
    "percentile",
    "weekly_challenge_board",
]

Grid = Annotated[int, Parameter(ge=min(core.SIZES), le=max(core.SIZES), description="cells per side")]
Limit = Annotated[int, Parameter(ge=1, le=100, description="page size")]
Offset = Annotated[int, Parameter(ge=0, le=10_000_000, description="rows to skip")]
DailyPeriod = Annotated[
    str | None, Parameter(max_length=32, description="UTC day like 2026-11-25; default today")
]
WeeklyPeriod = Annotated[
    str | None, Parameter(max_length=32, description="ISO week like 2026-W48; default this week")
]
BOARD_ERRORS = errors(400, 401)
ASC, CLASSIC = core.Order.ASC, core.Variant.CLASSIC


@post(
    "/tickets",
    status_code=201,
    responses=errors(400, 401, 404, 409, 413, 429),
    security=BEARER,
    tags=["play"],
)
async def issue_ticket(data: TicketIn, ctx: Context, me_id: str) -> Envelope[TicketOut]:
    """A single-use ticket for one attempt on one board; it reveals the board's seed.

    Ranked, daily or weekly on the board asked for; or your one game of a duel (``mode: duel`` with
    its ``duel_id``): the duel's board, the same seed for both players.
    """
    if data.duel_id is not None and data.mode != core.Mode.DUEL:
        raise ApiError(400, "VALIDATION_ERROR", "duel_id goes only with mode duel")
    if data.mode == core.Mode.DUEL and data.duel_id is not None:
        row = await ticket_service.issue_duel_ticket(ctx, me_id, data.duel_id)
    else:
        row = await ticket_service.issue_ticket(
            ctx, me_id, data.mode, data.variant, data.grid_size, data.order_mode
        )
    return Envelope(
        TicketOut(
            id=row["id"],
            mode=row["mode"],
            board_seed=row["board_seed"],
            grid_size=row["grid_size"],
            order_mode=row["order_mode"],
            variant=row["variant"],
            issued_at=row["issued_at"],
            expires_at=row["expires_at"],
            duel_id=row.get("duel_id"),
        )
    )


@get("/challenges/current", responses=errors(400, 401), tags=["play"])
async def challenges_current(
    ctx: Context, viewer: str | None, grid_size: Grid = 5, order_mode: core.Order = ASC,
    variant: core.Variant = CLASSIC,
) -> Envelope[ChallengesOut]:  # fmt: skip
    """Today's daily and this week's weekly challenge on one board, with the caller's attempts left.

    The answer names the board (variant, grid size, order) each challenge uses; the seed comes only
    with a ticket.
    """
    found = await ticket_service.current_challenges(ctx, viewer, variant, grid_size, order_mode)
    return Envelope(
        ChallengesOut(daily=ChallengeOut(**found["daily"]), weekly=ChallengeOut(**found["weekly"]))
    )


def _key(
    board: str, period: str, variant: core.Variant, grid_size: int, order: core.Order
) -> board_service.BoardKey:
    """The board asked for; one that ``core`` never deals (letters 7×7) is a 400, not an empty page."""
    ticket_service.check_board(variant, grid_size)
    return board_service.BoardKey(board, period, variant.value, grid_size, order.value)


async def _board(
    ctx: Context,
    key: board_service.BoardKey,
    limit: int,
    offset: int,
    viewer: str | None,
    friends: bool = False,
) -> Envelope[list[LeaderboardEntry]]:
    page = await board_service.read_board(ctx, key, limit, offset, viewer, viewer if friends else None)
    entries = [
        LeaderboardEntry(
            rank=row["rank"],
            user_id=row["user_id"],
            display_name=row["display_name"],
            avatar_url=row["avatar_url"],
            best_time_ms=row["best_time_ms"],
            session_id=row["session_id"],
            achieved_at=row["achieved_at"],
        )
        for row in page.entries
    ]
    meta: dict[str, Any] = {
        "board": key.board,
        "period": key.period,
        "variant": key.variant,
        "grid_size": key.grid_size,
        "order_mode": key.order_mode,
        "page": offset // limit + 1,
        "per_page": limit,
        "total": page.total,
        "me": page.me,
    }
    return Envelope(entries, meta=meta)


def _period(mode: core.Mode, period: str | None) -> str:
    """The period asked for (``core.parse_period``), or the current one."""
    if period is None:
        return core.challenge_window(mode, utcnow()).period
    try:
        return core.parse_period(mode, period)
    except ValueError as error:
        raise ApiError(400, "VALIDATION_ERROR", str(error), {"period": period[:32]}) from None


@get("/leaderboards/daily", responses=BOARD_ERRORS, tags=["leaderboards"])
async def daily_board(
    ctx: Context, viewer: str | None, grid_size: Grid = 5, order_mode: core.Order = ASC, limit: Limit = 20,
    offset: Offset = 0, variant: core.Variant = CLASSIC,
) -> Envelope[list[LeaderboardEntry]]:  # fmt: skip
    """Today's (UTC) best ranked time per player."""
    key = _key("daily", _period(core.Mode.DAILY, None), variant, grid_size, order_mode)
    return await _board(ctx, key, limit, offset, viewer)


@get("/leaderboards/daily/{day:str}", responses=BOARD_ERRORS, tags=["leaderboards"])
async def daily_board_of(
    ctx: Context,
    viewer: str | None,
    day: Annotated[str, Parameter(max_length=32, description="UTC day like 2026-11-25")],
    grid_size: Grid = 5,
    order_mode: core.Order = ASC,
    limit: Limit = 20,
    offset: Offset = 0,
    variant: core.Variant = CLASSIC,
) -> Envelope[list[LeaderboardEntry]]:
    """One UTC day's (``YYYY-MM-DD``) best ranked time per player."""
    key = _key("daily", _period(core.Mode.DAILY, day), variant, grid_size, order_mode)
    return await _board(ctx, key, limit, offset, viewer)


@get("/leaderboards/all-time", responses=BOARD_ERRORS, tags=["leaderboards"])
async def all_time_board(
    ctx: Context, viewer: str | None, grid_size: Grid = 5, order_mode: core.Order = ASC, limit: Limit = 20,
    offset: Offset = 0, variant: core.Variant = CLASSIC,
) -> Envelope[list[LeaderboardEntry]]:  # fmt: skip
    """Every player's best ranked time ever."""
    key = _key("all-time", "all", variant, grid_size, order_mode)
    return await _board(ctx, key, limit, offset, viewer)


@get("/leaderboards/daily-challenge", responses=BOARD_ERRORS, tags=["leaderboards"])
async def daily_challenge_board(
    ctx: Context, viewer: str | None, grid_size: Grid = 5, order_mode: core.Order = ASC, limit: Limit = 20,
    offset: Offset = 0, variant: core.Variant = CLASSIC, period: DailyPeriod = None,
) -> Envelope[list[LeaderboardEntry]]:  # fmt: skip
    """The daily challenge: each player's first attempt of the day."""
    key = _key("daily-challenge", _period(core.Mode.DAILY, period), variant, grid_size, order_mode)
    return await _board(ctx, key, limit, offset, viewer)


@get("/leaderboards/weekly-challenge", responses=BOARD_ERRORS, tags=["leaderboards"])
async def weekly_challenge_board(
    ctx: Context, viewer: str | None, grid_size: Grid = 5, order_mode: core.Order = ASC, limit: Limit = 20,
    offset: Offset = 0, variant: core.Variant = CLASSIC, period: WeeklyPeriod = None,
) -> Envelope[list[LeaderboardEntry]]:  # fmt: skip
    """The weekly challenge: the best of each player's first three attempts of the ISO week."""
    key = _key("weekly-challenge", _period(core.Mode.WEEKLY, period), variant, grid_size, order_mode)
    return await _board(ctx, key, limit, offset, viewer)


@get("/leaderboards/friends", responses=BOARD_ERRORS, security=BEARER, tags=["leaderboards"])
async def friends_board(
    ctx: Context, me_id: str, grid_size: Grid = 5, order_mode: core.Order = ASC, limit: Limit = 20,
    offset: Offset = 0, variant: core.Variant = CLASSIC,
) -> Envelope[list[LeaderboardEntry]]:  # fmt: skip
    """The all-time board of the people you follow, plus you."""
    key = _key("all-time", "all", variant, grid_size, order_mode)
    return await _board(ctx, key, limit, offset, me_id, friends=True)


@get("/stats/percentile", responses=errors(400), tags=["leaderboards"])
async def percentile(
    ctx: Context,
    time_ms: Annotated[float, Parameter(ge=0, le=10_000_000, description="a completion time in ms")],
    grid_size: Grid = 5,
    order_mode: core.Order = ASC,
    variant: core.Variant = CLASSIC,
) -> Envelope[PercentileOut]:
    """Share of all-time bests on one board that ``time_ms`` beats (ties half); null with no sample."""
    key = _key("all-time", "all", variant, grid_size, order_mode)
    value, sample = await board_service.percentile_of(
        ctx, key.variant, key.grid_size, key.order_mode, time_ms
    )
    return Envelope(PercentileOut(value, sample))
