"""``python -m server review list|approve ID|reject ID|moderator EMAIL [--revoke]``.

The review queue from a shell, for the operator: the same actions moderators have through
``/api/v1/review``, plus granting the moderator role.
"""

from __future__ import annotations

import asyncio
import json
import sys

from server.config import Settings
from server.db.engine import Database
from server.errors import ApiError
from server.mail import OutboxMailer
from server.ratelimit import MemoryLimiter
from server.services import Context
from server.services import review as service

__all__ = ["USAGE", "main"]

USAGE = "usage: python -m server review list | approve ID | reject ID | moderator EMAIL [--revoke]"


async def _run(settings: Settings, argv: list[str]) -> int:
    db = Database(settings.database_url, 1)
    ctx = Context(settings, db, MemoryLimiter(), OutboxMailer())
    try:
        match argv:
            case ["list"]:
                for row in await service.list_held(ctx, limit=10_000):
                    print(json.dumps(row, default=str))
            case ["approve" | "reject" as action, session_id]:
                decided = await service.decide(
                    ctx, session_id, "approve" if action == "approve" else "reject"
                )
                print(f"{decided['id']}: {decided['review']}")
            case ["moderator", email, *rest] if rest in ([], ["--revoke"]):
                role = "player" if rest else service.MODERATOR
                if not await service.set_role(ctx, email, role):
                    print(f"no account has the email {email!r}", file=sys.stderr)
                    return 1
                print(f"{email}: {role}")
            case _:
                print(USAGE, file=sys.stderr)
                return 2
    except ApiError as error:
        print(f"{error.code}: {error.message}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    return 0


def main(settings: Settings, argv: list[str]) -> int:
    """Run one review command against the configured database; the exit code says how it went."""
    return asyncio.run(_run(settings, argv))
