"""Tickets and challenges: the seed of a counting attempt is revealed only when the attempt starts.

Attempts are counted by the tickets issued: a daily challenge ticket is the day's one attempt, a
weekly one is one of three. Issuing one more is refused (``CHALLENGE_ATTEMPTS_USED``), so a player
cannot look at a challenge board and then decide whether to play it "for real".
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

import core
from core.variants import check_variant_size
from server.db.models import tickets
from server.errors import ApiError
from server.services import Context, duels, utcnow
from server.services.boards import CHALLENGE_ATTEMPTS
from server.services.quotas import charge

__all__ = ["TICKET_MODES", "check_board", "current_challenges", "issue_duel_ticket", "issue_ticket"]

TICKET_MODES = (core.Mode.RANKED, *(core.Mode(mode) for mode in CHALLENGE_ATTEMPTS))
"""The modes ``POST /tickets`` issues for: ranked and every challenge ``core`` counts attempts of."""


def check_board(variant: core.Variant, grid_size: int) -> None:
    """Refuse a board that ``core`` does not deal (letters stop at 5×5) with a 400 naming both."""
    try:
        check_variant_size(variant, grid_size)
    except ValueError as error:
        details = {"variant": variant.value, "grid_size": grid_size, "sizes": list(variant.sizes)}
        raise ApiError(400, "VALIDATION_ERROR", str(error), details) from None


async def _attempts_used(
    conn: Any, user_id: str, mode: str, period: str, variant: str, grid_size: int, order_mode: str
) -> int:
    t = tickets.c
    count = await conn.execute(
        select(func.count()).where(
            t.user_id == user_id,
            t.mode == mode,
            t.period == period,
            t.variant == variant,
            t.grid_size == grid_size,
            t.order_mode == order_mode,
        )
    )
    return int(count.scalar_one())


async def issue_ticket(
    ctx: Context, user_id: str, mode: core.Mode, variant: core.Variant, grid_size: int, order_mode: core.Order
) -> dict[str, Any]:
    """A single-use ticket bound to ``user_id``: a fresh non-easy seed (ranked) or the challenge seed.

    The ticket binds the whole board (variant, grid size, order, seed): a session on another is a
    ``TICKET_MISMATCH``.
    """
    if mode == core.Mode.DUEL:
        raise ApiError(400, "VALIDATION_ERROR", "a duel ticket needs the duel's id: send duel_id")
    if mode not in TICKET_MODES:
        modes = [mode.value for mode in TICKET_MODES]
        raise ApiError(400, "VALIDATION_ERROR", f"tickets are issued for {modes}, not {mode.value!r}")
    check_board(variant, grid_size)
    await charge(ctx, user_id, "ticket")
    now = utcnow()
    expires = now + timedelta(seconds=ctx.settings.ticket_ttl_seconds)
    period: str | None = None
    attempt: int | None = None
    async with ctx.db.engine.begin() as conn:
        if mode == core.Mode.RANKED:
            seed = secrets.randbelow(core.MAX_SEED)
            while core.Board.generate(
                grid_size, seed
            ).is_easy:  # core rejects easy layouts: never hand one out
                seed = secrets.randbelow(core.MAX_SEED)
        else:
            period, _, ends = core.challenge_window(mode, now)
            seed = core.challenge_seed(
                ctx.settings.challenge_key, mode, period, grid_size, order_mode, variant
            )
            attempt = await _attempts_used(conn, user_id, mode, period, variant, grid_size, order_mode) + 1
            allowed = CHALLENGE_ATTEMPTS[mode]
            if attempt > allowed:
                raise _attempts_error(mode, allowed)
            expires = min(expires, ends)
        row = {
            "id": str(uuid.uuid4()),
            "user_id": user_id,
            "mode": mode.value,
            "variant": variant.value,
            "grid_size": grid_size,
            "order_mode": order_mode.value,
            "board_seed": seed,
            "period": period,
            "attempt": attempt,
            "issued_at": now,
            "expires_at": expires,
            "session_id": None,
        }
        try:
            await conn.execute(insert(tickets).values(**row))
        except IntegrityError:  # a concurrent request took the same attempt number
            raise _attempts_error(mode, CHALLENGE_ATTEMPTS.get(mode, 1)) from None
    return row


async def issue_duel_ticket(ctx: Context, user_id: str, duel_id: str) -> dict[str, Any]:
    """``user_id``'s one ticket for a duel: the duel's board and seed, the same for both players.

    It expires with the ticket TTL or with the duel, whichever comes first; a second one is 409.
    """
    await charge(ctx, user_id, "ticket")
    now = utcnow()
    try:
        async with ctx.db.engine.begin() as conn:
            duel = await duels.board_for_ticket(ctx, conn, user_id, duel_id, now)
            row = {
                "id": str(uuid.uuid4()),
                "user_id": user_id,
                "mode": core.Mode.DUEL.value,
                "variant": duel["variant"],
                "grid_size": duel["grid_size"],
                "order_mode": duel["order_mode"],
                "board_seed": duel["board_seed"],
                "period": None,
                "attempt": None,
                "issued_at": now,
                "expires_at": min(
                    now + timedelta(seconds=ctx.settings.ticket_ttl_seconds), duel["expires_at"]
                ),
                "session_id": None,
                "duel_id": duel_id,
            }
            await conn.execute(insert(tickets).values(**row))
    except IntegrityError:  # uq_tickets_duel: this player already took the duel's ticket
        raise ApiError(
            409, "CONFLICT", "you already took your ticket for this duel: one game each", {"duel_id": duel_id}
        ) from None
    return row


def _attempts_error(mode: str, allowed: int) -> ApiError:
    return ApiError(
        409,
        "CHALLENGE_ATTEMPTS_USED",
        f"you have used your {allowed} attempt(s) at this {mode} challenge board",
        {"mode": mode, "attempts_allowed": allowed},
    )


async def current_challenges(
    ctx: Context, user_id: str | None, variant: core.Variant, grid_size: int, order_mode: core.Order
) -> dict[str, Any]:
    """Today's daily and this week's weekly challenge on one board, with the caller's attempts left."""
    check_board(variant, grid_size)
    now = utcnow()
    answer: dict[str, Any] = {}
    async with ctx.db.engine.connect() as conn:
        for mode in (core.Mode.DAILY, core.Mode.WEEKLY):
            period, starts, ends = core.challenge_window(mode, now)
            used = (
                await _attempts_used(conn, user_id, mode, period, variant, grid_size, order_mode)
                if user_id
                else 0
            )
            allowed = CHALLENGE_ATTEMPTS[mode]
            answer[mode] = {
                "mode": mode,
                "period": period,
                "variant": variant,
                "grid_size": grid_size,
                "order_mode": order_mode,
                "starts_at": starts,
                "ends_at": ends,
                "attempts_allowed": allowed,
                "attempts_used": used,
                "attempts_left": max(0, allowed - used),
            }
    return answer
