"""The server's count-based percentile is ``core.percentile``, exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import core
from server.services.boards import percentile_from_counts


@given(
    st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=200),
    st.integers(min_value=1, max_value=50),
)
def test_percentile_from_counts_agrees_with_core(distribution: list[int], time_ms: int) -> None:
    slower = sum(value > time_ms for value in distribution)
    ties = sum(value == time_ms for value in distribution)
    assert percentile_from_counts(slower, ties, len(distribution)) == core.percentile(time_ms, distribution)


def test_percentile_of_an_empty_board_is_none() -> None:
    assert percentile_from_counts(0, 0, 0) is None
