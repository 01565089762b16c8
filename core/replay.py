"""``verify``: replay a session's tap log against its board and judge whether a human played it.

The log is replayed step by step; the first impossible step ends the replay with a reason that names
the tap, and everything before it is the valid prefix (scalachess's ``Replay`` does the same for
chess moves). Totals, mode rules and plausibility are then checked against what the replay found.
Every reason has a stable UPPER_SNAKE code that clients and the server can switch on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from core.board import EASY_SCATTER, Board
from core.plausibility import (
    MAX_PREVIEW_MS,
    MIN_RHYTHM_CV,
    MIN_TAP_INTERVAL_MS,
    human_floor_ms,
    rhythm_cv,
)
from core.reshuffle import Dealer
from core.rules import MAX_TAPS, Mode, Status
from core.scoring import accuracy, completion_time_ms
from core.session import SessionFormatError, TrainingSession

__all__ = ["REASON_CODES", "Reason", "Verdict", "verify"]

TIME_TOLERANCE_MS = 1.0
"""Totals may differ from the replay by this much: clients may round half-milliseconds either way."""

REASON_CODES: dict[str, str] = {
    "MALFORMED": "the input does not follow the session wire format",
    "UNKNOWN_VARIANT": "the variant is not one this version knows (classic, letters, gorbov)",
    "GRID_SIZE_OUT_OF_RANGE": "the grid size is outside 3 … 10",
    "BAD_SERIES": 'series is not null or {"id": <uuid>, "index": 1 … 5}',
    "VARIANT_SIZE": "the variant does not come in this grid size (letters go up to 5×5)",
    "RESHUFFLE_NOT_PRACTICE": "reshuffle is allowed in practice only",
    "TOO_MANY_TAPS": "the tap log is longer than any game can produce",
    "TIME_BACKWARDS": "a time stamp is earlier than the one before it",
    "BOARD_MISMATCH": "a tapped value is not the number in that cell of the seeded board",
    "TARGET_SKIPPED": "a tap claims to seek a number later than the replay's target",
    "TARGET_REPEATED": "a tap claims to seek a number that was already found",
    "CORRECT_FLAG_MISMATCH": "a tap's correct flag disagrees with the replay",
    "TAP_AFTER_END": "a tap came after the game had ended",
    "STATUS_MISMATCH": "the status disagrees with the replay",
    "COMPLETION_TIME_MISMATCH": "completion_time_ms disagrees with the replay",
    "MISTAKES_MISMATCH": "mistakes disagrees with the replay",
    "ACCURACY_MISMATCH": "accuracy disagrees with the mistakes",
    "PAUSE_MISMATCH": "paused_ms is longer than the time the clock ran",
    "COMPLETED_AT_BEFORE_START": "completed_at is earlier than started_at",
    "OVER_MAX_TIME": "a completed game took longer than max_time",
    "PAUSE_IN_RANKED": "a ranked-mode game was paused",
    "HINT_IN_RANKED": "a ranked-mode game had the hint on",
    "TAP_TOO_FAST": "two correct taps came faster than a human can aim them",
    "RHYTHM_TOO_REGULAR": "correct taps came at a machine-like steady rhythm",
    "BELOW_HUMAN_FLOOR": "the completion time is below the human floor for the grid size",
    "PREVIEW_TOO_LONG": "in a ranked mode, the board was studied too long before the clock started",
    "EASY_LAYOUT": "the board layout is abnormally easy",
    "LATE_UPLOAD": "verified, but it reached the server after its ticket's window: it stays off the boards "
    "(the window is ``upload_window_ms`` plus the network's share, judged by the server)",
    "HELD_FOR_REVIEW": "verified, but faster than a record or far ahead of the player's own results: "
    "ranked only once a moderator approves it (reported by ``core.review_reason``, never by ``verify``)",
}
"""Every code ``verify`` (and ``review_reason``) can report, with what it means."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One thing wrong with a session."""

    code: str
    """Stable UPPER_SNAKE code (a key of ``REASON_CODES``)."""
    message: str
    """Human-readable detail with the values involved."""
    index: int | None = None
    """Index of the offending tap in ``tap_events``, where one tap is to blame."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"code": self.code, "message": self.message, "index": self.index}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of ``verify``: ``ok`` only when there is no reason at all."""

    reasons: list[Reason] = field(default_factory=list)
    """Everything found wrong, tap-log problems first."""
    valid_taps: int = 0
    """Length of the tap-log prefix that replayed cleanly."""

    @property
    def ok(self) -> bool:
        """True when the session is consistent and plausible."""
        return not self.reasons

    @property
    def codes(self) -> list[str]:
        """The reason codes, in order."""
        return [reason.code for reason in self.reasons]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "ok": self.ok,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "valid_taps": self.valid_taps,
        }


