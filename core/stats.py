"""Training statistics over many sessions: streaks, bests and averages per board.

One fold, used by the app (``summarize`` over local history) and the server (``Stats.add`` per
upload, ``summarize`` to rebuild), so the numbers always agree. The profile shows two records as one
(``merge``).

The rule for unverified games, in one place: **an unverified game counts as played (``total_sessions``,
``completed_sessions``, the streak) but never sets a best or an average.** A verified game is one
whose tap log replays (``core.verify``); the server adds its ticket and fair-play checks, so its
verdict is the one a signed-in app should pass on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.replay import verify
from core.rules import Status, Variant
from core.session import TrainingSession

__all__ = ["Stats", "Streak", "board_key", "merge", "session_key", "summarize", "verified_locally"]


def board_key(grid_size: int, order: str, variant: str = Variant.CLASSIC) -> str:
    """The key stats are kept under: ``"5-ASC"`` for a classic board, ``"gorbov-7-ASC"`` otherwise.

    Classic keys are the seed design's ``best_times`` keys; each other variant is its own board.

    >>> board_key(5, "ASC"), board_key(7, "DESC", "gorbov")
    ('5-ASC', 'gorbov-7-DESC')
    """
    key = f"{grid_size}-{order}"
    return key if variant == Variant.CLASSIC else f"{variant}-{key}"


def session_key(session: TrainingSession) -> str:
    """``board_key`` of a session's board."""
    return board_key(session.grid_size, session.order_mode.value, session.variant.value)


def verified_locally(session: TrainingSession) -> bool:
    """Whether the session's tap log replays (``core.verify``): what a device can check on its own.

    Verdicts are remembered by the session's hash, since a session never changes: the profile and
    the dashboard ask again on every paint, and a replay costs a thousand times a look-up.
    """
    key = hash(session)
    verdict = _VERDICTS.get(key)
    if verdict is None:
        if len(_VERDICTS) >= _MAX_VERDICTS:
            _VERDICTS.clear()
        verdict = _VERDICTS[key] = verify(session.to_dict()).ok
    return verdict


_VERDICTS: dict[int, bool] = {}
_MAX_VERDICTS = 100_000  # a few MB at most; a history longer than this is replayed again, not remembered


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
    """What the profile screen shows, and the fold that keeps it (``add``)."""

    total_sessions: int = 0
    """Every session, whatever its status or verdict."""
    completed_sessions: int = 0
    """Sessions with status ``completed``, verified or not."""
    streak: Streak = field(default_factory=Streak)
    """Days in a row with a completed game."""
    best_times: dict[str, float] = field(default_factory=dict)
    """Best verified completion time (ms) per ``board_key``."""
    avg_times: dict[str, float] = field(default_factory=dict)
    """Mean verified completion time (ms) per ``board_key``, rounded to the millisecond."""
    completed: dict[str, int] = field(default_factory=dict)
    """Verified completed sessions per ``board_key`` (what each average is over)."""
    verified_sessions: int = 0
    """Sessions that passed verification, whatever their status."""
    time_sums: dict[str, float] = field(default_factory=dict)
    """Sum of the verified completion times (ms) per ``board_key``, so one more game updates the mean."""

    def add(self, session: TrainingSession, verified: bool) -> Stats:
        """These stats with one more session folded in, by the module's rule for unverified games.

        Sessions may come in any order; only the streak needs them by day (``Streak.extend``).
        """
        time = session.completion_time_ms if session.status is Status.COMPLETED else None
        streak, completed = self.streak, self.completed_sessions
        counts, sums, bests, means = self.completed, self.time_sums, self.best_times, self.avg_times
        if time is not None:
            completed += 1
            streak = streak.extend(session.started_at.date())
            if verified:
                key = session_key(session)
                counts = {**counts, key: counts.get(key, 0) + 1}
                sums = {**sums, key: sums.get(key, 0.0) + time}
                bests = {**bests, key: min(bests.get(key, time), time)}
                means = {**means, key: round(sums[key] / counts[key])}
        return Stats(
            total_sessions=self.total_sessions + 1,
            completed_sessions=completed,
            streak=streak,
            best_times=bests,
            avg_times=means,
            completed=counts,
            verified_sessions=self.verified_sessions + verified,
            time_sums=sums,
        )


def summarize(
    sessions: Iterable[TrainingSession], verified: Callable[[TrainingSession], bool] | None = None
) -> Stats:
    """Statistics of a history, in any order, by the module's rule for unverified games.

    ``verified`` tells which sessions passed verification (the app passes the server's verdicts
    where it has them); by default each completed game is replayed here (``verified_locally``), so
    a forged or broken game never sets a best.
    """
    check = verified_locally if verified is None else verified
    stats = Stats()
    for session in sorted(sessions, key=lambda s: s.started_at):
        stats = stats.add(session, check(session))
    return stats


def merge(first: Stats, second: Stats) -> Stats:
    """One player's stats from two records of the same history that overlap: this device's, the server's.

    Exact when one record holds the other, which is the case once the app has pulled the server's
    history (or before this device's games have been uploaded). Bests are exact in every case; other
    figures are then the better-informed record's, so a lower bound of the whole, never a double count.
    Both records keep the rule for unverified games, so the merged bests are verified ones too.

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
        verified_sessions=max(first.verified_sessions, second.verified_sessions),
        time_sums={key: fuller[key].time_sums[key] for key in keys if key in fuller[key].time_sums},
    )
