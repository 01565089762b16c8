"""The server's count-based percentile is core's, with an empty board answered as null."""

from __future__ import annotations

from server.services.boards import percentile_from_counts


def test_percentile_of_an_empty_board_is_none() -> None:
    assert percentile_from_counts(0, 0, 0) is None


def test_percentile_of_a_board_is_cores() -> None:
    assert percentile_from_counts(2, 1, 4) == 62.5
