"""Scores shown on the results screen and in the statistics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import (
    accuracy,
    completion_time_ms,
    efficiency,
    percentile,
    percentile_from_counts,
    split_times,
    stability,
    warm_up,
)


@pytest.mark.parametrize(
    ("cells", "mistakes", "expected"),
    [(25, 0, 100.0), (25, 1, 96.0), (36, 1, 97.22), (49, 3, 93.88), (25, 25, 0.0), (25, 99, 0.0)],
)
def test_accuracy_follows_the_seed_formula_clamped_and_rounded(
    cells: int, mistakes: int, expected: float
) -> None:
    assert accuracy(cells, mistakes) == expected


def test_completion_time_excludes_pauses_and_rounds_halves_up() -> None:
    assert completion_time_ms(1000.0, 31_000.0, 5_000) == 25_000
    assert completion_time_ms(0.0, 10.5) == 11
    assert completion_time_ms(0.25, 10.5) == 10
    with pytest.raises(ValueError, match="must be >= 0"):
        completion_time_ms(1000.0, 2000.0, 5000)


def test_split_times_show_the_time_to_find_each_number() -> None:
    assert split_times([]) == []
    assert split_times([1200.0, 1900.0, 2000.5]) == [1200.0, 700.0, 100.5]
    with pytest.raises(ValueError, match=r"correct_times_ms\[1\] goes back in time"):
        split_times([5.0, 4.0])


def test_percentile_counts_the_share_of_slower_times_with_ties_as_half() -> None:
    assert percentile(10_000, [20_000, 30_000]) == 100.0
    assert percentile(40_000, [20_000, 30_000]) == 0.0
    assert percentile(30_000, [30_000]) == 50.0
    assert percentile(25_000, range(1, 100_001)) == 75.0
    with pytest.raises(ValueError, match="distribution is empty"):
        percentile(1.0, [])
    with pytest.raises(TypeError, match="distribution value must be a number, got str"):
        percentile(1.0, ["fast"])  # type: ignore[list-item]


@given(st.lists(st.integers(1, 50), min_size=1, max_size=200), st.integers(1, 50))
def test_percentile_from_counts_is_the_percentile_of_the_distribution(
    distribution: list[int], time: int
) -> None:
    slower = sum(value > time for value in distribution)
    ties = sum(value == time for value in distribution)
    assert percentile_from_counts(slower, ties, len(distribution)) == percentile(time, distribution)


def test_counts_that_cannot_come_from_a_distribution_are_rejected() -> None:
    with pytest.raises(ValueError, match="slower \\+ ties must be <= total, got 3 \\+ 2 > 4"):
        percentile_from_counts(3, 2, 4)
    with pytest.raises(ValueError, match="distribution is empty"):
        percentile_from_counts(0, 0, 0)


def test_series_measures_follow_rubinstein() -> None:
    times = [50_000.0, 44_000.0, 42_000.0, 46_000.0, 43_000.0]
    assert efficiency(times) == 45_000.0
    assert warm_up(times) == pytest.approx(50 / 45)
    assert stability(times) == pytest.approx(46 / 45)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: stability([1.0, 2.0, 3.0]), ValueError, "times_ms needs at least 4 table times, got 3"),
        (lambda: efficiency([]), ValueError, "needs at least 1"),
        (lambda: warm_up([0.0]), ValueError, r"times_ms\[0\] must be > 0, got 0.0"),
        (lambda: efficiency("12"), TypeError, "times_ms must be a sequence of numbers, got str"),
        (lambda: accuracy(0, 0), ValueError, "cells must be >= 1, got 0"),
        (lambda: accuracy(25, -1), ValueError, "mistakes must be >= 0, got -1"),
        (lambda: accuracy(25.0, 1), TypeError, "cells must be an int, got float"),
        (
            lambda: completion_time_ms(float("inf"), 1.0),
            ValueError,
            "first_correct_ms must be a finite number",
        ),
        (lambda: percentile(None, [1.0]), TypeError, "time_ms must be a number, got NoneType"),
    ],
)
def test_bad_input_raises_errors_that_name_the_value(
    call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]
