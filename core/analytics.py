"""The dashboard's figures, computed from a history of sessions: plain numbers for charts and tests.

Everything here is data, never text: the app draws SVG charts from ``Dashboard.to_dict()``, the
server serves the same dict, and a notebook plots it. Times are milliseconds.

Per board (variant × grid size × order) it gives each game's time with a rolling median and the
personal best so far, a practice curve, the error rate, and consistency; it replays the tap logs to
find where on the board and at which numbers time goes. Across boards it gives a weekday × hour
heatmap, the streak, games per week and the five-table series (``core.series``).

Game numbers, rolling medians and bests are taken over the whole history, so a date range
(``DateRange``) only chooses which points to show; the heatmaps, the practice curve and the weekly
counts are computed over the range alone.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from itertools import compress
from operator import itemgetter, mul, sub
from statistics import median
from typing import Any

from core.rules import Order, Status
from core.series import SeriesResult, series_results
from core.session import TrainingSession, format_timestamp
from core.stats import Streak, session_key, verified_locally

__all__ = [
    "PRACTICE_POINTS",
    "ROLLING_WINDOW",
    "BoardFigures",
    "Dashboard",
    "DateRange",
    "GamePoint",
    "WeekCount",
    "dashboard",
]

ROLLING_WINDOW = 10
"""Completed games in the rolling median: enough to smooth one bad game, few enough to show a trend."""

PRACTICE_POINTS = 20
"""At most this many points on a practice curve: games are pooled in equal blocks beyond that."""


@dataclass(frozen=True, slots=True)
class DateRange:
    """Which games to show: ``since <= started_at < until``; ``None`` leaves that end open."""

    since: datetime | None = None
    """First moment shown (inclusive)."""
    until: datetime | None = None
    """First moment no longer shown (exclusive)."""

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            moment = getattr(self, name)
            if moment is not None and (not isinstance(moment, datetime) or moment.tzinfo is None):
                raise ValueError(f"{name} must be a timezone-aware datetime or None, got {moment!r}")
        if self.since is not None and self.until is not None and self.until < self.since:
            raise ValueError(f"until must not be before since, got {self.since} .. {self.until}")

    @classmethod
    def last_days(cls, days: int, now: datetime) -> DateRange:
        """The ``days`` days up to ``now``: what the free dashboard shows with ``days=30``.

        >>> from datetime import UTC
        >>> DateRange.last_days(30, datetime(2026, 12, 1, tzinfo=UTC)).since
        datetime.datetime(2026, 11, 1, 0, 0, tzinfo=datetime.timezone.utc)
        """
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise ValueError(f"days must be an int >= 1, got {days!r}")
        return cls(now - timedelta(days=days), None)

    def __contains__(self, moment: object) -> bool:
        if not isinstance(moment, datetime):
            return False
        return (self.since is None or moment >= self.since) and (self.until is None or moment < self.until)

    def to_dict(self) -> dict[str, Any]:
        """The range with ISO times (``None`` for an open end)."""
        return {
            "since": None if self.since is None else format_timestamp(self.since),
            "until": None if self.until is None else format_timestamp(self.until),
        }


@dataclass(frozen=True, slots=True)
class GamePoint:
    """One game on a board's charts."""

    number: int
    """The game's place among all games ever played on this board (1 = the first): the practice x-axis."""
    started_at: str
    """When the board was shown (ISO 8601 UTC)."""
    status: str
    """``completed``, ``timeout`` or ``abandoned``."""
    time_ms: float | None
    """Completion time; ``None`` unless completed."""
    rolling_median_ms: float | None
    """Median of the last ``ROLLING_WINDOW`` completion times up to this game."""
    best_ms: float | None
    """Personal best up to this game, verified games only (``core.stats``' rule)."""
    error_rate: float | None
    """Wrong taps over all taps (0 … 1); ``None`` without taps."""
    rolling_error_rate: float | None
    """Mean error rate of the last ``ROLLING_WINDOW`` games with taps."""
    consistency: float | None
    """Coefficient of variation of the times between correct taps (lower is steadier); ``None``
    with fewer than two such intervals or after a pause, whose place in the log is unknown."""


