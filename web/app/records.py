"""The account's record as the server keeps it, as ``core.Stats``, so it merges with this device's.

No page access here: it runs (and is tested) on CPython too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core import Stats, Streak, Variant, board_key

__all__ = ["server_record"]


def server_record(stats: dict[str, Any]) -> Stats:
    """The server's ``StatsOut`` (``GET /users/me``) as ``core.Stats``."""
    boards = [board for board in stats["boards"] if board["best_time_ms"] is not None]
    keys = [board_key(b["grid_size"], b["order_mode"], b.get("variant", Variant.CLASSIC)) for b in boards]
    last = stats["last_played_day"]
    return Stats(
        total_sessions=stats["total_sessions"],
        completed_sessions=stats["completed_sessions"],
        streak=Streak(
            stats["current_streak"], stats["longest_streak"], date.fromisoformat(last) if last else None
        ),
        best_times={key: b["best_time_ms"] for key, b in zip(keys, boards, strict=True)},
        avg_times={key: b["average_time_ms"] for key, b in zip(keys, boards, strict=True)},
        completed={key: b["completed"] for key, b in zip(keys, boards, strict=True)},
    )