def verify(session: object) -> Verdict:
    """Replay ``session`` (a wire-format dict or a ``TrainingSession``) and judge it.

    Never raises: anything that is not a well-formed session, of whatever type or size, is a
    ``MALFORMED`` verdict naming the field.

    >>> verify({"id": "x"}).codes
    ['MALFORMED']
    """
    try:
        if isinstance(session, Mapping):
            taps = session.get("tap_events")
            if isinstance(taps, list) and len(taps) > MAX_TAPS:
                return Verdict(
                    [Reason("TOO_MANY_TAPS", f"{len(taps)} taps; a game makes at most {MAX_TAPS}")]
                )
            parsed = TrainingSession.from_dict(session)
        elif isinstance(session, TrainingSession):
            parsed = session
        else:
            raise SessionFormatError("session", f"must be an object, got {type(session).__name__}")
        return _judge(parsed)
    except SessionFormatError as error:
        return Verdict([Reason(error.code, str(error))])
    except Exception as error:  # noqa: BLE001 -- verify is total by contract: any input is a verdict
        return Verdict([Reason("MALFORMED", f"unreadable session: {type(error).__name__}: {error}"[:300])])


@dataclass(slots=True)
class _Replay:
    found: int = 0
    mistakes: int = 0
    first_ms: float | None = None
    last_ms: float | None = None
    valid: int = 0
    correct_times: list[float] = field(default_factory=list)
    correct_indices: list[int] = field(default_factory=list)
    error: Reason | None = None


def _judge(session: TrainingSession) -> Verdict:
    board = Board.generate(session.grid_size, session.board_seed)
    replay = _replay(session, board)
    reasons = [replay.error] if replay.error else []
    if replay.error is None:
        reasons += _totals(session, board, replay)
    reasons += _mode_rules(session)
    reasons += _plausibility(session, board, replay)
    return Verdict(reasons, replay.valid)


def _replay(session: TrainingSession, board: Board) -> _Replay:
    sequence = board.sequence(session.order_mode)
    position = {number: rank for rank, number in enumerate(sequence)}
    cells, cell_count = board.cells, board.cell_count
    # A reshuffled board is read through its dealer (see core.reshuffle), a plain one directly.
    dealer = Dealer(board) if session.reshuffle else None
    value_at = cells.__getitem__ if dealer is None else dealer.value_at
    state = _Replay()
    deadline: float | None = None
    completed = session.status is Status.COMPLETED
    previous = 0.0
    for index, (cell, expected, tapped, correct, time) in enumerate(session.tap_events):
        if time < previous:
            state.error = Reason(
                "TIME_BACKWARDS",
                f"tap {index} at {time} ms is before tap {index - 1} at {previous} ms",
                index,
            )
            break
        # A completed game's overrun is judged on its totals (OVER_MAX_TIME); any other game ends at
        # the deadline, so a tap after it cannot have happened.
        if state.found == cell_count or (deadline is not None and time > deadline and not completed):
            state.error = Reason(
                "TAP_AFTER_END", f"tap {index} at {time} ms came after the game ended", index
            )
            break
        actual = value_at(cell)
        if tapped != actual:
            state.error = Reason(
                "BOARD_MISMATCH",
                f"tap {index} says cell {cell} shows {tapped}; the board shows {actual}",
                index,
            )
            break
        target = sequence[state.found]
        if expected != target:
            code = "TARGET_SKIPPED" if position[expected] > state.found else "TARGET_REPEATED"
            state.error = Reason(code, f"tap {index} seeks {expected}; the target was {target}", index)
            break
        if correct != (actual == target):
            state.error = Reason(
                "CORRECT_FLAG_MISMATCH",
                f"tap {index} is marked correct={correct}; the replay says {not correct}",
                index,
            )
            break
        if correct:
            state.found += 1
            if dealer is not None and state.found < cell_count:
                dealer.deal(cell, actual, sequence[state.found])
            if state.first_ms is None:
                state.first_ms = time
                deadline = time + session.max_time * 1000 + session.paused_ms
            state.last_ms = time
            state.correct_times.append(time)
            state.correct_indices.append(index)
        else:
            state.mistakes += 1
        previous = time
        state.valid = index + 1
    return state