@dataclass(frozen=True, slots=True)
class BoardFigures:
    """The figures of one board (variant × grid size × order)."""

    key: str
    """``core.board_key`` of the board: ``"5-ASC"``, ``"gorbov-7-ASC"``."""
    variant: str
    """The variant's wire value."""
    grid_size: int
    """Cells per side."""
    order_mode: str
    """``ASC`` or ``DESC``."""
    games: tuple[GamePoint, ...]
    """Each game in the range, oldest first."""
    best_ms: float | None
    """Personal best (verified) at the end of the range."""
    practice_curve: tuple[tuple[int, float], ...]
    """``(games played, median completion time of the block ending there)``, at most ``PRACTICE_POINTS``."""
    cell_medians_ms: tuple[float | None, ...]
    """Median search time per cell, row-major (N² values): where the sought token was found, so with
    reshuffle the cell it had moved to. The search time of a token is the time since the previous
    correct tap (for the first, since the board was shown)."""
    token_medians_ms: tuple[float | None, ...]
    """Median search time per token: index 0 is token 1 (which numbers are slow)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (tuples become lists)."""
        figures = asdict(self)
        figures["practice_curve"] = [list(point) for point in self.practice_curve]
        return figures


@dataclass(frozen=True, slots=True)
class WeekCount:
    """Games in one ISO week (local time)."""

    week: str
    """ISO week, ``"2026-W48"``."""
    monday: str
    """The week's first day, ``"2026-11-23"``."""
    games: int
    """Games started that week, whatever their end."""
    completed: int
    """Completed games that week."""


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Every figure of the dashboard, for one history and date range."""

    range: DateRange
    """The date range shown."""
    games: int
    """Games in the range."""
    boards: tuple[BoardFigures, ...]
    """Boards played in the range, most played first."""
    weekday_hour_games: tuple[tuple[int, ...], ...]
    """Completed games by local weekday (row 0 = Monday) and hour (column 0 = 00:00–00:59)."""
    weekday_hour_relative: tuple[tuple[float | None, ...], ...]
    """Median of each completed game's time over its board's median time in the range, by weekday
    and hour: below 1 means faster than usual at that time. Comparable across boards."""
    streak: Streak
    """Days in a row with a completed game (UTC days, as ``core.Stats``), over the whole history."""
    current_streak: int
    """The streak as of ``today`` (0 once a day was missed)."""
    weeks: tuple[WeekCount, ...]
    """Games per ISO week from the range's first game to its last, empty weeks included."""
    series: tuple[SeriesResult, ...]
    """Five-table series whose first table is in the range, oldest first (``core.series_results``)."""
    by_key: dict[str, BoardFigures] = field(init=False, repr=False, compare=False)
    """Boards by ``key``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {board.key: board for board in self.boards})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures: numbers, codes and ISO dates only, no text in any language."""
        return {
            "range": self.range.to_dict(),
            "games": self.games,
            "boards": [board.to_dict() for board in self.boards],
            "weekday_hour_games": [list(row) for row in self.weekday_hour_games],
            "weekday_hour_relative": [list(row) for row in self.weekday_hour_relative],
            "streak": {
                "current": self.current_streak,
                "longest": self.streak.longest,
                "last_day": None if self.streak.last_day is None else self.streak.last_day.isoformat(),
            },
            "weeks": [asdict(week) for week in self.weeks],
            "series": [result.to_dict() for result in self.series],
        }


