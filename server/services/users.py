"""Profiles, preferences (last write wins by the client's ``updated_at``), search and follows."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from core import DISPLAY_NAME_MAX
from server.db.models import follows, users
from server.errors import ApiError
from server.services import Context, utcnow

__all__ = [
    "clean_display_name",
    "display_name_key",
    "follow",
    "following",
    "get_user",
    "name_taken",
    "search_users",
    "set_preferences",
    "token_version",
    "unfollow",
    "update_profile",
]


# Control, format (bidi overrides and isolates, zero-width joiners), private-use, unassigned and
# line/paragraph separators: invisible or direction-changing, so they let one name pose as another.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})


def clean_display_name(name: str) -> str:
    """The NFKC form of a display name, trimmed; 400 when it holds bidi or other invisible characters."""
    cleaned = unicodedata.normalize("NFKC", name).strip()
    bad = next((char for char in cleaned if unicodedata.category(char) in _FORBIDDEN_CATEGORIES), None)
    if bad is not None:
        raise ApiError(
            400,
            "VALIDATION_ERROR",
            f"display_name: U+{ord(bad):04X} ({unicodedata.name(bad, 'unnamed')}) is not allowed in a name",
            {"errors": [{"key": "display_name", "message": "control or bidi character"}]},
        )
    if not cleaned or len(cleaned) > DISPLAY_NAME_MAX:
        raise ApiError(
            400, "VALIDATION_ERROR", f"display_name: 1 to {DISPLAY_NAME_MAX} characters after normalisation"
        )
    return cleaned


def display_name_key(name: str) -> str:
    """What two names must not share: their case-folded NFKC form ("Ada", "ADA" and "Ａｄａ" are one)."""
    return unicodedata.normalize("NFKC", name).casefold()


async def name_taken(ctx: Context, name: str, other_than: str | None = None) -> bool:
    """True when another player already has this name (case and width ignored)."""
    query = select(users.c.id).where(users.c.display_name_key == display_name_key(name))
    if other_than is not None:
        query = query.where(users.c.id != other_than)
    async with ctx.db.engine.connect() as conn:
        return (await conn.execute(query)).first() is not None


async def token_version(ctx: Context, user_id: str) -> int | None:
    """The user's current token version, or ``None`` when there is no such user (any more)."""
    async with ctx.db.engine.connect() as conn:
        version = (await conn.execute(select(users.c.token_version).where(users.c.id == user_id))).scalar()
    return None if version is None else int(version)


async def get_user(ctx: Context, user_id: str) -> dict[str, Any]:
    """A user row (404 when there is none)."""
    async with ctx.db.engine.connect() as conn:
        row = (await conn.execute(select(users).where(users.c.id == user_id))).mappings().first()
    if row is None:
        raise ApiError(404, "NOT_FOUND", "no player has this id")
    return dict(row)


async def update_profile(ctx: Context, user_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change display name and/or avatar URL (409 ``CONFLICT`` when another player has the name)."""
    if "display_name" in changes:
        changes["display_name"] = clean_display_name(changes["display_name"])
        changes["display_name_key"] = display_name_key(changes["display_name"])
    if changes:
        try:
            async with ctx.db.engine.begin() as conn:
                await conn.execute(
                    update(users).where(users.c.id == user_id).values(**changes, updated_at=utcnow())
                )
        except IntegrityError:
            raise ApiError(409, "CONFLICT", "this display name is taken; choose another") from None
    return await get_user(ctx, user_id)


PREFERENCES_DEPTH = 8
"""How deep the app's settings may nest (they are flat today): deeper is a client bug or an attack."""


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    return 0


async def set_preferences(
    ctx: Context, user_id: str, preferences: dict[str, Any], updated_at: datetime
) -> tuple[dict[str, Any], datetime | None, bool]:
    """Store the app settings unless the server already holds newer ones (last write wins)."""
    if _depth(preferences) > PREFERENCES_DEPTH:
        raise ApiError(400, "VALIDATION_ERROR", f"preferences: nested more than {PREFERENCES_DEPTH} deep")
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
    escaped = display_name_key(prefix.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
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
