"""Challenge periods and seeds: the daily and weekly boards everyone plays.

A challenge seed is an HMAC-SHA256 of a server secret and the period, never of the date alone, so a
board cannot be known (and practised) before its period starts, yet the server and tests derive the
same seed from the same secret without storing anything.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime

from core.rules import MAX_SEED, SIZES, Mode, Order, parse_choice

__all__ = ["challenge_period", "challenge_seed"]


def challenge_period(mode: Mode | str, when: datetime | date) -> str:
    """The period a moment falls in: the UTC date for daily, the ISO year-week for weekly.

    >>> challenge_period("daily", datetime(2026, 11, 25, 23, 59, tzinfo=UTC))
    '2026-11-25'
    >>> challenge_period("weekly", date(2026, 1, 1))
    '2026-W01'
    """
    mode = parse_choice(Mode, mode, "mode")
    if isinstance(when, datetime):
        if when.tzinfo is None:
            raise ValueError(f"when must be timezone-aware, got naive {when!r}")
        when = when.astimezone(UTC).date()
    elif not isinstance(when, date):
        raise TypeError(f"when must be a datetime or date, got {type(when).__name__}")
    if mode is Mode.DAILY:
        return when.isoformat()
    if mode is Mode.WEEKLY:
        year, week, _ = when.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"mode must be 'daily' or 'weekly' for a challenge, got {mode.value!r}")


def challenge_seed(
    secret: bytes | str, mode: Mode | str, period: str, grid_size: int, order: Order | str
) -> int:
    """The board seed of one challenge: HMAC-SHA256(secret, "schulte/v1/{mode}/{period}/{size}/{order}").

    The first 8 bytes of the digest, big-endian, shifted right by 11 bits give a seed below 2**53.
    Each grid size and order has its own board, so every challenge leaderboard is a fair race.

    >>> challenge_seed(b"secret", "daily", "2026-11-25", 5, "ASC")
    2209531837222648
    """
    if isinstance(secret, str):
        secret = secret.encode()
    if not isinstance(secret, bytes) or len(secret) == 0:
        raise ValueError("secret must be a non-empty bytes or str")
    mode = parse_choice(Mode, mode, "mode")
    order = parse_choice(Order, order, "order")
    if mode not in (Mode.DAILY, Mode.WEEKLY):
        raise ValueError(f"mode must be 'daily' or 'weekly' for a challenge, got {mode.value!r}")
    if isinstance(grid_size, bool) or not isinstance(grid_size, int) or grid_size not in SIZES:
        raise ValueError(f"grid size must be one of {SIZES}, got {grid_size!r}")
    if not isinstance(period, str) or period != _canonical(mode, period):
        raise ValueError(
            f"period must be a {mode.value} period like '2026-11-25' or '2026-W48', got {period!r}"
        )
    message = f"schulte/v1/{mode.value}/{period}/{grid_size}/{order.value}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - MAX_SEED.bit_length() + 1)


def _canonical(mode: Mode, period: str) -> str | None:
    try:
        if mode is Mode.DAILY:
            return date.fromisoformat(period).isoformat() if len(period) == 10 else None
        year, week = period.split("-W")
        return challenge_period(mode, date.fromisocalendar(int(year), int(week), 1))
    except ValueError:
        return None
