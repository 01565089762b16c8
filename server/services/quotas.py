"""Per-user quotas (429 ``RATE_LIMITED``): uploads and tickets cost the server, new duels other players.

Counted by the app's rate limiter (Redis when configured, so every worker shares the counts).
"""

from __future__ import annotations

from typing import Literal

from server.errors import ApiError
from server.services import Context

__all__ = ["charge"]


async def charge(ctx: Context, user_id: str, what: Literal["upload", "ticket", "duel"]) -> None:
    """Count one upload request, ticket or new duel of ``user_id``; 429 with ``Retry-After`` past it."""
    limit = {
        "upload": ctx.settings.rate_upload_user,
        "ticket": ctx.settings.rate_ticket_user,
        "duel": ctx.settings.rate_duel_user,
    }[what]
    wait = await ctx.limiter.hit(f"{what}:user:{user_id}", limit)
    if wait:
        raise ApiError(
            429,
            "RATE_LIMITED",
            f"too many {what}s: at most {limit.count} per {limit.seconds} s; try again in {wait} s",
            {"retry_after": wait},
            {"Retry-After": str(wait)},
        )
