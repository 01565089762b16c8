"""The server's stats (``GET /users/me``, ``StatsOut``) read as ``core.Stats`` (``app.records``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.records import server_record
from core import Streak, merge


def answer(**changes: Any) -> dict[str, Any]:
    """A ``StatsOut`` as the server sends it (JSON: dates as ISO text, enums as their values)."""
    stats: dict[str, Any] = {
        "user_id": "0b9a3f4c-2d1e-4f5a-8b7c-6d5e4f3a2b1c",
        "total_sessions": 12,
        "completed_sessions": 9,
        "verified_sessions": 8,
        "current_streak": 3,
        "longest_streak": 5,
        "last_played_day": "2026-11-30",
        "boards": [
            {"variant": "classic", "grid_size": 5, "order_mode": "ASC", "completed": 6,
             "best_time_ms": 14250.0, "average_time_ms": 17100.0},
            {"variant": "gorbov", "grid_size": 7, "order_mode": "DESC", "completed": 2,
             "best_time_ms": 61000.5, "average_time_ms": 65000.0},
            {"variant": "letters", "grid_size": 4, "order_mode": "ASC", "completed": 0,
             "best_time_ms": None, "average_time_ms": None},
        ],
    }  # fmt: skip
    stats.update(changes)
    return stats


def test_totals_streak_and_each_board_come_through() -> None:
    record = server_record(answer())
    assert (record.total_sessions, record.completed_sessions) == (12, 9)
    assert record.streak == Streak(3, 5, date(2026, 11, 30))
    assert record.best_times == {"5-ASC": 14250.0, "gorbov-7-DESC": 61000.5}
    assert record.avg_times == {"5-ASC": 17100.0, "gorbov-7-DESC": 65000.0}
    assert record.completed == {"5-ASC": 6, "gorbov-7-DESC": 2}


def test_a_board_without_a_best_is_left_out() -> None:
    assert "letters-4-ASC" not in server_record(answer()).best_times


def test_a_player_who_never_played_has_no_last_day() -> None:
    record = server_record(answer(total_sessions=0, completed_sessions=0, current_streak=0, longest_streak=0,
                                  last_played_day=None, boards=[]))  # fmt: skip
    assert record.streak.last_day is None
    assert record.best_times == {}


def test_a_board_from_before_variants_is_classic() -> None:
    old = answer()
    for board in old["boards"]:
        board.pop("variant")
    assert set(server_record(old).best_times) == {"5-ASC", "7-DESC"}


def test_merged_with_this_device_the_faster_best_wins() -> None:
    server = server_record(answer())
    faster = {
        "grid_size": 5,
        "order_mode": "ASC",
        "completed": 2,
        "best_time_ms": 13000.0,
        "average_time_ms": 13500.0,
    }
    device = server_record(answer(total_sessions=2, completed_sessions=2, boards=[faster]))
    merged = merge(device, server)
    assert merged.best_times["5-ASC"] == 13000.0
    assert merged.best_times["gorbov-7-DESC"] == 61000.5
    assert merged.total_sessions == 12
