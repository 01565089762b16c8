"""The rules of one game, fed tap by tap: the single source of truth for the UI and the verifier.

Times are milliseconds since the board was shown, taken from the input event's own time stamp by
the caller, so a busy main thread cannot stretch or compress a player's time.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from core.board import Board, _positions
from core.reshuffle import Dealer
from core.rules import MAX_TAPS, MAX_TIME_RANGE, Mode, Order, Status, Variant, parse_choice
from core.scoring import accuracy, completion_time_ms
from core.session import Series, TapEvent, TrainingSession
from core.variants import check_variant_size

__all__ = ["Game", "Phase", "TapResult"]


class Phase(StrEnum):
    """Where a game stands; the last three are the final ``Status`` values."""

    READY = "ready"
    """Board shown, clock not started (no correct tap yet)."""
    RUNNING = "running"
    """Clock running."""
    PAUSED = "paused"
    """Clock stopped by the player (practice only); taps are ignored."""
    COMPLETED = "completed"
    """All numbers found."""
    TIMEOUT = "timeout"
    """Max time reached."""
    ABANDONED = "abandoned"
    """Player left."""


@dataclass(frozen=True, slots=True)
class TapResult:
    """What one accepted tap did, for the UI to paint."""

    event: TapEvent
    """The tap as logged."""
    correct: bool
    """True when the tapped number was the target."""
    target: int | None
    """The number to find next (``None`` once the game is over)."""
    status: Status | None
    """How the game ended with this tap, or ``None`` while it goes on."""


class Game:
    """One attempt at a board: feed it taps, read what to show.

    ``order_mode`` and ``hint_enabled`` are accepted as keyword spellings of ``order`` and ``hint``,
    the wire format's names. Ranked modes need the ``ticket_id`` that revealed the board by the time
    the session is made. ``variant`` changes only what tokens show (``core.label``); ``reshuffle``
    (practice only) deals the unfound tokens again after every correct tap (``core.reshuffle``), so
    ask ``index_of`` and ``cells`` where tokens are *now*.

    >>> game = Game(Board.generate(5, 42))
    >>> result = game.tap(game.next_cell, 900.0)
    >>> result.correct, game.target, game.progress
    (True, 2, 1)
    """

    def __init__(
        self,
        board: Board,
        order: Order | str = Order.ASC,
        max_time: int = 120,
        hint: bool = False,
        mode: Mode | str = Mode.PRACTICE,
        *,
        session_id: str | None = None,
        ticket_id: str | None = None,
        started_at: datetime | None = None,
        order_mode: Order | str | None = None,
        hint_enabled: bool | None = None,
        variant: Variant | str = Variant.CLASSIC,
        reshuffle: bool = False,
        series: Series | None = None,
    ) -> None:
        order = order if order_mode is None else order_mode
        hint = hint if hint_enabled is None else hint_enabled
        if not isinstance(board, Board):
            raise TypeError(f"board must be a Board, got {type(board).__name__}")
        if isinstance(max_time, bool) or not isinstance(max_time, int):
            raise TypeError(f"max_time must be an int (seconds), got {type(max_time).__name__}")
        low, high = MAX_TIME_RANGE
        if not low <= max_time <= high:
            raise ValueError(f"max_time must be in {low}..{high} seconds, got {max_time!r}")
        if not isinstance(hint, bool):
            raise TypeError(f"hint must be a bool, got {type(hint).__name__}")
        self.mode = parse_choice(Mode, mode, "mode")
        """Where the session will count."""
        if self.mode.is_ranked and hint:
            raise ValueError(f"hint is not allowed in {self.mode.value} mode")
        if not isinstance(reshuffle, bool):
            raise TypeError(f"reshuffle must be a bool, got {type(reshuffle).__name__}")
        if reshuffle and self.mode is not Mode.PRACTICE:
            raise ValueError(f"reshuffle is for practice only, not {self.mode.value} mode")
        if series is not None and not isinstance(series, Series):
            raise TypeError(f"series must be a Series or None, got {type(series).__name__}")
        if started_at is not None and started_at.tzinfo is None:
            raise ValueError(f"started_at must be timezone-aware, got naive {started_at!r}")
        self.board = board
        """The board being played, as dealt (before any reshuffle)."""
        self.variant = check_variant_size(variant, board.size)
        """How tokens look."""
        self.reshuffle = reshuffle
        """Whether unfound tokens are dealt again after each correct tap."""
        self.series = series
        """The five-table series this game belongs to, if any."""
        self.order = parse_choice(Order, order, "order")
        """The direction numbers must be found in."""
        self.max_time = max_time
        """Time limit in seconds, from the first correct tap, pauses excluded."""
        self.hint = hint
        """Whether the UI highlights the next cell."""
        self.session_id = _session_id(session_id)
        """UUID of the session this game becomes."""
        self.ticket_id = ticket_id
        """Server ticket that revealed the board (ranked modes)."""
        self.started_at = started_at or datetime.now(UTC)
        """Wall-clock time the board was shown: the origin of tap times."""
        self.phase = Phase.READY
        """Where the game stands."""
        self.mistakes = 0
        """Wrong taps so far."""
        self._sequence = board.sequence(self.order)
        self._cells = list(board.cells)
        self._index = list(_positions(board.cells))
        self._dealer = Dealer(board) if reshuffle else None
        self._found = 0
        self._taps: list[TapEvent] = []
        self._found_cells: set[int] = set()
        self._first_ms: float | None = None
        self._last_ms: float | None = None
        self._paused_ms = 0.0
        self._paused_since: float | None = None
        self._last_event_ms = 0.0
        self._ended_ms: float | None = None

    def __repr__(self) -> str:
        return (
            f"Game(board=Board.generate({self.board.size}, {self.board.seed}), order={self.order.value!r}, "
            f"variant={self.variant.value!r}, reshuffle={self.reshuffle}, "
            f"phase={self.phase.value!r}, progress={self._found}/{self.board.cell_count})"
        )

    # What the UI reads -------------------------------------------------------------------------

    @property
    def status(self) -> Status | None:
        """How the game ended, or ``None`` while it goes on."""
        return Status(self.phase.value) if self.is_over else None

    @property
    def is_over(self) -> bool:
        """True once the game has completed, timed out or been abandoned."""
        return self.phase in (Phase.COMPLETED, Phase.TIMEOUT, Phase.ABANDONED)

    @property
    def target(self) -> int | None:
        """The number to find now, or ``None`` when the game is over."""
        return None if self.is_over else self._sequence[self._found]

    @property
    def next_cell(self) -> int | None:
        """Cell index of the target: what the hint highlights (``None`` when over)."""
        target = self.target
        return None if target is None else self._index[target]

    @property
    def cells(self) -> tuple[int, ...]:
        """Token per cell now, row-major: the board as dealt, or as last reshuffled."""
        return tuple(self._cells)

    def index_of(self, token: int) -> int:
        """The cell where ``token`` is now (reshuffles included)."""
        self.board.index_of(token)  # validates the token with a message that names it
        return self._index[token]

    @property
    def progress(self) -> int:
        """How many numbers have been found."""
        return self._found

    @property
    def taps(self) -> tuple[TapEvent, ...]:
        """Every tap so far, in order."""
        return tuple(self._taps)

    def is_found(self, cell_index: int) -> bool:
        """True when the cell's number has been found (the UI keeps it marked)."""
        return cell_index in self._found_cells

    @property
    def deadline_ms(self) -> float | None:
        """Event time at which max time runs out, once the clock has started and is not paused."""
        if self._first_ms is None or self._paused_since is not None:
            return None
        return self._first_ms + self.max_time * 1000 + self._paused_ms

    def elapsed_ms(self, now_ms: float) -> float:
        """Clock time at event time ``now_ms``: 0 before the first correct tap, pauses excluded."""
        if self._first_ms is None:
            return 0.0
        end = self._ended_ms if self._ended_ms is not None else _time(now_ms, "now_ms")
        if self._paused_since is not None:
            end = self._paused_since
        return max(0.0, min(end - self._first_ms - self._paused_ms, self.max_time * 1000.0))

    def remaining_ms(self, now_ms: float) -> float:
        """Time left at event time ``now_ms``."""
        return self.max_time * 1000.0 - self.elapsed_ms(now_ms)

    # What the UI does --------------------------------------------------------------------------

    def tap(self, cell_index: int, timestamp_ms: float) -> TapResult | None:
        """Record a tap on ``cell_index`` at event time ``timestamp_ms``.

        Returns ``None`` when the tap does not count: the game is over or paused, or max time ran
        out before it (the game then ends as ``timeout``). A wrong tap keeps the target and counts a
        mistake; the first correct tap starts the clock.
        """
        self.board.value_at(cell_index)  # validates the index with a message that names it
        value = self._cells[cell_index]
        now = _time(timestamp_ms, "timestamp_ms")
        if now < self._last_event_ms:
            raise ValueError(f"timestamp_ms went back in time: {now!r} < {self._last_event_ms!r}")
        if self.check_timeout(now) or self.is_over or self.phase is Phase.PAUSED:
            return None
        if len(self._taps) >= MAX_TAPS:
            self._end(Phase.ABANDONED, now)
            return None
        self._last_event_ms = now
        target = self._sequence[self._found]
        correct = value == target
        event = TapEvent(cell_index, target, value, correct, now)
        self._taps.append(event)
        if correct:
            self._found += 1
            self._found_cells.add(cell_index)
            self._last_ms = now
            if self._first_ms is None:
                self._first_ms = now
                self.phase = Phase.RUNNING
            if self._found == self.board.cell_count:
                self._end(Phase.COMPLETED, now)
            elif self._dealer is not None:
                self._dealer.deal(cell_index, value, self._sequence[self._found])
                for cell, dealt in self._dealer.layout().items():
                    self._cells[cell] = dealt
                    self._index[dealt] = cell
        else:
            self.mistakes += 1
        return TapResult(event, correct, self.target, self.status)

    def check_timeout(self, now_ms: float) -> bool:
        """End the game as ``timeout`` if max time has run out by ``now_ms``; True if it has ended so."""
        deadline = self.deadline_ms
        if self.phase is Phase.RUNNING and deadline is not None and _time(now_ms, "now_ms") >= deadline:
            self._end(Phase.TIMEOUT, deadline)
        return self.phase is Phase.TIMEOUT

    def pause(self, now_ms: float) -> None:
        """Stop the clock (practice only). The UI must hide the board while paused."""
        if self.mode.is_ranked:
            raise ValueError(f"pause is not allowed in {self.mode.value} mode")
        now = _time(now_ms, "now_ms")
        if self.check_timeout(now):
            return
        if self.phase is not Phase.RUNNING:
            raise ValueError(f"only a running game can be paused; this one is {self.phase.value}")
        self._paused_since = now
        self.phase = Phase.PAUSED

    def resume(self, now_ms: float) -> None:
        """Restart the clock after a pause."""
        now = _time(now_ms, "now_ms")
        if self.phase is not Phase.PAUSED or self._paused_since is None:
            raise ValueError(f"only a paused game can be resumed; this one is {self.phase.value}")
        if now < self._paused_since:
            raise ValueError(f"now_ms went back in time: {now!r} < {self._paused_since!r}")
        self._paused_ms += now - self._paused_since
        self._paused_since = None
        self._last_event_ms = max(self._last_event_ms, now)
        self.phase = Phase.RUNNING

    def abandon(self, now_ms: float | None = None) -> None:
        """End the game as ``abandoned`` (the player left); ``now_ms`` may be unknown."""
        if self.is_over:
            return
        if self.phase is Phase.PAUSED and self._paused_since is not None:
            end = now_ms if now_ms is not None else self._paused_since
            self.resume(max(_time(end, "now_ms"), self._paused_since))
        if now_ms is not None and self.check_timeout(now_ms):
            return
        self._end(Phase.ABANDONED, None if now_ms is None else _time(now_ms, "now_ms"))

    def to_session(self) -> TrainingSession:
        """The finished game as a wire-format session; the game must be over."""
        if not self.is_over:
            raise ValueError(f"the game is still {self.phase.value}: end it before making a session")
        if self.mode.is_ranked and not self.ticket_id:
            raise ValueError(f"{self.mode.value} mode needs the ticket_id that revealed the board")
        status = Status(self.phase.value)
        paused = math.floor(self._paused_ms + 0.5)
        completion = None
        if status is Status.COMPLETED and self._first_ms is not None and self._last_ms is not None:
            completion = completion_time_ms(self._first_ms, self._last_ms, paused)
        completed_at = None
        if self._ended_ms is not None:
            completed_at = self.started_at + timedelta(milliseconds=self._ended_ms)
        return TrainingSession(
            id=self.session_id,
            mode=self.mode,
            ticket_id=self.ticket_id,
            grid_size=self.board.size,
            order_mode=self.order,
            max_time=self.max_time,
            hint_enabled=self.hint,
            board_seed=self.board.seed,
            started_at=self.started_at,
            completed_at=completed_at,
            status=status,
            completion_time_ms=completion,
            paused_ms=paused,
            mistakes=self.mistakes,
            accuracy=accuracy(self.board.cell_count, self.mistakes),
            tap_events=tuple(self._taps),
            variant=self.variant,
            reshuffle=self.reshuffle,
            series=self.series,
        )

    def _end(self, phase: Phase, at_ms: float | None) -> None:
        self.phase = phase
        self._ended_ms = at_ms


def _session_id(value: str | None) -> str:
    if value is None:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(value))
    except (TypeError, ValueError, AttributeError):
        raise ValueError(f"session_id must be a UUID string, got {value!r}") from None


def _time(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of milliseconds, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)
