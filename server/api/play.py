"""``/tickets``, ``/challenges/current``, ``/leaderboards/*`` and ``/stats/percentile``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import get, post
from litestar.params import Parameter

from server.api.deps import BEARER, errors
from server.api.schemas import (
    ChallengeOut,
    ChallengesOut,
    Envelope,
    LeaderboardEntry,
    OrderMode,
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

Grid = Annotated[int, Parameter(ge=5, le=7, description="cells per side")]
Limit = Annotated[int, Parameter(ge=1, le=100, description="page size")]
Offset = Annotated[int, Parameter(ge=0, le=10_000_000, description="rows to skip")]
DailyPeriod = Annotated[
    str | None, Parameter(pattern=r"^\d{4}-\d{2}-\d{2}$", description="UTC day; default today")
]
WeeklyPeriod = Annotated[
    str | None, Parameter(pattern=r"^\d{4}-W\d{2}$", description="ISO week; default this week")
]
BOARD_ERRORS = errors(400, 401)


@post("/tickets", status_code=201, responses=errors(400, 401, 409, 413, 429), security=BEARER, tags=["play"])
async def issue_ticket(data: TicketIn, ctx: Context, me_id: str) -> Envelope[TicketOut]:
    """A single-use ticket for a ranked, daily or weekly attempt; it reveals the board's seed."""
    row = await ticket_service.issue_ticket(ctx, me_id, data.mode, data.grid_size, data.order_mode)
    return Envelope(
        TicketOut(
            id=row["id"],
            mode=row["mode"],
            board_seed=row["board_seed"],
            grid_size=row["grid_size"],
            order_mode=row["order_mode"],
            issued_at=row["issued_at"],
            expires_at=row["expires_at"],
        )
    )


@get("/challenges/current", responses=errors(400, 401), tags=["play"])
async def challenges_current(
    ctx: Context, viewer: str | None, grid_size: Grid = 5, order_mode: OrderMode = "ASC"
) -> Envelope[ChallengesOut]:
    """Today's daily and this week's weekly challenge, with the caller's attempts left (no seed)."""
    found = await ticket_service.current_challenges(ctx, viewer, grid_size, order_mode)
    return Envelope(
        ChallengesOut(daily=ChallengeOut(**found["daily"]), weekly=ChallengeOut(**found["weekly"]))
    )


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
        "grid_size": key.grid_size,
        "order_mode": key.order_mode,
        "page": offset // limit + 1,
        "per_page": limit,
        "total": page.total,
        "me": page.me,
    }
    return Envelope(entries, meta=meta)


def _period(mode: str, period: str | None) -> str:
    if period is None:
        return ticket_service.challenge_window(mode, utcnow())[0]
    try:
        first = date.fromisoformat(period) if mode == "daily" else date.fromisocalendar(*_week(period), 1)
    except ValueError:
        raise ApiError(400, "VALIDATION_ERROR", f"period {period!r} is not a {mode} period") from None
    return ticket_service.challenge_window(mode, ticket_service.at_midnight(first))[0]


def _week(period: str) -> tuple[int, int]:
    year, week = period.split("-W")
    return int(year), int(week)


@get("/leaderboards/daily", responses=BOARD_ERRORS, tags=["leaderboards"])
async def daily_board(
    ctx: Context, viewer: str | None, grid_size: Grid = 5, order_mode: OrderMode = "ASC", limit: Limit = 20,
    offset: Offset = 0,
) -> Envelope[list[LeaderboardEntry]]:  # fmt: skip
    """Today's (UTC) best ranked time per player."""
    key = board_service.BoardKey("daily", _period("daily", None), grid_size, order_mode)
    return await _board(ctx, key, limit, offset, viewer)


@get("/leaderboards/daily/{day:str}", responses=BOARD_ERRORS, tags=["leaderboards"])
async def daily_board_of(
    ctx: Context,
    viewer: str | None,
    day: Annotated[str, Parameter(pattern=r"^\d{4}-\d{2}-\d{2}$", description="UTC day")],
    grid_size: Grid = 5,
    order_mode: OrderMode = "ASC",
    limit: Limit = 20,
    offset: Offset = 0,
) -> Envelope[list[LeaderboardEntry]]:
    """One UTC day's (``YYYY-MM-DD``) best ranked time per player."""
    key = board_service.BoardKey("daily", _period("daily", day), grid_size, order_mode)
    return await _board(ctx, key, limit, offset, viewer)


@get("/leaderboards/all-time", responses=BOARD_ERRORS, tags=["leaderboards"])
async def all_time_board(
    ctx: Context, viewer: str | None, grid_size: Grid = 5, order_mode: OrderMode = "ASC", limit: Limit = 20,
    offset: Offset = 0,
) -> Envelope[list[LeaderboardEntry]]:  # fmt: skip
    """Every player's best ranked time ever."""
    key = board_service.BoardKey("all-time", "all", grid_size, order_mode)
    return await _board(ctx, key, limit, offset, viewer)


@get("/leaderboards/daily-challenge", responses=BOARD_ERRORS, tags=["leaderboards"])
async def daily_challenge_board(
    ctx: Context, viewer: str | None, grid_size: Grid = 5, order_mode: OrderMode = "ASC", limit: Limit = 20,
    offset: Offset = 0, period: DailyPeriod = None,
) -> Envelope[list[LeaderboardEntry]]:  # fmt: skip
    """The daily challenge: each player's first attempt of the day."""
    key = board_service.BoardKey("daily-challenge", _period("daily", period), grid_size, order_mode)
    return await _board(ctx, key, limit, offset, viewer)


@get("/leaderboards/weekly-challenge", responses=BOARD_ERRORS, tags=["leaderboards"])
async def weekly_challenge_board(
    ctx: Context, viewer: str | None, grid_size: Grid = 5, order_mode: OrderMode = "ASC", limit: Limit = 20,
    offset: Offset = 0, period: WeeklyPeriod = None,
) -> Envelope[list[LeaderboardEntry]]:  # fmt: skip
    """The weekly challenge: the best of each player's first three attempts of the ISO week."""
    key = board_service.BoardKey("weekly-challenge", _period("weekly", period), grid_size, order_mode)
    return await _board(ctx, key, limit, offset, viewer)


@get("/leaderboards/friends", responses=BOARD_ERRORS, security=BEARER, tags=["leaderboards"])
async def friends_board(
    ctx: Context, me_id: str, grid_size: Grid = 5, order_mode: OrderMode = "ASC", limit: Limit = 20,
    offset: Offset = 0,
) -> Envelope[list[LeaderboardEntry]]:  # fmt: skip
    """The all-time board of the people you follow, plus you."""
    key = board_service.BoardKey("all-time", "all", grid_size, order_mode)
    return await _board(ctx, key, limit, offset, me_id, friends=True)


@get("/stats/percentile", responses=errors(400), tags=["leaderboards"])
async def percentile(
    ctx: Context,
    time_ms: Annotated[float, Parameter(ge=0, le=10_000_000, description="a completion time in ms")],
    grid_size: Grid = 5,
    order_mode: OrderMode = "ASC",
) -> Envelope[PercentileOut]:
    """Share of players' all-time bests that ``time_ms`` beats (ties half); null with no sample."""
    value, sample = await board_service.percentile_of(ctx, grid_size, order_mode, time_ms)
    return Envelope(PercentileOut(value, sample))
