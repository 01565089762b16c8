"""``/review``: moderators list held results and approve or reject them (403 ``FORBIDDEN`` for others)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import get, post
from litestar.params import Parameter
from msgspec import Struct

import core
from server.api.deps import BEARER, errors
from server.api.schemas import Envelope, ReasonOut
from server.services import Context
from server.services import review as service

__all__ = ["approve", "list_held", "reject"]

SessionId = Annotated[str, Parameter(pattern=r"^[0-9A-Fa-f-]{32,36}$", description="the session's UUID")]


class HeldOut(Struct):
    """A result held off the boards until a moderator decides."""

    id: str
    user_id: str
    display_name: str
    mode: core.Mode
    variant: core.Variant
    grid_size: int
    order_mode: core.Order
    completion_time_ms: float
    started_at: datetime
    received_at: datetime
    reasons: list[ReasonOut]


class DecisionOut(Struct):
    """What a moderator decided about one held result."""

    id: str
    user_id: str
    review: str


@get("/review", responses=errors(401, 403), security=BEARER, tags=["review"])
async def list_held(
    ctx: Context, me_id: str, limit: Annotated[int, Parameter(ge=1, le=500)] = 100
) -> Envelope[list[HeldOut]]:
    """Results held for review, oldest first (moderators only)."""
    await service.require_moderator(ctx, me_id)
    rows = await service.list_held(ctx, limit)
    return Envelope([msgspec.convert(row, HeldOut, strict=False) for row in rows], meta={"total": len(rows)})


@post("/review/{session_id:str}/approve", status_code=200, responses=errors(401, 403, 404), security=BEARER,
      tags=["review"])  # fmt: skip
async def approve(ctx: Context, me_id: str, session_id: SessionId) -> Envelope[DecisionOut]:
    """Put a held result on its boards, ranked as of when it was achieved."""
    await service.require_moderator(ctx, me_id)
    return Envelope(msgspec.convert(await service.decide(ctx, session_id, "approve"), DecisionOut))


@post("/review/{session_id:str}/reject", status_code=200, responses=errors(401, 403, 404), security=BEARER,
      tags=["review"])  # fmt: skip
async def reject(ctx: Context, me_id: str, session_id: SessionId) -> Envelope[DecisionOut]:
    """Keep a held result off the boards for good; its player sees it as unverified."""
    await service.require_moderator(ctx, me_id)
    return Envelope(msgspec.convert(await service.decide(ctx, session_id, "reject"), DecisionOut))
