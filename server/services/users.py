"""Profiles, preferences (last write wins by the client's ``updated_at``), search and follows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from server.db.models import follows, users
from server.errors import ApiError
from server.services import Context, utcnow

__all__ = [
    "follow",
    "following",
    "get_user",
    "search_users",
    "set_preferences",
    "unfollow",
    "update_profile",
]


async def get_user(ctx: Context, user_id: str) -> dict[str, Any]:
    """A user row (404 when there is none)."""
    async with ctx.db.engine.connect() as conn:
        row = (await conn.execute(select(users).where(users.c.id == user_id))).mappings().first()
    if row is None:
        raise ApiError(404, "NOT_FOUND", "no player has this id")
    return dict(row)


async def update_profile(ctx: Context, user_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change display name and/or avatar URL."""
    if "display_name" in changes:
        changes["display_name"] = changes["display_name"].strip()
        changes["display_name_key"] = changes["display_name"].lower()
    if changes:
        async with ctx.db.engine.begin() as conn:
            await conn.execute(
                update(users).where(users.c.id == user_id).values(**changes, updated_at=utcnow())
            )
    return await get_user(ctx, user_id)


async def set_preferences(
    ctx: Context, user_id: str, preferences: dict[str, Any], updated_at: datetime
) -> tuple[dict[str, Any], datetime | None, bool]:
    """Store the app settings unless the server already holds newer ones (last write wins)."""
    u = users.c
    async with ctx.db.engine.begin() as conn:
        applied = await conn.execute(
            update(users)
            .where(
                u.id == user_id,
                (u.preferences_updated_at.is_(None)) | (u.preferences_updated_at < updated_at),
            )
            .values(preferences=preferences, preferences_updated_at=updated_at)
        )
        row = (
            await conn.execute(select(u.preferences, u.preferences_updated_at).where(u.id == user_id))
        ).one()
    return dict(row.preferences), row.preferences_updated_at, applied.rowcount == 1


async def search_users(ctx: Context, prefix: str, limit: int) -> list[dict[str, Any]]:
    """Players whose display name starts with ``prefix`` (case-insensitive), alphabetical."""
    escaped = prefix.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    async with ctx.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(users.c.id, users.c.display_name, users.c.avatar_url, users.c.created_at)
                .where(users.c.display_name_key.like(f"{escaped}%", escape="\\"))
                .order_by(users.c.display_name_key, users.c.id)
                .limit(limit)
            )
        ).mappings()
        return [dict(row) for row in rows]


async def follow(ctx: Context, user_id: str, other_id: str) -> None:
    """Follow ``other_id`` (idempotent)."""
    if user_id == other_id:
        raise ApiError(400, "VALIDATION_ERROR", "you cannot follow yourself")
    await get_user(ctx, other_id)
    try:
        async with ctx.db.engine.begin() as conn:
            await conn.execute(
                follows.insert().values(follower_id=user_id, followee_id=other_id, created_at=utcnow())
            )
    except IntegrityError:
        pass  # already following: following twice is the same as once


async def unfollow(ctx: Context, user_id: str, other_id: str) -> None:
    """Stop following ``other_id`` (idempotent)."""
    async with ctx.db.engine.begin() as conn:
        await conn.execute(
            delete(follows).where(follows.c.follower_id == user_id, follows.c.followee_id == other_id)
        )


async def following(ctx: Context, user_id: str) -> list[dict[str, Any]]:
    """The players ``user_id`` follows, most recent first."""
    async with ctx.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(
                    users.c.id,
                    users.c.display_name,
                    users.c.avatar_url,
                    users.c.created_at,
                    follows.c.created_at.label("followed_at"),
                )
                .join(follows, follows.c.followee_id == users.c.id)
                .where(follows.c.follower_id == user_id)
                .order_by(follows.c.created_at.desc())
            )
        ).mappings()
        return [dict(row) for row in rows]
