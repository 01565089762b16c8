"""Accounts and tokens: register, login, refresh with rotation and reuse detection, logout, reset."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from server import offload
from server.config import RateLimit, derive_key
from server.db.models import (
    NO_PASSWORD,
    email_verifications,
    password_resets,
    refresh_tokens,
    user_stats,
    users,
)
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
from server.services.users import clean_display_name, display_name_key, name_taken

__all__ = [
    "Tokens",
    "forgot_password",
    "insert_user",
    "issue_tokens",
    "login",
    "logout",
    "new_user",
    "normalize_email",
    "refresh",
    "register",
    "resend_verification",
    "reset_password",
    "verify_email",
]

_BAD_LOGIN = "the email or the password is wrong"
_BAD_REFRESH = "the refresh token is not valid; sign in again"


@dataclass(frozen=True, slots=True)
class Tokens:
    """A fresh access token and refresh token for ``user`` (the refresh token goes out as a cookie only)."""

    access_token: str
    refresh_token: str
    expires_in: int
    user: dict[str, Any]


def normalize_email(email: str) -> str:
    """One spelling per mailbox for lookups (case and surrounding spaces ignored)."""
    return email.strip().lower()


async def _limit(ctx: Context, key: str, limit: RateLimit) -> None:
    await _refuse(await ctx.limiter.hit(key, limit))


async def _refuse(wait: int) -> None:
    if wait:
        raise ApiError(
            429,
            "RATE_LIMITED",
            f"too many attempts; try again in {wait} s",
            {"retry_after": wait},
            {"Retry-After": str(wait)},
        )


def _successor(ctx: Context, token: str) -> str:
    """The token a refresh token rotates into.

    Derived, not stored: a replay inside the grace window gets the very token the first answer carried,
    so a family never has two live tokens.
    """
    digest = hmac.new(derive_key(ctx.settings.secret, "refresh-successor"), token.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def _access(ctx: Context, user: dict[str, Any]) -> str:
    ttl = timedelta(seconds=ctx.settings.access_ttl_seconds)
    return issue_access_token(ctx.settings.access_key, user["id"], user["token_version"], utcnow(), ttl)


async def issue_tokens(
    ctx: Context,
    conn: AsyncConnection,
    user: dict[str, Any],
    family_id: str | None = None,
    token: str | None = None,
) -> Tokens:
    """Sign ``user`` in: a new refresh token (of a new family unless ``family_id``) and an access token."""
    now = utcnow()
    token = token or new_token()
    await conn.execute(
        insert(refresh_tokens).values(
            token_hash=hash_token(token),
            user_id=user["id"],
            family_id=family_id or str(uuid.uuid4()),
            issued_at=now,
            expires_at=now + timedelta(seconds=ctx.settings.refresh_ttl_seconds),
        )
    )
    return Tokens(_access(ctx, user), token, ctx.settings.access_ttl_seconds, user)


async def _end_access_tokens(conn: AsyncConnection, user_id: str) -> None:
    """Raise the user's token version: every access token issued so far stops working at once."""
    await conn.execute(
        update(users).where(users.c.id == user_id).values(token_version=users.c.token_version + 1)
    )


def new_user(email: str, name: str, password_hash: str, email_verified: bool) -> dict[str, Any]:
    """The row of a new account (``name`` already cleaned)."""
    now = utcnow()
    return {
        "id": str(uuid.uuid4()),
        "email": email,
        "password_hash": password_hash,
        "display_name": name,
        "display_name_key": display_name_key(name),
        "avatar_url": None,
        "preferences": {},
        "preferences_updated_at": None,
        "is_premium": False,
        "premium_until": None,
        "email_verified": email_verified,
        "created_at": now,
        "updated_at": now,
        "token_version": 0,
    }


async def insert_user(conn: AsyncConnection, user: dict[str, Any]) -> None:
    """Store a new account and its empty stats (``IntegrityError`` when its email or name is taken)."""
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
            updated_at=user["created_at"],
        )
    )


async def register(ctx: Context, email: str, password: str, display_name: str, ip: str) -> None:
    """Create an account, or mail the owner when the email is taken; the caller cannot tell which.

    Both paths hash the password and send one mail, so neither the answer nor its timing says whether
    an email has an account. A taken display name is a 409 before the email is looked at: names are
    public anyway, and checking them first keeps the 409 from saying anything about the email.
    """
    await _limit(ctx, f"register:ip:{ip}", ctx.settings.rate_register_ip)
    name = clean_display_name(display_name)
    if await name_taken(ctx, name):
        raise ApiError(409, "CONFLICT", "this display name is taken; choose another")
    address = normalize_email(email)
    password_hash = await offload.run(ctx.settings, hash_password, password)
    user = new_user(address, name, password_hash, email_verified=False)
    try:
        async with ctx.db.engine.begin() as conn:
            taken = (await conn.execute(select(users.c.id).where(users.c.email == address))).scalar()
            if taken is None:
                await insert_user(conn, user)
    except IntegrityError:
        if await name_taken(ctx, name):  # the same name registered a moment ago
            raise ApiError(409, "CONFLICT", "this display name is taken; choose another") from None
        taken = address  # the same email registered a moment ago
    if taken is None:
        code = await _new_verification(ctx, user["id"], address)
        await ctx.mailer.send(
            address,
            "Welcome to Schulte",
            f"Your Schulte account {name} is ready: sign in with this email and your password.\n\n"
            f"{_verify_text(ctx, code)}",
        )
    else:
        await ctx.mailer.send(
            address,
            "Someone tried to sign up with your email",
            "Someone tried to create a Schulte account with this email, which already has one.\n\n"
            'If it was you, sign in instead, or reset your password with "Forgot your password?". '
            "If it was not you, ignore this mail: nothing changed.",
        )


