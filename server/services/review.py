"""The review queue: results held off the boards (``HELD_FOR_REVIEW``) until a moderator decides.

Approving puts a result on its boards with its rank as of when it was achieved; rejecting marks it
unverified in its player's history. Moderators are users whose ``role`` is ``moderator``
(``python -m server review moderator EMAIL``); the same actions are ``python -m server review ...``.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select, update

from server.db.models import training_sessions, user_stats, users
from server.errors import ApiError
from server.services import Context, utcnow
from server.services.boards import achieved_at, board_keys_for, upsert_bests
from server.services.sessions import rebuild_stats

__all__ = ["MODERATOR", "Decision", "decide", "list_held", "require_moderator", "set_role"]

MODERATOR = "moderator"
"""The ``users.role`` that may list, approve and reject held results."""

Decision = Literal["approve", "reject"]


async def require_moderator(ctx: Context, user_id: str) -> None:
    """403 ``FORBIDDEN`` unless ``user_id`` is a moderator."""
    async with ctx.db.engine.connect() as conn:
        role = (await conn.execute(select(users.c.role).where(users.c.id == user_id))).scalar()
    if role != MODERATOR:
        raise ApiError(403, "FORBIDDEN", "only moderators may review held results")


async def set_role(ctx: Context, email: str, role: str) -> bool:
    """Give the account of ``email`` a role; ``False`` when there is no such account."""
    async with ctx.db.engine.begin() as conn:
        done = await conn.execute(
            update(users).where(users.c.email == email.strip().lower()).values(role=role)
        )
    return done.rowcount == 1


async def list_held(ctx: Context, limit: int = 100) -> list[dict[str, Any]]:
    """Held results, oldest first: who, which board, what time, and why."""
    s = training_sessions.c
    async with ctx.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(
                    s.id,
                    s.user_id,
                    users.c.display_name,
                    s.mode,
                    s.variant,
                    s.grid_size,
                    s.order_mode,
                    s.completion_time_ms,
                    s.started_at,
                    s.received_at,
                    s.reasons,
                )
                .join(users, users.c.id == s.user_id)
                .where(s.review == "held", s.deleted_at.is_(None))
                .order_by(s.received_at, s.id)
                .limit(limit)
            )
        ).mappings()
        return [{str(key): value for key, value in row.items()} for row in rows]


async def decide(ctx: Context, session_id: str, decision: Decision) -> dict[str, Any]:
    """Approve (onto its boards, ranked as of its achievement) or reject (unverified) a held result."""
    now = utcnow()
    s = training_sessions.c
    async with ctx.db.engine.begin() as conn:
        owner = (await conn.execute(select(s.user_id).where(s.id == session_id))).scalar()
        if owner is not None:  # the same lock as an upload of that player: the two apply one after the other
            await conn.execute(
                select(user_stats.c.user_id).where(user_stats.c.user_id == owner).with_for_update()
            )
        row = (
            (
                await conn.execute(
                    select(training_sessions).where(
                        s.id == session_id, s.review == "held", s.deleted_at.is_(None)
                    )
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise ApiError(404, "NOT_FOUND", "no held result has this id")
        reasons = [reason for reason in row["reasons"] if reason["code"] != "HELD_FOR_REVIEW"]
        where = s.id == session_id
        if decision == "approve":
            await conn.execute(
                update(training_sessions)
                .where(where)
                .values(review="approved", off_board=False, reasons=reasons)
            )
            keys = board_keys_for(
                row["mode"],
                row["period"],
                row["attempt"],
                row["variant"],
                row["grid_size"],
                row["order_mode"],
            )
            when = achieved_at(row["payload"], row["received_at"])
            await upsert_bests(
                ctx,
                conn,
                [
                    {
                        "board": key.board,
                        "period": key.period,
                        "variant": key.variant,
                        "grid_size": key.grid_size,
                        "order_mode": key.order_mode,
                        "user_id": row["user_id"],
                        "best_time_ms": row["completion_time_ms"],
                        "session_id": row["id"],
                        "achieved_at": when,
                    }
                    for key in keys
                ],
            )
        else:
            rejected = {
                "code": "REJECTED_IN_REVIEW",
                "message": "a moderator did not accept this result",
                "index": None,
            }
            await conn.execute(
                update(training_sessions)
                .where(where)
                .values(review="rejected", verified=False, reasons=[*reasons, rejected])
            )
            await rebuild_stats(conn, row["user_id"], now)
    return {
        "id": session_id,
        "review": "approved" if decision == "approve" else "rejected",
        "user_id": row["user_id"],
    }
