"""Issue 12 on the server: one stats fold, premium entitlement and billing, analytics, the coach model.

Everything over real HTTP against ``python -m server`` on SQLite and PostgreSQL; the CLI runs as a
real process against the same database.
"""

from __future__ import annotations

from typing import Any

import core
from tests.server.conftest import practice


def test_profile_counts_an_unverified_game_as_played_but_never_as_a_best_on_any_board(new_api: Any) -> None:
    """The profile is core's fold: a forged fast game counts as played, never as a best or in an average.

    A Gorbov board keeps its own key ("gorbov-7-ASC") and reads back as variant, size and order.
    """
    player = new_api()
    genuine = practice(seed=21)
    forged = practice(seed=22)
    forged["completion_time_ms"] = 1000.0  # no tap log gives this time
    gorbov = practice(seed=23, grid_size=7, variant="gorbov")
    answers = player.ok("POST", "/sessions/sync", json={"sessions": [genuine, forged, gorbov]})
    assert [answer["verified"] for answer in answers] == [True, False, True]

    stats = player.ok("GET", "/users/me")["stats"]
    assert (stats["total_sessions"], stats["completed_sessions"], stats["verified_sessions"]) == (3, 3, 2)
    boards = {(b["variant"], b["grid_size"], b["order_mode"]): b for b in stats["boards"]}
    assert set(boards) == {("classic", 5, "ASC"), ("gorbov", 7, "ASC")}
    assert boards[("classic", 5, "ASC")]["best_time_ms"] == genuine["completion_time_ms"]
    assert boards[("classic", 5, "ASC")]["completed"] == 1
    assert boards[("gorbov", 7, "ASC")]["average_time_ms"] == round(gorbov["completion_time_ms"])

    expected = core.summarize(
        [core.TrainingSession.from_dict(s) for s in (genuine, forged, gorbov)],
        verified=lambda session: session.id != forged["id"],
    )
    assert stats["longest_streak"] == expected.streak.longest
    shown = {
        core.board_key(size, order, variant): b["best_time_ms"]
        for (variant, size, order), b in boards.items()
    }
    assert shown == expected.best_times


def test_deleting_a_game_recounts_the_profile_by_the_same_fold(new_api: Any) -> None:
    """After a delete the stats are rebuilt from the history: the same numbers as folding what is left."""
    player = new_api()
    fast, slow = practice(seed=31), practice(seed=32, pace=(400.0, 700.0))
    forged = practice(seed=33)
    forged["completion_time_ms"] = 900.0
    answers = player.ok("POST", "/sessions/sync", json={"sessions": [fast, slow, forged]})
    assert [answer["verified"] for answer in answers] == [True, True, False]
    before = player.ok("GET", "/users/me")["stats"]["boards"][0]
    assert before["best_time_ms"] == fast["completion_time_ms"] and before["completed"] == 2

    player.ok("DELETE", f"/sessions/{fast['id']}")
    stats = player.ok("GET", "/users/me")["stats"]
    assert (stats["total_sessions"], stats["completed_sessions"], stats["verified_sessions"]) == (2, 2, 1)
    (board,) = stats["boards"]
    assert board["best_time_ms"] == slow["completion_time_ms"]
    assert board["average_time_ms"] == round(slow["completion_time_ms"])
    assert board["completed"] == 1
