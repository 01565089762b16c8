"""``python -m server premium grant EMAIL [--days N] | premium revoke EMAIL`` and ``coach fit``.

The operator's side of issue 12: entitlements by hand (support, gifts, refunds) and fitting the
coach's difficulty table on demand (the server also does it daily, ``server/services/coach.py``).
"""

from __future__ import annotations

import asyncio
import sys
import time

from server.config import Settings
from server.db.engine import Database
from server.mail import OutboxMailer
from server.ratelimit import MemoryLimiter
from server.services import Context, coach, premium

__all__ = ["COACH_USAGE", "PREMIUM_USAGE", "coach_main", "premium_main"]

PREMIUM_USAGE = "usage: python -m server premium grant EMAIL [--days N] | premium revoke EMAIL"
COACH_USAGE = "usage: python -m server coach fit"


def _context(settings: Settings) -> Context:
    return Context(settings, Database(settings.database_url, 1), MemoryLimiter(), OutboxMailer())


async def _premium(settings: Settings, argv: list[str]) -> int:
    match argv:
        case ["grant", email]:
            days = None
        case ["grant", email, "--days", count] if count.isdigit() and int(count) >= 1:
            days = int(count)
        case ["revoke", email]:
            days = None
        case _:
            print(PREMIUM_USAGE, file=sys.stderr)
            return 2
    ctx = _context(settings)
    try:
        if argv[0] == "revoke":
            if not await premium.revoke(ctx, email):
                print(f"no account has the email {email!r}", file=sys.stderr)
                return 1
            print(f"{email}: premium revoked")
            return 0
        held = await premium.grant(ctx, email, days)
        if held is None:
            print(f"no account has the email {email!r}", file=sys.stderr)
            return 1
        until = held["premium_until"]
        print(f"{email}: premium " + ("until revoked" if until is None else f"until {until.isoformat()}"))
        return 0
    finally:
        await ctx.db.dispose()


async def _coach(settings: Settings, argv: list[str]) -> int:
    if argv != ["fit"]:
        print(COACH_USAGE, file=sys.stderr)
        return 2
    ctx = _context(settings)
    try:
        started = time.perf_counter()
        done = await coach.fit(ctx)
        took = time.perf_counter() - started
    finally:
        await ctx.db.dispose()
    if done is None:
        print(f"no verified sessions to fit from ({took:.1f} s): GET /coach/model keeps the current model")
        return 0
    model = done.model
    print(
        f"fitted the table ({len(model['difficulties'])} boards) from {model['games']} rated games of "
        f"{model['players']} players ({done.sessions} verified sessions) in {took:.1f} s; ETag {done.etag}"
    )
    return 0


def premium_main(settings: Settings, argv: list[str]) -> int:
    """Grant or revoke premium; the exit code says how it went (1: no such account, 2: usage)."""
    return asyncio.run(_premium(settings, argv))


def coach_main(settings: Settings, argv: list[str]) -> int:
    """Fit and store the coach's model now."""
    return asyncio.run(_coach(settings, argv))