def dashboard(
    sessions: Iterable[TrainingSession],
    date_range: DateRange | None = None,
    *,
    utc_offset_minutes: int = 0,
    today: date | None = None,
    verified: Callable[[TrainingSession], bool] | None = None,
) -> Dashboard:
    """The dashboard's figures for a history (any order, any mix of boards).

    ``utc_offset_minutes`` places games in the player's local weekday, hour and week (the app passes
    ``-new Date().getTimezoneOffset()``). ``today`` (default: the last game's UTC day) dates the
    current streak. ``verified`` gives verdicts for bests as in ``core.summarize``; by default a game
    is replayed only when it would set a new best, which keeps the default cheap.

    >>> figures = dashboard([])
    >>> figures.games, figures.boards, figures.current_streak
    (0, (), 0)
    """
    chosen = DateRange() if date_range is None else date_range
    if not isinstance(chosen, DateRange):
        raise TypeError(f"date_range must be a DateRange or None, got {type(chosen).__name__}")
    if isinstance(utc_offset_minutes, bool) or not isinstance(utc_offset_minutes, int):
        raise TypeError(f"utc_offset_minutes must be an int, got {type(utc_offset_minutes).__name__}")
    if not -14 * 60 <= utc_offset_minutes <= 14 * 60:
        raise ValueError(f"utc_offset_minutes must be within ±840, got {utc_offset_minutes}")
    check = verified_locally if verified is None else verified
    history = sorted(sessions, key=lambda session: session.started_at)
    offset = timedelta(minutes=utc_offset_minutes)

    per_board: dict[str, list[TrainingSession]] = {}
    days: list[date] = []
    for session in history:
        per_board.setdefault(session_key(session), []).append(session)
        if session.status is _COMPLETED:
            days.append(session.started_at.date())
    streak = Streak()
    for day in days:
        streak = streak.extend(day)
    current = streak.as_of(today or (days[-1] if days else date.min))

    in_range = [session for session in history if session.started_at in chosen]
    boards = [_board(key, games, chosen, check) for key, games in per_board.items()]
    shown = sorted(
        (board for board in boards if board.games), key=lambda board: (-len(board.games), board.key)
    )
    games_grid, relative_grid = _weekday_hours(in_range, {board.key: board for board in shown}, offset)
    return Dashboard(
        range=chosen,
        games=len(in_range),
        boards=tuple(shown),
        weekday_hour_games=games_grid,
        weekday_hour_relative=relative_grid,
        streak=streak,
        current_streak=current,
        weeks=_weeks(in_range, offset),
        series=tuple(result for result in series_results(history) if _parse(result.started_at) in chosen),
    )


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def _board(
    key: str, games: list[TrainingSession], chosen: DateRange, verified: Callable[[TrainingSession], bool]
) -> BoardFigures:
    first = games[0]
    cells = first.grid_size * first.grid_size
    splits = _Splits(cells, first.order_mode)
    window = _Rolling()
    error_window: deque[float] = deque(maxlen=ROLLING_WINDOW)
    best: float | None = None
    points = []
    for number, session in enumerate(games, start=1):
        time = session.completion_time_ms if session.status is _COMPLETED else None
        if time is not None:
            window.add(time)
            if (best is None or time < best) and verified(session):
                best = time
        taps = session.tap_events
        error_rate = session.mistakes / len(taps) if taps else None
        if error_rate is not None:
            error_window.append(error_rate)
        if session.started_at not in chosen:
            continue
        consistency = None
        if not session.paused_ms:  # a pause sits in one interval we cannot find, so it would skew these
            consistency = splits.add(session)
        points.append(
            GamePoint(
                number=number,
                started_at=format_timestamp(session.started_at),
                status=session.status.value,
                time_ms=time,
                rolling_median_ms=window.median(),
                best_ms=best,
                error_rate=_ratio(error_rate),
                rolling_error_rate=_ratio(sum(error_window) / len(error_window)) if error_window else None,
                consistency=consistency,
            )
        )
    return BoardFigures(
        key=key,
        variant=first.variant.value,
        grid_size=first.grid_size,
        order_mode=first.order_mode.value,
        games=tuple(points),
        best_ms=best,
        practice_curve=_practice_curve(points),
        cell_medians_ms=splits.medians(splits.by_cell, splits.cell_rest),
        token_medians_ms=splits.medians(splits.by_token, splits.token_rest),
    )


class _Splits:
    """Search times of one board's games by cell and by token, replayed from the tap logs.

    The search time of a token is the time since the previous correct tap (for the first, since the
    board appeared). In a completed game every cell and every token is found exactly once, reshuffle
    or not, so such a game adds one whole row per table and the columns are cut out at the end:
    that keeps the per-tap work in C, which is what lets 5,000 games fit the browser's time budget.
    """

    def __init__(self, cells: int, order: Order) -> None:
        self.cells = cells
        self.cell_order = itemgetter(*range(cells))  # a board has at least 9 cells, so this gives tuples
        self.tokens = list(range(1, cells + 1)) if order is Order.ASC else list(range(cells, 0, -1))
        """The tokens in the order a completed game finds them."""
        self.ascending = order is Order.ASC
        self.by_cell: list[tuple[float, ...]] = []
        """Completed games' search times, one row per game, in cell order."""
        self.by_token: list[list[float]] = []
        """The same in token order (index 0 is token 1)."""
        self.cell_rest: list[list[float]] = [[] for _ in range(cells)]
        """Other games' search times, by cell."""
        self.token_rest: list[list[float]] = [[] for _ in range(cells)]
        """The same by token."""

    def add(self, session: TrainingSession) -> float | None:
        """Add a game's search times; return its consistency (over the gaps between correct taps)."""
        taps = session.tap_events
        correct = taps if not session.mistakes else list(compress(taps, map(_CORRECT, taps)))
        if not correct:
            return None
        times = list(map(_TIME, correct))
        splits = list(map(sub, times, [0.0, *times[:-1]]))
        by_cell = dict(zip(map(_CELL, correct), splits, strict=True))
        if len(by_cell) == self.cells and list(map(_TOKEN, correct)) == self.tokens:
            self.by_cell.append(self.cell_order(by_cell))
            self.by_token.append(splits if self.ascending else splits[::-1])
        else:  # unfinished (or not a game the rules allow): place tap by tap
            for tap, split in zip(correct, splits, strict=True):
                self.cell_rest[tap.cell_index].append(split)
                self.token_rest[tap.expected_value - 1].append(split)
        gaps = splits[1:]
        return _coefficient_of_variation(len(gaps), sum(gaps), sum(map(mul, gaps, gaps)))

    def medians(self, rows: Sequence[Sequence[float]], rest: list[list[float]]) -> tuple[float | None, ...]:
        """The median of each column with the other games' values added."""
        columns: Iterable[Sequence[float]] = zip(*rows, strict=True) if rows else [()] * self.cells
        return tuple(
            _round(median(values)) if values else None
            for values in (
                [*column, *extra] if extra else column for column, extra in zip(columns, rest, strict=True)
            )
        )


