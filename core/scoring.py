"""Scores of one game and of a series of games.

These are the formulas of the seed design and of the Schulte-table literature, kept in one place so
the results screen, the verifier and the server's statistics can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

__all__ = [
    "accuracy",
    "completion_time_ms",
    "efficiency",
    "percentile",
    "percentile_from_counts",
    "split_times",
    "stability",
    "warm_up",
]


def accuracy(cells: int, mistakes: int) -> float:
    """``(cells − mistakes) / cells × 100``, never below 0, rounded to 2 decimals.

    >>> accuracy(25, 1)
    96.0
    >>> accuracy(25, 40)
    0.0
    """
    _check_count("cells", cells, minimum=1)
    _check_count("mistakes", mistakes, minimum=0)
    return round(max(0.0, (cells - mistakes) / cells * 100), 2)


def completion_time_ms(first_correct_ms: float, last_correct_ms: float, paused_ms: float = 0) -> int:
    """Time from the first correct tap to the last, minus pauses, rounded to the millisecond.

    Halves round up, as in JavaScript's ``Math.round``, so every client agrees.

    >>> completion_time_ms(1843.5, 30594.0, paused_ms=0)
    28751
    """
    for name, value in (
        ("first_correct_ms", first_correct_ms),
        ("last_correct_ms", last_correct_ms),
        ("paused_ms", paused_ms),
    ):
        _check_time(name, value)
    span = last_correct_ms - first_correct_ms - paused_ms
    if span < 0:
        raise ValueError(f"last_correct_ms - first_correct_ms - paused_ms must be >= 0, got {span!r}")
    return math.floor(span + 0.5)


def split_times(correct_times_ms: Sequence[float]) -> list[float]:
    """Time taken to find each number: the gap since the previous correct tap.

    The first split is the time from the board appearing to the first correct tap, so a slow start
    is visible even though the clock only starts there.

    >>> split_times([800.0, 1500.0, 1750.5])
    [800.0, 700.0, 250.5]
    """
    previous = 0.0
    splits = []
    for index, time in enumerate(correct_times_ms):
        _check_time(f"correct_times_ms[{index}]", time)
        if time < previous:
            raise ValueError(f"correct_times_ms[{index}] goes back in time: {time!r} < {previous!r}")
        splits.append(round(time - previous, 3))
        previous = time
    return splits


def percentile(time_ms: float, distribution: Iterable[float]) -> float:
    """Share of ``distribution`` that ``time_ms`` beats, in percent (1 decimal); ties count half.

    "Faster than 73.4% of players" when ``distribution`` holds every player's best time.

    >>> percentile(30_000, [20_000, 30_000, 40_000, 50_000])
    62.5
    """
    _check_time("time_ms", time_ms)
    slower = ties = total = 0
    for value in distribution:
        _check_time("distribution value", value)
        total += 1
        if value > time_ms:
            slower += 1
        elif value == time_ms:
            ties += 1
    return percentile_from_counts(slower, ties, total)


def percentile_from_counts(slower: int, ties: int, total: int) -> float:
    """``percentile`` from counts, for a server that counts with an index instead of loading times.

    >>> percentile_from_counts(slower=2, ties=1, total=4)
    62.5
    """
    for name, value in (("slower", slower), ("ties", ties), ("total", total)):
        _check_count(name, value, minimum=0)
    if total == 0:
        raise ValueError("distribution is empty: a percentile needs at least one time")
    if slower + ties > total:
        raise ValueError(f"slower + ties must be <= total, got {slower} + {ties} > {total}")
    return round((slower + ties / 2) / total * 100, 1)


def efficiency(times_ms: Sequence[float]) -> float:
    """Work efficiency (ЭР), the mean time of a series of tables: ``ЭР = (T1 + … + Tn) / n``.

    The classic protocol (Schulte-Gorbov tables as given by S. Ya. Rubinstein, "Experimental methods
    of pathopsychology", 1970) uses five tables in a row; lower is better.

    >>> efficiency([40_000, 36_000, 35_000, 37_000, 34_000])
    36400.0
    """
    _check_series(times_ms, minimum=1)
    return sum(times_ms) / len(times_ms)


def warm_up(times_ms: Sequence[float]) -> float:
    """Degree of warming up (ВР = T1 / ЭР), Rubinstein 1970; below 1.0 means no warm-up was needed.

    >>> round(warm_up([40_000, 36_000, 35_000, 37_000, 34_000]), 3)
    1.099
    """
    _check_series(times_ms, minimum=1)
    return times_ms[0] / efficiency(times_ms)


def stability(times_ms: Sequence[float]) -> float:
    """Mental stability (ПУ = T4 / ЭР), Rubinstein 1970; below 1.0 means good endurance.

    Needs at least four tables, since it compares the fourth with the mean.

    >>> round(stability([40_000, 36_000, 35_000, 37_000, 34_000]), 3)
    1.016
    """
    _check_series(times_ms, minimum=4)
    return times_ms[3] / efficiency(times_ms)


def _check_series(times_ms: Sequence[float], *, minimum: int) -> None:
    if isinstance(times_ms, (str, bytes)) or not isinstance(times_ms, Sequence):
        raise TypeError(f"times_ms must be a sequence of numbers, got {type(times_ms).__name__}")
    if len(times_ms) < minimum:
        raise ValueError(f"times_ms needs at least {minimum} table times, got {len(times_ms)}")
    for index, value in enumerate(times_ms):
        _check_time(f"times_ms[{index}]", value)
        if value <= 0:
            raise ValueError(f"times_ms[{index}] must be > 0, got {value!r}")


def _check_time(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def _check_count(name: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
