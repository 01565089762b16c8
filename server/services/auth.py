"""Accounts and tokens: register, login, refresh with rotation and reuse detection, logout, reset."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from server import offload
from server.config import RateLimit
from server.db.models import password_resets, refresh_tokens, user_stats, users
from server.errors import ApiError
from server.security import (
    hash_password,
    hash_token,
    issue_access_token,
    new_token,
    password_needs_rehash,
    verify_password,
)
from server.services import Context, utcnow

__all__ = [
    "Tokens",
    "forgot_password",
    "login",
    "logout",
    "normalize_email",
    "refresh",
    "register",
    "reset_password",
]

_BAD_LOGIN = "the email or the password is wrong"
_BAD_REFRESH = "the refresh token is not valid; sign in again"


@dataclass(frozen=True, slots=True)
class Tokens:
    """A fresh access token and refresh token for ``user``."""

    access_token: str
    refresh_token: str
    expires_in: int
    user: dict[str, Any]


def normalize_email(email: str) -> str:
    """One spelling per mailbox for lookups (case and surrounding spaces ignored)."""
    return email.strip().lower()


async def _limit(ctx: Context, key: str, limit: RateLimit) -> None:
    wait = await ctx.limiter.hit(key, limit)
    if wait:
        raise ApiError(
            429,
            "RATE_LIMITED",
            f"too many attempts; try again in {wait} s",
            {"retry_after": wait},
            {"Retry-After": str(wait)},
        )


async def _issue(
    ctx: Context, conn: AsyncConnection, user: dict[str, Any], family_id: str | None = None
) -> Tokens:
    now = utcnow()
    token = new_token()
    await conn.execute(
        insert(refresh_tokens).values(
            token_hash=hash_token(token),
            user_id=user["id"],
            family_id=family_id or str(uuid.uuid4()),
            issued_at=now,
            expires_at=now + timedelta(seconds=ctx.settings.refresh_ttl_seconds),
        )
    )
    ttl = ctx.settings.access_ttl_seconds
    access = issue_access_token(ctx.settings.secret, user["id"], now, timedelta(seconds=ttl))
    return Tokens(access, token, ttl, user)


async def register(ctx: Context, email: str, password: str, display_name: str, ip: str) -> Tokens:
    """Create an account (409 ``CONFLICT`` if the email is taken) and sign it in."""
    await _limit(ctx, f"register:ip:{ip}", ctx.settings.rate_register_ip)
    now = utcnow()
    name = display_name.strip()
    user: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "email": normalize_email(email),
        "password_hash": await offload.run(ctx.settings, hash_password, password),
        "display_name": name,
        "display_name_key": name.lower(),
        "avatar_url": None,
        "preferences": {},
        "preferences_updated_at": None,
        "is_premium": False,
        "created_at": now,
        "updated_at": now,
    }
    try:
        async with ctx.db.engine.begin() as conn:
            await conn.execute(insert(users).values(**user))
            await conn.execute(
                insert(user_stats).values(
                    user_id=user["id"],
                    total_sessions=0,
                    completed_sessions=0,
                    verified_sessions=0,
                    current_streak=0,
                    longest_streak=0,
                    per_board={},
                    updated_at=now,
                )
            )
            return await _issue(ctx, conn, user)
    except IntegrityError:
        raise ApiError(409, "CONFLICT", "an account with this email already exists") from None


async def login(ctx: Context, email: str, password: str, ip: str) -> Tokens:
    """Sign in; unknown email and wrong password answer alike, in about the same time."""
    address = normalize_email(email)
    await _limit(ctx, f"login:ip:{ip}", ctx.settings.rate_login_ip)
    await _limit(ctx, f"login:account:{address}", ctx.settings.rate_login_account)
    async with ctx.db.engine.begin() as conn:
        row = (await conn.execute(select(users).where(users.c.email == address))).mappings().first()
        # An unknown email still costs one argon2 verification, so timing does not tell them apart.
        if (
            not await offload.run(
                ctx.settings, verify_password, row["password_hash"] if row else None, password
            )
            or row is None
        ):
            raise ApiError(401, "UNAUTHORIZED", _BAD_LOGIN)
        user = dict(row)
        if password_needs_rehash(user["password_hash"]):
            await conn.execute(
                update(users)
                .where(users.c.id == user["id"])
                .values(password_hash=await offload.run(ctx.settings, hash_password, password))
            )
        return await _issue(ctx, conn, user)


async def refresh(ctx: Context, token: str) -> Tokens:
    """Rotate a refresh token; presenting an already rotated one revokes its whole family.

    Except within ``refresh_reuse_grace_seconds`` of its rotation: then the first answer was lost (the
    tab closed mid-refresh, its new cookie never stored) or another tab refreshed at the same moment,
    and the caller gets a new token of the same family instead of being signed out everywhere.
    """
    now = utcnow()
    token_hash = hash_token(token)
    async with ctx.db.engine.begin() as conn:
        row = (
            (await conn.execute(select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)))
            .mappings()
            .first()
        )
        if row is None or row["revoked_at"] is not None or row["expires_at"] <= now:
            raise ApiError(401, "UNAUTHORIZED", _BAD_REFRESH)
        # The conditional update is the atomic "first use wins": a concurrent or later replay sees 0 rows.
        rotated = await conn.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.token_hash == token_hash, refresh_tokens.c.rotated_at.is_(None))
            .values(rotated_at=now)
        )
        grace = timedelta(seconds=ctx.settings.refresh_reuse_grace_seconds)
        # rotated_at None here: a concurrent request rotated it after this one read the row.
        if rotated.rowcount == 1 or row["rotated_at"] is None or now - row["rotated_at"] <= grace:
            user = (await conn.execute(select(users).where(users.c.id == row["user_id"]))).mappings().first()
            if user is None:
                raise ApiError(401, "UNAUTHORIZED", _BAD_REFRESH)
            return await _issue(ctx, conn, dict(user), row["family_id"])
        await conn.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.family_id == row["family_id"], refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    raise ApiError(
        401, "UNAUTHORIZED", "this refresh token was already used; every session of it is now signed out",
        {"reason": "REFRESH_TOKEN_REUSED"},
    )  # fmt: skip


async def logout(ctx: Context, token: str | None) -> None:
    """Revoke the token's family (this device's sign-in); unknown tokens are ignored."""
    if not token:
        return
    async with ctx.db.engine.begin() as conn:
        family = (
            await conn.execute(
                select(refresh_tokens.c.family_id).where(refresh_tokens.c.token_hash == hash_token(token))
            )
        ).scalar()
        if family is not None:
            await conn.execute(
                update(refresh_tokens)
                .where(refresh_tokens.c.family_id == family, refresh_tokens.c.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )


async def forgot_password(ctx: Context, email: str, ip: str) -> None:
    """Mail a one-time reset link if the account exists; the caller always gets the same answer."""
    address = normalize_email(email)
    await _limit(ctx, f"reset:ip:{ip}", ctx.settings.rate_reset_ip)
    await _limit(ctx, f"reset:account:{address}", ctx.settings.rate_reset_ip)
    now = utcnow()
    token = new_token()
    async with ctx.db.engine.begin() as conn:
        user_id = (await conn.execute(select(users.c.id).where(users.c.email == address))).scalar()
        if user_id is None:
            return
        await conn.execute(
            insert(password_resets).values(
                token_hash=hash_token(token),
                user_id=user_id,
                issued_at=now,
                expires_at=now + timedelta(seconds=ctx.settings.reset_ttl_seconds),
            )
        )
    minutes = ctx.settings.reset_ttl_seconds // 60
    await ctx.mailer.send(
        address,
        "Reset your Schulte password",
        f"Someone asked to reset the password of your Schulte account.\n\nYour reset code: {token}\n\n"
        f"It works once, for {minutes} minutes. If it was not you, ignore this mail.",
    )


async def reset_password(ctx: Context, token: str, password: str) -> None:
    """Set a new password with a reset token (single use, expiring); signs out every device."""
    now = utcnow()
    token_hash = hash_token(token)
    async with ctx.db.engine.begin() as conn:
        used = await conn.execute(
            update(password_resets)
            .where(
                password_resets.c.token_hash == token_hash,
                password_resets.c.used_at.is_(None),
                password_resets.c.expires_at > now,
            )
            .values(used_at=now)
        )
        if used.rowcount != 1:
            raise ApiError(400, "INVALID_TOKEN", "the reset code is unknown, used or expired")
        user_id = (
            await conn.execute(
                select(password_resets.c.user_id).where(password_resets.c.token_hash == token_hash)
            )
        ).scalar_one()
        await conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(password_hash=await offload.run(ctx.settings, hash_password, password), updated_at=now)
        )
        await conn.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