class _Rolling:
    """The median of the last ``ROLLING_WINDOW`` values, kept sorted as values come and go."""

    def __init__(self) -> None:
        self.recent: deque[float] = deque()
        self.ordered: list[float] = []

    def add(self, value: float) -> None:
        if len(self.recent) == ROLLING_WINDOW:
            del self.ordered[bisect_left(self.ordered, self.recent.popleft())]
        self.recent.append(value)
        insort(self.ordered, value)

    def median(self) -> float | None:
        ordered, half = self.ordered, len(self.ordered) // 2
        if not ordered:
            return None
        return _round(ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2)


def _coefficient_of_variation(count: int, total: float, squares: float) -> float | None:
    if count < 2 or total <= 0:
        return None
    mean = total / count
    variance = max(0.0, squares / count - mean * mean)
    return _ratio(math.sqrt(variance) / mean)


def _practice_curve(points: list[GamePoint]) -> tuple[tuple[int, float], ...]:
    timed = [(point.number, point.time_ms) for point in points if point.time_ms is not None]
    block = max(1, math.ceil(len(timed) / PRACTICE_POINTS))
    curve = []
    for start in range(0, len(timed), block):
        chunk = timed[start : start + block]
        curve.append((chunk[-1][0], _round(median(time for _, time in chunk))))
    return tuple(curve)


def _weekday_hours(
    sessions: list[TrainingSession], boards: dict[str, BoardFigures], offset: timedelta
) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[float | None, ...], ...]]:
    board_medians: dict[str, float] = {}
    for key, board in boards.items():
        times = [point.time_ms for point in board.games if point.time_ms is not None]
        if times:
            board_medians[key] = median(times)
    ratios: list[list[list[float]]] = [[[] for _ in range(24)] for _ in range(7)]
    for session in sessions:
        time = session.completion_time_ms if session.status is _COMPLETED else None
        if time is None:
            continue
        local = session.started_at + offset
        ratios[local.weekday()][local.hour].append(time / board_medians[session_key(session)])
    games = tuple(tuple(len(cell) for cell in row) for row in ratios)
    relative = tuple(tuple(_ratio(median(cell)) if cell else None for cell in row) for row in ratios)
    return games, relative


def _weeks(sessions: list[TrainingSession], offset: timedelta) -> tuple[WeekCount, ...]:
    if not sessions:
        return ()
    counts: dict[date, list[int]] = {}
    for session in sessions:
        day = (session.started_at + offset).date()
        monday = day - timedelta(days=day.weekday())
        entry = counts.setdefault(monday, [0, 0])
        entry[0] += 1
        entry[1] += session.status is _COMPLETED
    first, last = min(counts), max(counts)
    weeks = []
    monday = first
    while monday <= last:
        year, week, _ = monday.isocalendar()
        games, completed = counts.get(monday, (0, 0))
        weeks.append(WeekCount(f"{year}-W{week:02d}", monday.isoformat(), games, completed))
        monday += timedelta(days=7)
    return tuple(weeks)


_CELL, _TOKEN, _CORRECT, _TIME = itemgetter(0), itemgetter(1), itemgetter(3), itemgetter(4)  # TapEvent fields
_COMPLETED = Status.COMPLETED  # a module global reads faster than an enum member in the hot loops


def _round(value: float) -> float:
    return round(value, 1)


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
