"""Challenge periods and seeds: the daily and weekly boards everyone plays.

A challenge seed is an HMAC-SHA256 of a server secret and the period, never of the date alone, so a
board cannot be known (and practised) before its period starts, yet the server and tests derive the
same seed from the same secret without storing anything.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from core.rules import MAX_SEED, Mode, Order, Variant, parse_choice
from core.variants import check_variant_size

__all__ = ["ChallengeWindow", "challenge_period", "challenge_seed", "challenge_window", "parse_period"]


class ChallengeWindow(NamedTuple):
    """One challenge period and the UTC moments it spans."""

    period: str
    """``"2026-11-25"`` (daily) or ``"2026-W48"`` (weekly)."""
    starts: datetime
    """Midnight UTC that opens the period (inclusive)."""
    ends: datetime
    """Midnight UTC that closes it (exclusive)."""


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


def challenge_window(mode: Mode | str, when: datetime | date) -> ChallengeWindow:
    """The challenge period ``when`` falls in, with its start and end.

    >>> challenge_window("weekly", date(2026, 11, 25)).starts.isoformat()
    '2026-11-23T00:00:00+00:00'
    """
    chosen = parse_choice(Mode, mode, "mode")
    period = challenge_period(chosen, when)
    starts = datetime.combine(_first_day(chosen, period), time(), UTC)
    return ChallengeWindow(period, starts, starts + timedelta(days=7 if chosen is Mode.WEEKLY else 1))


def parse_period(mode: Mode | str, text: str) -> str:
    """``text`` as a canonical period of ``mode``; a ``ValueError`` names it when it is not one.

    >>> parse_period("weekly", "2026-W48")
    '2026-W48'
    """
    chosen = parse_choice(Mode, mode, "mode")
    if chosen not in (Mode.DAILY, Mode.WEEKLY):
        raise ValueError(f"mode must be 'daily' or 'weekly' for a challenge, got {chosen.value!r}")
    if not isinstance(text, str) or _canonical(chosen, text) != text:
        example = "'2026-11-25'" if chosen is Mode.DAILY else "'2026-W48'"
        raise ValueError(f"period must be a {chosen.value} period like {example}, got {text!r}")
    return text


def challenge_seed(
    secret: bytes | str,
    mode: Mode | str,
    period: str,
    grid_size: int,
    order: Order | str,
    variant: Variant | str = Variant.CLASSIC,
) -> int:
    """The board seed of one challenge: HMAC-SHA256 of the secret and the board's identity.

    The message is ``"schulte/v1/{mode}/{period}/{size}/{order}"`` for the classic variant (so the
    first wave's boards stay the same) and ``"schulte/v2/{mode}/{period}/{variant}/{size}/{order}"``
    for the others, so knowing one variant's board tells nothing of another's. The first 8 bytes of
    the digest, big-endian, shifted right by 11 bits give a seed below 2**53. Each board has its own
    seed, so every challenge leaderboard is a fair race.

    >>> challenge_seed(b"secret", "daily", "2026-11-25", 5, "ASC")
    2209531837222648
    """
    if isinstance(secret, str):
        secret = secret.encode()
    if not isinstance(secret, bytes) or len(secret) == 0:
        raise ValueError("secret must be a non-empty bytes or str")
    mode = parse_choice(Mode, mode, "mode")
    order = parse_choice(Order, order, "order")
    variant = check_variant_size(variant, grid_size)
    parse_period(mode, period)
    board = f"{grid_size}/{order.value}"
    if variant is Variant.CLASSIC:
        message = f"schulte/v1/{mode.value}/{period}/{board}".encode()
    else:
        message = f"schulte/v2/{mode.value}/{period}/{variant.value}/{board}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - MAX_SEED.bit_length() + 1)


def _first_day(mode: Mode, period: str) -> date:
    if mode is Mode.DAILY:
        return date.fromisoformat(period)
    year, week = period.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def _canonical(mode: Mode, period: str) -> str | None:
    if mode is Mode.DAILY and len(period) != 10:
        return None
    try:
        return challenge_period(mode, _first_day(mode, period))
    except ValueError:
        return None
