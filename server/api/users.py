"""``/users``: own profile and preferences, public profiles and stats, search, follows."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import delete, get, patch, post
from litestar.params import Parameter

from core import DISPLAY_NAME_MAX
from server.api.auth import user_out
from server.api.deps import BEARER, errors
from server.api.schemas import (
    BoardStatsOut,
    Envelope,
    FollowOut,
    MeOut,
    MessageOut,
    PreferencesIn,
    PreferencesOut,
    ProfileIn,
    PublicUserOut,
    StatsOut,
    UserOut,
)
from server.errors import ApiError
from server.services import Context
from server.services import sessions as session_service
from server.services import users as service

__all__ = [
    "follow",
    "get_me",
    "get_user",
    "get_user_stats",
    "list_following",
    "search",
    "unfollow",
    "update_me",
    "update_preferences",
]

UserPath = Annotated[str, Parameter(pattern=r"^[0-9A-Fa-f-]{32,36}$", description="a player's id (UUID)")]


def _public(row: dict[str, Any]) -> PublicUserOut:
    return PublicUserOut(row["id"], row["display_name"], row["avatar_url"], row["created_at"])


async def _stats(ctx: Context, user_id: str) -> StatsOut:
    stats = await session_service.read_stats(ctx, user_id)
    if stats is None:
        raise ApiError(404, "NOT_FOUND", "no player has this id")
    boards = [BoardStatsOut(**board) for board in stats["boards"]]
    last: date | None = stats["last_played_day"]
    return StatsOut(
        user_id=user_id,
        total_sessions=stats["total_sessions"],
        completed_sessions=stats["completed_sessions"],
        verified_sessions=stats["verified_sessions"],
        current_streak=stats["current_streak"],
        longest_streak=stats["longest_streak"],
        last_played_day=last,
        boards=boards,
    )


@get("/users/me", responses=errors(401, 404), security=BEARER, tags=["users"])
async def get_me(ctx: Context, me_id: str) -> Envelope[MeOut]:
    """Your profile, preferences and stats."""
    return Envelope(MeOut(user_out(await service.get_user(ctx, me_id)), await _stats(ctx, me_id)))


@patch("/users/me", responses=errors(400, 401, 404, 409, 413), security=BEARER, tags=["users"])
async def update_me(data: ProfileIn, ctx: Context, me_id: str) -> Envelope[UserOut]:
    """Change your display name or avatar URL."""
    changes = {
        name: value for name, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET
    }
    return Envelope(user_out(await service.update_profile(ctx, me_id, changes)))


@patch("/users/me/preferences", responses=errors(400, 401, 413), security=BEARER, tags=["users"])
async def update_preferences(data: PreferencesIn, ctx: Context, me_id: str) -> Envelope[PreferencesOut]:
    """Sync the app settings; an ``updated_at`` older than the stored one is ignored (``applied: false``)."""
    preferences, updated_at, applied = await service.set_preferences(
        ctx, me_id, data.preferences, data.updated_at
    )
    return Envelope(PreferencesOut(preferences, updated_at, applied))


@get("/users/me/following", responses=errors(401), security=BEARER, tags=["users"])
async def list_following(ctx: Context, me_id: str) -> Envelope[list[FollowOut]]:
    """The players you follow, most recent first."""
    rows = await service.following(ctx, me_id)
    return Envelope([FollowOut(_public(row), row["followed_at"]) for row in rows], meta={"total": len(rows)})


@get("/users", responses=errors(400), tags=["users"])
async def search(
    ctx: Context,
    search: Annotated[
        str,
        Parameter(
            min_length=1,
            max_length=DISPLAY_NAME_MAX,
            pattern=r"^[^\x00-\x1f\x7f]+$",
            description="display-name prefix",
        ),
    ],
    limit: Annotated[int, Parameter(ge=1, le=50)] = 20,
) -> Envelope[list[PublicUserOut]]:
    """Players whose display name starts with ``search`` (case-insensitive)."""
    return Envelope([_public(row) for row in await service.search_users(ctx, search, limit)])


@get("/users/{user_id:str}", responses=errors(400, 404), tags=["users"])
async def get_user(ctx: Context, user_id: UserPath) -> Envelope[PublicUserOut]:
    """A player's public profile."""
    return Envelope(_public(await service.get_user(ctx, user_id)))


@get("/users/{user_id:str}/stats", responses=errors(400, 404), tags=["users"])
async def get_user_stats(ctx: Context, user_id: UserPath) -> Envelope[StatsOut]:
    """A player's totals, streaks, and best and average time per grid size × order."""
    return Envelope(await _stats(ctx, user_id))


@post(
    "/users/{user_id:str}/follow",
    status_code=200,
    responses=errors(400, 401, 404),
    security=BEARER,
    tags=["users"],
)
async def follow(ctx: Context, me_id: str, user_id: UserPath) -> Envelope[MessageOut]:
    """Follow a player (following twice is the same as once)."""
    await service.follow(ctx, me_id, user_id)
    return Envelope(MessageOut("following"))


@delete(
    "/users/{user_id:str}/follow",
    status_code=200,
    responses=errors(400, 401),
    security=BEARER,
    tags=["users"],
)
async def unfollow(ctx: Context, me_id: str, user_id: UserPath) -> Envelope[MessageOut]:
    """Stop following a player."""
    await service.unfollow(ctx, me_id, user_id)
    return Envelope(MessageOut("not following"))