async def login(ctx: Context, email: str, password: str, ip: str) -> Tokens:
    """Sign in; unknown email and wrong password answer alike, in about the same time.

    Only failures count. They are limited per client IP and per (email, IP), so a guesser is stopped
    without locking the owner out from elsewhere; past a soft limit per email from anywhere, each
    further failure makes the next attempt wait longer (1 s, 2 s, 4 s ... up to the cap).
    """
    address = normalize_email(email)
    settings, limiter = ctx.settings, ctx.limiter
    ip_key, pair_key, delay_key = f"login:ip:{ip}", f"login:pair:{address}:{ip}", f"login:delay:{address}"
    await _refuse(
        max(
            await limiter.peek(ip_key, settings.rate_login_ip),
            await limiter.peek(pair_key, settings.rate_login_pair),
            await limiter.blocked(delay_key),
        )
    )
    async with ctx.db.engine.begin() as conn:
        row = (await conn.execute(select(users).where(users.c.email == address))).mappings().first()
        # An unknown email, or an account without a password, still costs one argon2 verification
        # (of a dummy hash), so timing does not tell them apart.
        stored = None if row is None or row["password_hash"] == NO_PASSWORD else row["password_hash"]
        if await offload.run(settings, verify_password, stored, password) and row is not None:
            user = dict(row)
            if password_needs_rehash(user["password_hash"]):
                await conn.execute(
                    update(users)
                    .where(users.c.id == user["id"])
                    .values(password_hash=await offload.run(settings, hash_password, password))
                )
            return await issue_tokens(ctx, conn, user)
    await limiter.hit(ip_key, settings.rate_login_ip)
    await limiter.hit(pair_key, settings.rate_login_pair)
    failures = await limiter.count(f"login:account:{address}", settings.rate_login_account)
    if failures > settings.rate_login_account.count:
        doubling = min(failures - settings.rate_login_account.count - 1, 16)
        await limiter.block(delay_key, min(2**doubling, settings.login_delay_cap_seconds))
    raise ApiError(401, "UNAUTHORIZED", _BAD_LOGIN)


