"""Training statistics over many sessions: streaks, bests and averages per grid size and order.

The server keeps them up to date one upload at a time (``Streak.extend``) and the app recomputes
them from local history (``summarize``); both use this module, so the numbers always agree. The
profile shows the two records as one (``merge``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.rules import Status, Variant
from core.session import TrainingSession

__all__ = ["Stats", "Streak", "board_key", "merge", "summarize"]


def board_key(grid_size: int, order: str, variant: str = Variant.CLASSIC) -> str:
    """The key stats are kept under, as in the seed design's ``best_times``.

    Classic boards keep the first wave's keys; other variants are prefixed, so each variant has
    its own bests and averages:

    >>> board_key(5, "ASC"), board_key(7, "ASC", "gorbov")
    ('5-ASC', 'gorbov-7-ASC')
    """
    board = f"{grid_size}-{order}"
    return board if variant == Variant.CLASSIC else f"{variant}-{board}"


@dataclass(frozen=True, slots=True)
class Streak:
    """Consecutive UTC days with at least one completed game."""

    current: int = 0
    """Length of the run that ends on the last day played (0 once a day has been missed)."""
    longest: int = 0
    """Longest run ever."""
    last_day: date | None = None
    """The last UTC day with a completed game."""

    def extend(self, day: date) -> Streak:
        """The streak after a completed game on ``day``.

        A game older than ``last_day`` (synced late from another device) leaves the streak as it is:
        recompute with ``summarize`` when exactness across devices matters.

        >>> Streak().extend(date(2026, 11, 24)).extend(date(2026, 11, 25))
        Streak(current=2, longest=2, last_day=datetime.date(2026, 11, 25))
        """
        if self.last_day is None:
            return Streak(1, max(1, self.longest), day)
        if day <= self.last_day:
            return self  # an older or same-day game cannot lengthen the run that ends later
        current = self.current + 1 if day - self.last_day == timedelta(days=1) else 1
        return Streak(current, max(self.longest, current), day)

    def as_of(self, today: date) -> int:
        """The current streak as seen on ``today``: alive if the last game was today or yesterday."""
        if self.last_day is None or today - self.last_day > timedelta(days=1):
            return 0
        return self.current


@dataclass(frozen=True, slots=True)
class Stats:
    """What the profile screen shows."""

    total_sessions: int = 0
    """Every session, whatever its status."""
    completed_sessions: int = 0
    """Sessions with status ``completed``."""
    streak: Streak = field(default_factory=Streak)
    """Days in a row with a completed game."""
    best_times: dict[str, float] = field(default_factory=dict)
    """Best completion time (ms) per ``board_key``."""
    avg_times: dict[str, float] = field(default_factory=dict)
    """Mean completion time (ms) per ``board_key``, rounded to the millisecond."""
    completed: dict[str, int] = field(default_factory=dict)
    """Completed sessions per ``board_key`` (what each average is over)."""


def summarize(sessions: Iterable[TrainingSession]) -> Stats:
    """Statistics of a history, in any order."""
    total = 0
    days: set[date] = set()
    times: dict[str, list[float]] = {}
    for session in sessions:
        total += 1
        if session.status is Status.COMPLETED and session.completion_time_ms is not None:
            days.add(session.started_at.date())
            key = board_key(session.grid_size, session.order_mode.value, session.variant.value)
            times.setdefault(key, []).append(session.completion_time_ms)
    streak = Streak()
    for day in sorted(days):
        streak = streak.extend(day)
    return Stats(
        total_sessions=total,
        completed_sessions=sum(len(values) for values in times.values()),
        streak=streak,
        best_times={key: min(values) for key, values in sorted(times.items())},
        avg_times={key: round(sum(values) / len(values)) for key, values in sorted(times.items())},
        completed={key: len(values) for key, values in sorted(times.items())},
    )


def merge(first: Stats, second: Stats) -> Stats:
    """One player's stats from two records of the same history that overlap: this device's, the server's.

    Exact when one record holds the other, which is the case once the app has pulled the server's
    history (or before this device's games have been uploaded). Bests are exact in every case; other
    figures are then the better-informed record's, so a lower bound of the whole, never a double count.

    >>> device = Stats(total_sessions=3, completed_sessions=2, best_times={"5-ASC": 9000.0})
    >>> server = Stats(total_sessions=5, completed_sessions=4, best_times={"5-ASC": 9500.0})
    >>> merged = merge(device, server)
    >>> (merged.total_sessions, merged.completed_sessions, merged.best_times)
    (5, 4, {'5-ASC': 9000.0})
    """
    latest = max(first.streak, second.streak, key=lambda s: (s.last_day or date.min, s.current))
    keys = sorted(set(first.best_times) | set(second.best_times))
    # Each board's average comes from the record that holds more of that board's games.
    fuller = {key: max(first, second, key=lambda stats: stats.completed.get(key, 0)) for key in keys}
    return Stats(
        total_sessions=max(first.total_sessions, second.total_sessions),
        completed_sessions=max(first.completed_sessions, second.completed_sessions),
        streak=Streak(latest.current, max(first.streak.longest, second.streak.longest), latest.last_day),
        best_times={
            key: min(s.best_times[key] for s in (first, second) if key in s.best_times) for key in keys
        },
        avg_times={key: fuller[key].avg_times[key] for key in keys if key in fuller[key].avg_times},
        completed={key: fuller[key].completed.get(key, 0) for key in keys},
    )
