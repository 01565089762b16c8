"""Held for review: results a human may have reached, but only a record holder, kept off the boards.

``verify`` rejects what no human can do; between that floor and the records lies what only the very
best reach, and what a jittered script reaches too. Such a result is stored and shown to its player,
and ranks only once a moderator has approved it (CONTRACT: Fair play).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.plausibility import (
    MAX_PREVIEW_MS,
    REVIEW_LEAP_CEILING,
    REVIEW_LEAP_RATIO,
    REVIEW_RECENT_RESULTS,
    record_floor_ms,
)
from core.replay import Reason
from core.rules import Status

__all__ = ["review_reason", "upload_window_ms"]


def review_reason(completion_time_ms: float, cells: int, recent_ms: Sequence[float]) -> Reason | None:
    """Why a verified completed result must wait for a moderator before it is ranked, or ``None``.

    ``recent_ms`` are the player's own recent completion times on the same board (ranked or not).
    """
    floor = record_floor_ms(cells)
    if completion_time_ms < floor:
        return Reason(
            "HELD_FOR_REVIEW",
            f"{completion_time_ms:.0f} ms is faster than the record floor of {floor:.0f} ms for "
            f"{cells} cells; a moderator checks it before it is ranked",
        )
    if len(recent_ms) >= REVIEW_RECENT_RESULTS and completion_time_ms < floor * REVIEW_LEAP_CEILING:
        best = min(recent_ms)
        if completion_time_ms < best * REVIEW_LEAP_RATIO:
            return Reason(
                "HELD_FOR_REVIEW",
                f"{completion_time_ms:.0f} ms is far ahead of your recent best of {best:.0f} ms; "
                "a moderator checks it before it is ranked",
            )
    return None


def upload_window_ms(session: Mapping[str, Any]) -> float:
    """How long after its ticket was issued a verified session may arrive and still rank, network aside.

    CONTRACT ("Fair play"): the 20 s a player may look at the board before the clock starts
    (``MAX_PREVIEW_MS``, which ``verify`` enforces) plus the game's own length, taken from what the
    server can check: the completion time of a finished game, ``max_time`` for a timeout, and the
    last tap for an abandoned one. ``completed_at`` is never used: a client could stretch it.
    """
    status = session.get("status")
    if status == Status.COMPLETED and session.get("completion_time_ms") is not None:
        length = float(session["completion_time_ms"])
    elif status == Status.TIMEOUT:
        length = float(session.get("max_time") or 0) * 1000
    else:
        taps = session.get("tap_events") or []
        length = max((float(tap["timestamp_ms"]) for tap in taps), default=0.0)
    return MAX_PREVIEW_MS + length