def _totals(session: TrainingSession, board: Board, replay: _Replay) -> list[Reason]:
    reasons = []
    complete = replay.found == board.cell_count
    if complete != (session.status is Status.COMPLETED):
        found = f"{replay.found} of {board.cell_count} numbers found"
        reasons.append(Reason("STATUS_MISMATCH", f"status is {session.status.value} but {found}"))
    span = 0.0
    if replay.first_ms is not None and replay.last_ms is not None:
        span = replay.last_ms - replay.first_ms
    if session.paused_ms > span + TIME_TOLERANCE_MS and session.status is Status.COMPLETED:
        reasons.append(
            Reason("PAUSE_MISMATCH", f"paused_ms {session.paused_ms} exceeds the {span} ms the clock ran")
        )
    elif (
        session.status is Status.COMPLETED
        and complete
        and replay.first_ms is not None
        and replay.last_ms is not None
    ):
        expected = completion_time_ms(replay.first_ms, replay.last_ms, min(session.paused_ms, span))
        claimed = session.completion_time_ms
        if claimed is None or abs(claimed - expected) > TIME_TOLERANCE_MS:
            reasons.append(
                Reason(
                    "COMPLETION_TIME_MISMATCH",
                    f"completion_time_ms is {claimed}; the replay gives {expected}",
                )
            )
        if expected > session.max_time * 1000:
            reasons.append(Reason("OVER_MAX_TIME", f"{expected} ms is over max_time {session.max_time} s"))
    if session.status is not Status.COMPLETED and session.completion_time_ms is not None:
        reasons.append(
            Reason(
                "COMPLETION_TIME_MISMATCH",
                f"completion_time_ms must be null for a {session.status.value} game",
            )
        )
    if session.mistakes != replay.mistakes:
        reasons.append(
            Reason(
                "MISTAKES_MISMATCH", f"mistakes is {session.mistakes}; the replay counts {replay.mistakes}"
            )
        )
    expected_accuracy = accuracy(board.cell_count, session.mistakes)
    if abs(session.accuracy - expected_accuracy) > 0.005:
        reasons.append(
            Reason(
                "ACCURACY_MISMATCH",
                f"accuracy is {session.accuracy}; {session.mistakes} mistakes give {expected_accuracy}",
            )
        )
    if session.completed_at is not None and session.completed_at < session.started_at:
        reasons.append(Reason("COMPLETED_AT_BEFORE_START", "completed_at is earlier than started_at"))
    return reasons


def _mode_rules(session: TrainingSession) -> list[Reason]:
    reasons = []
    if session.grid_size not in session.variant.sizes:
        sizes = session.variant.sizes
        reasons.append(
            Reason(
                "VARIANT_SIZE",
                f"the {session.variant.value} variant comes in sizes {sizes[0]} … {sizes[-1]}, "
                f"not {session.grid_size}",
            )
        )
    if session.reshuffle and session.mode is not Mode.PRACTICE:
        reasons.append(Reason("RESHUFFLE_NOT_PRACTICE", f"{session.mode.value} games cannot reshuffle"))
    if session.mode.is_ranked and session.paused_ms > 0:
        reasons.append(Reason("PAUSE_IN_RANKED", f"{session.mode.value} games cannot be paused"))
    if session.mode.is_ranked and session.hint_enabled:
        reasons.append(Reason("HINT_IN_RANKED", f"{session.mode.value} games cannot show hints"))
    return reasons


def _plausibility(session: TrainingSession, board: Board, replay: _Replay) -> list[Reason]:
    reasons = []
    times, indices = replay.correct_times, replay.correct_indices
    intervals = [later - earlier for earlier, later in pairwise(times)]
    for number, interval in enumerate(intervals):
        if interval < MIN_TAP_INTERVAL_MS:
            tap = indices[number + 1]
            reasons.append(
                Reason(
                    "TAP_TOO_FAST", f"tap {tap} came {interval:.1f} ms after the previous correct tap", tap
                )
            )
            break
    cv = rhythm_cv(intervals)
    if cv is not None and cv < MIN_RHYTHM_CV:
        reasons.append(
            Reason("RHYTHM_TOO_REGULAR", f"correct taps vary by only {cv:.1%} (coefficient of variation)")
        )
    if replay.found == board.cell_count and replay.first_ms is not None and replay.last_ms is not None:
        played = replay.last_ms - replay.first_ms - min(session.paused_ms, replay.last_ms - replay.first_ms)
        floor = human_floor_ms(board.cell_count)
        if played < floor:
            reasons.append(
                Reason("BELOW_HUMAN_FLOOR", f"{played:.0f} ms is below the human floor of {floor:.0f} ms")
            )
    if session.mode.is_ranked and replay.first_ms is not None and replay.first_ms > MAX_PREVIEW_MS:
        reasons.append(
            Reason(
                "PREVIEW_TOO_LONG",
                f"the first correct tap came {replay.first_ms / 1000:.1f} s after the board was shown "
                f"(at most {MAX_PREVIEW_MS / 1000:.0f} s in {session.mode.value} mode)",
                replay.correct_indices[0],
            )
        )
    # A reshuffled board is dealt anew after every correct tap, so its first layout's ease means nothing.
    if not session.reshuffle and board.is_easy:
        reasons.append(
            Reason(
                "EASY_LAYOUT",
                f"board scatter {board.scatter:.3f} is below {EASY_SCATTER}: an abnormally easy layout",
            )
        )
    return reasons
