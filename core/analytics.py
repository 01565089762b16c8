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
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from itertools import compress
from operator import attrgetter, itemgetter, sub
from statistics import median
from typing import Any

from core.rules import Order, Status, Variant
from core.series import SeriesResult, series_results
from core.session import TrainingSession, format_timestamp
from core.stats import Streak, board_key, verified_locally

__all__ = [
    "HEATMAP_GAMES",
    "PRACTICE_POINTS",
    "ROLLING_WINDOW",
    "BoardFigures",
    "Dashboard",
    "DateRange",
    "WeekCount",
    "dashboard",
]

ROLLING_WINDOW = 10
"""Completed games in the rolling median: enough to smooth one bad game, few enough to show a trend."""

PRACTICE_POINTS = 20
"""At most this many points on a practice curve: games are pooled in equal blocks beyond that."""

HEATMAP_GAMES = 200
"""The heatmaps of a board use its last 200 games in the range: they show where time goes now, not
years ago, and 200 games put about as many search times in every cell, enough for a steady median."""


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
class BoardFigures:
    """The figures of one board (variant × grid size × order).

    The per-game figures are columns, one value per game in the range, oldest first, ready to be
    drawn as polylines: ``number[i]``, ``time_ms[i]`` … describe the same game.
    """

    key: str
    """``core.board_key`` of the board: ``"5-ASC"``, ``"gorbov-7-ASC"``."""
    variant: str
    """The variant's wire value."""
    grid_size: int
    """Cells per side."""
    order_mode: str
    """``ASC`` or ``DESC``."""
    number: tuple[int, ...]
    """Each game's place among all games ever played on this board (1 = the first): the practice
    curve's x-axis."""
    started_at_ms: tuple[int, ...]
    """When each board was shown, in milliseconds since the Unix epoch (what JavaScript's ``Date``
    takes; an ISO string costs ten times as much to make in Pyodide)."""
    status: tuple[str, ...]
    """``completed``, ``timeout`` or ``abandoned``."""
    time_ms: tuple[float | None, ...]
    """Completion time; ``None`` unless completed."""
    rolling_median_ms: tuple[float | None, ...]
    """Median of the last ``ROLLING_WINDOW`` completion times up to each game."""
    best_so_far_ms: tuple[float | None, ...]
    """Personal best up to each game, verified games only (``core.stats``' rule)."""
    error_rate: tuple[float | None, ...]
    """Wrong taps over all taps (0 … 1); ``None`` without taps."""
    rolling_error_rate: tuple[float | None, ...]
    """Mean error rate of the last ``ROLLING_WINDOW`` games with taps."""
    consistency: tuple[float | None, ...]
    """Coefficient of variation of the times between correct taps (lower is steadier); ``None``
    with fewer than two such intervals, or after a pause, whose place in the log is unknown."""
    best_ms: float | None
    """Personal best (verified) at the end of the range."""
    practice_curve: tuple[tuple[int, float], ...]
    """``(games played, median completion time of the block ending there)``, at most ``PRACTICE_POINTS``."""
    heatmap_games: int
    """Games the two heatmaps are over: the board's last ``HEATMAP_GAMES`` unpaused games in the range."""
    cell_medians_ms: tuple[float | None, ...]
    """Median search time per cell, row-major (N² values): where the sought token was found, so with
    reshuffle the cell it had moved to. The search time of a token is the time since the previous
    correct tap (for the first, since the board was shown)."""
    token_medians_ms: tuple[float | None, ...]
    """Median search time per token: index 0 is token 1 (which numbers are slow)."""

    @property
    def games(self) -> int:
        """Games in the range."""
        return len(self.number)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (tuples become lists)."""
        figures = {item.name: getattr(self, item.name) for item in fields(self)}
        for name, value in figures.items():
            if isinstance(value, tuple):
                figures[name] = [list(item) if isinstance(item, tuple) else item for item in value]
        figures["games"] = self.games
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
    history = sorted(sessions, key=_STARTED)

    per_board: dict[tuple[Variant, int, Order], list[TrainingSession]] = {}
    for session in history:
        per_board.setdefault(_BOARD(session), []).append(session)
    days = sorted({session.started_at.date() for session in history if session.status is _COMPLETED})
    streak = Streak()
    for day in days:
        streak = streak.extend(day)
    current = streak.as_of(today or (days[-1] if days else date.min))

    boards = [_board(games, chosen, check) for games in per_board.values()]
    shown = sorted((board for board in boards if board.games), key=lambda board: (-board.games, board.key))
    offset_ms = utc_offset_minutes * 60_000
    games_grid, relative_grid = _weekday_hours(shown, offset_ms)
    return Dashboard(
        range=chosen,
        games=sum(board.games for board in shown),
        boards=tuple(shown),
        weekday_hour_games=games_grid,
        weekday_hour_relative=relative_grid,
        streak=streak,
        current_streak=current,
        weeks=_weeks(shown, offset_ms),
        series=tuple(result for result in series_results(history) if _parse(result.started_at) in chosen),
    )


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def _board(
    games: list[TrainingSession], chosen: DateRange, verified: Callable[[TrainingSession], bool]
) -> BoardFigures:
    """One board's figures: its games in the range, with what came before setting where they start."""
    first = games[0]
    low = 0 if chosen.since is None else bisect_left(games, chosen.since, key=_STARTED)
    high = len(games) if chosen.until is None else bisect_left(games, chosen.until, key=_STARTED)
    shown = games[low:high]

    # Games before the range only set where the running figures start.
    before = games[:low]
    best = _best(before, verified)
    window = _Rolling()
    for recent in _last(before, lambda s: s.completion_time_ms if s.status is _COMPLETED else None):
        window.add(recent)
    error_window = deque(
        _last(before, lambda s: s.mistakes / len(s.tap_events) if s.tap_events else None), ROLLING_WINDOW
    )
    error_sum = sum(error_window)

    cells = first.grid_size * first.grid_size
    splits = _Splits(cells, first.order_mode)
    times = [s.completion_time_ms if s.status is _COMPLETED else None for s in shown]
    bests: list[float | None] = []
    rolling: list[float | None] = []
    for session, time in zip(shown, times, strict=True):
        if time is not None:
            window.add(time)
            if (best is None or time < best) and verified(session):
                best = time
        bests.append(best)
        rolling.append(window.median())
    errors = [s.mistakes / len(s.tap_events) if s.tap_events else None for s in shown]
    rolling_errors: list[float | None] = []
    for error in errors:
        if error is not None:
            if len(error_window) == ROLLING_WINDOW:
                error_sum -= error_window[0]
            error_window.append(error)
            error_sum += error
        rolling_errors.append(error_sum / len(error_window) if error_window else None)
    # A pause sits in one interval we cannot find, so a paused game would skew these.
    placed_from = max(0, len(shown) - HEATMAP_GAMES)
    consistency = [
        None if s.paused_ms else splits.add(s, index >= placed_from) for index, s in enumerate(shown)
    ]
    return BoardFigures(
        key=board_key(first.grid_size, first.order_mode, first.variant),
        variant=first.variant.value,
        grid_size=first.grid_size,
        order_mode=first.order_mode.value,
        number=tuple(range(low + 1, high + 1)),
        started_at_ms=tuple((session.started_at - _EPOCH) // _MILLISECOND for session in shown),
        status=tuple(_STATUS_VALUES[session.status] for session in shown),
        time_ms=tuple(times),
        rolling_median_ms=tuple(rolling),
        best_so_far_ms=tuple(bests),
        error_rate=tuple(errors),
        rolling_error_rate=tuple(rolling_errors),
        consistency=tuple(consistency),
        best_ms=best,
        practice_curve=_practice_curve(low, times),
        heatmap_games=splits.placed,
        cell_medians_ms=splits.medians(splits.by_cell, splits.cell_rest),
        token_medians_ms=splits.medians(splits.by_token, splits.token_rest),
    )


def _last(games: list[TrainingSession], value: Callable[[TrainingSession], float | None]) -> list[float]:
    """The last ``ROLLING_WINDOW`` values that are not ``None``, oldest first."""
    found: list[float] = []
    for session in reversed(games):
        item = value(session)
        if item is not None:
            found.append(item)
            if len(found) == ROLLING_WINDOW:
                break
    return found[::-1]


def _best(games: list[TrainingSession], verified: Callable[[TrainingSession], bool]) -> float | None:
    """The fastest verified completion among ``games``, replaying as few of them as it can."""
    done = [s for s in games if s.status is _COMPLETED and s.completion_time_ms is not None]
    for session in sorted(done, key=_TIME_MS):
        if verified(session):
            return session.completion_time_ms
    return None


class _Splits:
    """Search times of one board's games by cell and by token, replayed from the tap logs.

    The search time of a token is the time since the previous correct tap (for the first, since the
    board appeared). In a completed game every cell and every token is found exactly once, reshuffle
    or not, so such a game adds one whole row per table and the columns are cut out at the end:
    that keeps the per-tap work in C, which is what lets thousands of games fit the browser's budget.
    """

    def __init__(self, cells: int, order: Order) -> None:
        self.cells = cells
        self.cell_order = itemgetter(*range(cells))  # a board has at least 9 cells, so this gives tuples
        self.tokens = list(range(1, cells + 1)) if order is Order.ASC else list(range(cells, 0, -1))
        """The tokens in the order a completed game finds them."""
        self.ascending = order is Order.ASC
        self.placed = 0
        """Games added to the heatmaps."""
        self.by_cell: list[tuple[float, ...]] = []
        """Completed games' search times, one row per game, in cell order."""
        self.by_token: list[list[float]] = []
        """The same in token order (index 0 is token 1)."""
        self.cell_rest: list[list[float]] = [[] for _ in range(cells)]
        """Other games' search times, by cell."""
        self.token_rest: list[list[float]] = [[] for _ in range(cells)]
        """The same by token."""

    def add(self, session: TrainingSession, place: bool) -> float | None:
        """The game's consistency (over the gaps between correct taps).

        With ``place``, its search times also go into the heatmaps.
        """
        taps = session.tap_events
        correct = taps if not session.mistakes else list(compress(taps, map(_CORRECT, taps)))
        if not correct:
            return None
        times: list[float] = list(map(_TIME, correct))
        if place:
            self.placed += 1
            splits = [times[0], *map(sub, times[1:], times)]
            by_cell = dict(zip(map(_CELL, correct), splits, strict=True))
            if len(by_cell) == self.cells and list(map(_TOKEN, correct)) == self.tokens:
                self.by_cell.append(self.cell_order(by_cell))
                self.by_token.append(splits if self.ascending else splits[::-1])
            else:  # unfinished (or not a game the rules allow): place tap by tap
                for tap, split in zip(correct, splits, strict=True):
                    self.cell_rest[tap.cell_index].append(split)
                    self.token_rest[tap.expected_value - 1].append(split)
        gaps = len(times) - 1
        if gaps < 2 or times[-1] <= times[0]:
            return None
        mean = (times[-1] - times[0]) / gaps
        # the distance between the times and the times shifted by one is the root of the summed
        # squared gaps, computed in one pass in C
        squares = math.dist(times[1:], times[:-1]) ** 2
        return math.sqrt(max(0.0, squares / gaps - mean * mean)) / mean

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
        return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def _practice_curve(before: int, times: list[float | None]) -> tuple[tuple[int, float], ...]:
    timed = [(number, time) for number, time in enumerate(times, start=before + 1) if time is not None]
    block = max(1, math.ceil(len(timed) / PRACTICE_POINTS))
    curve = []
    for start in range(0, len(timed), block):
        chunk = timed[start : start + block]
        curve.append((chunk[-1][0], _round(median(time for _, time in chunk))))
    return tuple(curve)


def _weekday_hours(
    boards: Iterable[BoardFigures], offset_ms: int
) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[float | None, ...], ...]]:
    ratios: list[list[list[float]]] = [[[] for _ in range(24)] for _ in range(7)]
    for board in boards:
        timed = [time for time in board.time_ms if time is not None]
        if not timed:
            continue
        usual = median(timed)
        for started, time in zip(board.started_at_ms, board.time_ms, strict=True):
            if time is not None:
                local = started + offset_ms
                # day 0 of the epoch was a Thursday, weekday 3 with Monday as 0
                ratios[(local // _DAY_MS + 3) % 7][local // _HOUR_MS % 24].append(time / usual)
    games = tuple(tuple(len(cell) for cell in row) for row in ratios)
    relative = tuple(tuple(_ratio(median(cell)) if cell else None for cell in row) for row in ratios)
    return games, relative


def _weeks(boards: Iterable[BoardFigures], offset_ms: int) -> tuple[WeekCount, ...]:
    """Games per ISO week (Monday to Sunday, local time)."""
    games: Counter[int] = Counter()
    completed: Counter[int] = Counter()
    for board in boards:
        # weeks counted from the Monday before the epoch (1969-12-29), three days before day 0
        weeks = [((started + offset_ms) // _DAY_MS + 3) // 7 for started in board.started_at_ms]
        games.update(weeks)
        completed.update(compress(weeks, [status == Status.COMPLETED for status in board.status]))
    if not games:
        return ()
    counts = []
    for week in range(min(games), max(games) + 1):
        monday = _EPOCH_MONDAY + timedelta(weeks=week)
        year, number, _ = monday.isocalendar()
        counts.append(WeekCount(f"{year}-W{number:02d}", monday.isoformat(), games[week], completed[week]))
    return tuple(counts)


def _round(value: float) -> float:
    return round(value, 1)


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


_CELL, _TOKEN, _CORRECT, _TIME = itemgetter(0), itemgetter(1), itemgetter(3), itemgetter(4)  # TapEvent fields
_STARTED = attrgetter("started_at")
_TIME_MS = attrgetter("completion_time_ms")
_BOARD = attrgetter("variant", "grid_size", "order_mode")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
_DAY_MS, _HOUR_MS = 86_400_000, 3_600_000
_EPOCH_MONDAY = date(1969, 12, 29)
_COMPLETED = Status.COMPLETED  # a module global reads faster than an enum member in the hot loops
_STATUS_VALUES = {status: status.value for status in Status}  # and a dict faster than ``.value``