async def refresh(ctx: Context, token: str) -> Tokens:
    """Rotate a refresh token; presenting an already rotated one revokes its whole family.

    Except once within ``refresh_reuse_grace_seconds`` of its rotation: then the first answer was lost
    (the tab closed mid-refresh) or another tab refreshed at the same moment, and the caller gets the
    successor already issued, so a family never has two live tokens. A second replay is theft.
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
        user = (await conn.execute(select(users).where(users.c.id == row["user_id"]))).mappings().first()
        if user is None:
            raise ApiError(401, "UNAUTHORIZED", _BAD_REFRESH)
        successor = _successor(ctx, token)
        # The conditional updates are atomic "first one wins": a concurrent or later request sees 0 rows.
        rotated = await conn.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.token_hash == token_hash, refresh_tokens.c.rotated_at.is_(None))
            .values(rotated_at=now)
        )
        if rotated.rowcount == 1:
            return await issue_tokens(ctx, conn, dict(user), row["family_id"], successor)
        replayed = await conn.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.token_hash == token_hash, refresh_tokens.c.replayed_at.is_(None))
            .values(replayed_at=now)
        )
        grace = timedelta(seconds=ctx.settings.refresh_reuse_grace_seconds)
        # rotated_at None here: a concurrent request rotated it after this one read the row.
        in_grace = row["rotated_at"] is None or now - row["rotated_at"] <= grace
        if replayed.rowcount == 1 and in_grace:
            live = (
                await conn.execute(
                    select(refresh_tokens.c.token_hash).where(
                        refresh_tokens.c.token_hash == hash_token(successor),
                        refresh_tokens.c.revoked_at.is_(None),
                    )
                )
            ).scalar()
            if live is not None:
                return Tokens(
                    _access(ctx, dict(user)), successor, ctx.settings.access_ttl_seconds, dict(user)
                )
        await conn.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.family_id == row["family_id"], refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await _end_access_tokens(conn, row["user_id"])
    raise ApiError(
        401, "UNAUTHORIZED", "this refresh token was already used; every session of it is now signed out",
        {"reason": "REFRESH_TOKEN_REUSED"},
    )  # fmt: skip


async def logout(ctx: Context, token: str | None) -> None:
    """Revoke the token's family (this device's sign-in) and end every access token issued so far.

    Other devices get a new access token through their own refresh cookie; unknown tokens are ignored.
    """
    if not token:
        return
    async with ctx.db.engine.begin() as conn:
        row = (
            await conn.execute(
                select(refresh_tokens.c.family_id, refresh_tokens.c.user_id).where(
                    refresh_tokens.c.token_hash == hash_token(token)
                )
            )
        ).first()
        if row is not None:
            await conn.execute(
                update(refresh_tokens)
                .where(refresh_tokens.c.family_id == row.family_id, refresh_tokens.c.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
            await _end_access_tokens(conn, row.user_id)


async def forgot_password(ctx: Context, email: str, ip: str) -> None:
    """Mail a one-time reset code to a known email, and a "no account here" note to an unknown one.

    Both paths look the email up, write nothing the caller can see and send one mail, so the answer and
    its timing are the same whether or not the email has an account.
    """
    address = normalize_email(email)
    await _limit(ctx, f"reset:ip:{ip}", ctx.settings.rate_reset_ip)
    await _limit(ctx, f"reset:account:{address}", ctx.settings.rate_reset_ip)
    now = utcnow()
    token = new_token()
    async with ctx.db.engine.begin() as conn:
        user_id = (await conn.execute(select(users.c.id).where(users.c.email == address))).scalar()
        if user_id is not None:
            await conn.execute(
                insert(password_resets).values(
                    token_hash=hash_token(token),
                    user_id=user_id,
                    issued_at=now,
                    expires_at=now + timedelta(seconds=ctx.settings.reset_ttl_seconds),
                )
            )
    if user_id is None:
        await ctx.mailer.send(
            address,
            "Reset your Schulte password",
            "Someone asked to reset the password of a Schulte account with this email, but this email "
            "has no account. If it was you, sign up instead; if not, ignore this mail.",
        )
        return
    minutes = ctx.settings.reset_ttl_seconds // 60
    await ctx.mailer.send(
        address,
        "Reset your Schulte password",
        f"Someone asked to reset the password of your Schulte account.\n\nYour reset code: {token}\n\n"
        f"It works once, for {minutes} minutes. If it was not you, ignore this mail.",
    )


async def reset_password(ctx: Context, token: str, password: str) -> None:
    """Set a new password with a reset code (single use, expiring).

    Every other reset code of the account dies with it, and every device is signed out, access tokens too.
    """
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
        await conn.execute(
            update(password_resets)
            .where(password_resets.c.user_id == user_id, password_resets.c.used_at.is_(None))
            .values(used_at=now)
        )
        await _end_access_tokens(conn, user_id)


def _verify_text(ctx: Context, code: str) -> str:
    hours = ctx.settings.verify_ttl_seconds // 3600
    return (
        f"To confirm this email, enter this code on the account screen: {code}\n\n"
        f"It works once, for {hours} hours."
    )


async def _new_verification(ctx: Context, user_id: str, address: str) -> str:
    """Store (the hash of) a fresh verification code for ``address`` and return the code to mail."""
    now = utcnow()
    code = new_token()
    async with ctx.db.engine.begin() as conn:
        await conn.execute(
            insert(email_verifications).values(
                code_hash=hash_token(code),
                user_id=user_id,
                email=address,
                issued_at=now,
                expires_at=now + timedelta(seconds=ctx.settings.verify_ttl_seconds),
            )
        )
    return code


async def resend_verification(ctx: Context, user_id: str) -> bool:
    """Mail a new verification code to the user's email; ``False`` when it is already verified.

    Limited per account like reset mails, so the endpoint cannot be used to flood a mailbox.
    """
    async with ctx.db.engine.connect() as conn:
        row = (
            await conn.execute(select(users.c.email, users.c.email_verified).where(users.c.id == user_id))
        ).first()
    if row is None:
        raise ApiError(404, "NOT_FOUND", "no player has this id")
    if row.email_verified:
        return False
    await _limit(ctx, f"verify:account:{user_id}", ctx.settings.rate_reset_ip)
    code = await _new_verification(ctx, user_id, row.email)
    await ctx.mailer.send(row.email, "Confirm your Schulte email", _verify_text(ctx, code))
    return True


async def verify_email(ctx: Context, code: str) -> None:
    """Mark the email a code was mailed to as verified (single use, expiring).

    The code proves the address it was sent to: if the account's email changed since, it proves nothing.
    """
    now = utcnow()
    code_hash = hash_token(code)
    async with ctx.db.engine.begin() as conn:
        used = await conn.execute(
            update(email_verifications)
            .where(
                email_verifications.c.code_hash == code_hash,
                email_verifications.c.used_at.is_(None),
                email_verifications.c.expires_at > now,
            )
            .values(used_at=now)
        )
        row = (
            await conn.execute(
                select(email_verifications.c.user_id, email_verifications.c.email).where(
                    email_verifications.c.code_hash == code_hash
                )
            )
        ).first()
        marked = 0
        if used.rowcount == 1 and row is not None:
            marked = (
                await conn.execute(
                    update(users)
                    .where(users.c.id == row.user_id, users.c.email == row.email)
                    .values(email_verified=True, updated_at=now)
                )
            ).rowcount
        if not marked:
            raise ApiError(400, "INVALID_TOKEN", "the verification code is unknown, used or expired")
