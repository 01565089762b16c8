"""Game rules as the player meets them: targets, mistakes, clock, pause, endings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import Board, Game, Mode, Phase, Status

BOARD = Board.generate(5, 2026)


def cell(number: int, board: Board = BOARD) -> int:
    return board.index_of(number)


def test_a_correct_tap_advances_the_target_and_starts_the_clock() -> None:
    game = Game(BOARD)
    assert game.phase is Phase.READY and game.target == 1
    result = game.tap(cell(1), 900.0)
    assert result is not None and result.correct and result.target == 2
    assert game.progress == 1 and game.phase is Phase.RUNNING
    assert game.elapsed_ms(1400.0) == 500.0


def test_wrong_tap_counts_a_mistake_and_keeps_the_target() -> None:
    game = Game(BOARD)
    game.tap(cell(1), 500.0)
    result = game.tap(cell(7), 800.0)
    assert result is not None and not result.correct
    assert result.event.expected_value == 2 and result.event.tapped_value == 7
    assert game.target == 2 and game.mistakes == 1 and game.progress == 1


def test_a_wrong_tap_before_the_first_correct_one_is_a_mistake_but_no_clock_starts() -> None:
    game = Game(BOARD)
    game.tap(cell(5), 300.0)
    assert game.mistakes == 1 and game.phase is Phase.READY and game.elapsed_ms(5000.0) == 0.0


def test_tapping_every_number_in_order_completes_the_game() -> None:
    game = Game(BOARD, started_at=datetime(2026, 1, 1, tzinfo=UTC))
    for step, number in enumerate(BOARD.sequence()):
        result = game.tap(cell(number), 1000.0 + step * 400)
    assert result is not None and result.status is Status.COMPLETED and result.target is None
    session = game.to_session()
    assert session.completion_time_ms == 24 * 400
    assert session.completed_at == datetime(2026, 1, 1, tzinfo=UTC) + timedelta(milliseconds=1000 + 24 * 400)
    assert session.accuracy == 100.0


def test_descending_order_starts_from_the_largest_number() -> None:
    game = Game(BOARD, "DESC")
    assert game.target == 25
    assert game.tap(cell(1), 100.0).correct is False  # type: ignore[union-attr]
    assert game.tap(cell(25), 200.0).correct is True  # type: ignore[union-attr]
    assert game.target == 24


def test_hint_points_at_the_cell_of_the_target() -> None:
    game = Game(BOARD, hint=True)
    assert game.next_cell == cell(1)
    game.tap(cell(1), 100.0)
    assert game.next_cell == cell(2)


def test_reaching_max_time_ends_the_game_as_timeout_and_ignores_later_taps() -> None:
    game = Game(BOARD, max_time=30)
    game.tap(cell(1), 1000.0)
    assert game.deadline_ms == 31_000.0
    assert not game.check_timeout(30_999.0)
    assert game.tap(cell(2), 31_000.0) is None
    assert game.status is Status.TIMEOUT and game.remaining_ms(40_000.0) == 0.0
    session = game.to_session()
    assert session.status is Status.TIMEOUT and session.completion_time_ms is None
    assert session.completed_at == session.started_at + timedelta(milliseconds=31_000)


def test_pause_stops_the_clock_ignores_taps_and_extends_the_deadline() -> None:
    game = Game(BOARD, max_time=30)
    game.tap(cell(1), 1000.0)
    game.pause(2000.0)
    assert game.phase is Phase.PAUSED and game.deadline_ms is None
    assert game.tap(cell(2), 2500.0) is None
    assert game.elapsed_ms(50_000.0) == 1000.0
    game.resume(12_000.0)
    assert game.elapsed_ms(12_500.0) == 1500.0
    assert game.deadline_ms == 41_000.0
    for number in range(2, 26):
        game.tap(cell(number), 12_000.0 + number * 300)
    assert game.to_session().paused_ms == 10_000
    assert game.to_session().completion_time_ms == 12_000 + 25 * 300 - 1000 - 10_000


def test_ranked_modes_forbid_pause_and_hint() -> None:
    with pytest.raises(ValueError, match="hint is not allowed in ranked mode"):
        Game(BOARD, hint=True, mode="ranked", ticket_id="t")
    game = Game(BOARD, mode=Mode.DAILY, ticket_id="t")
    game.tap(cell(1), 100.0)
    with pytest.raises(ValueError, match="pause is not allowed in daily mode"):
        game.pause(200.0)


def test_ranked_modes_need_the_ticket_that_revealed_the_board_to_make_a_session() -> None:
    game = Game(BOARD, mode="weekly")
    game.abandon(10.0)
    with pytest.raises(ValueError, match="weekly mode needs the ticket_id"):
        game.to_session()


def test_the_wire_formats_names_work_as_keywords() -> None:
    game = Game(BOARD, order_mode="DESC", max_time=60, hint_enabled=True)
    assert (game.order.value, game.hint, game.target) == ("DESC", True, 25)


def test_a_session_id_must_be_a_uuid() -> None:
    assert Game(BOARD, session_id="0B8E5C9E-3F3C-4C7F-9A55-1D2F0C6F3A10").session_id == (
        "0b8e5c9e-3f3c-4c7f-9a55-1d2f0c6f3a10"
    )
    with pytest.raises(ValueError, match="session_id must be a UUID string, got 'game-1'"):
        Game(BOARD, session_id="game-1")


def test_leaving_mid_game_is_recorded_as_abandoned() -> None:
    game = Game(BOARD)
    game.tap(cell(1), 100.0)
    game.abandon(5000.0)
    session = game.to_session()
    assert session.status is Status.ABANDONED and session.completion_time_ms is None
    assert game.tap(cell(2), 6000.0) is None


def test_leaving_while_paused_counts_the_pause_and_needs_no_time() -> None:
    game = Game(BOARD)
    game.tap(cell(1), 100.0)
    game.pause(200.0)
    game.abandon()
    assert game.status is Status.ABANDONED and game.to_session().completed_at is None


def test_leaving_after_max_time_ran_out_is_a_timeout() -> None:
    game = Game(BOARD, max_time=30)
    game.tap(cell(1), 0.0)
    game.abandon(99_000.0)
    assert game.status is Status.TIMEOUT


def test_a_session_can_only_be_made_once_the_game_is_over() -> None:
    with pytest.raises(ValueError, match="the game is still ready"):
        Game(BOARD).to_session()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda g: g.tap(25, 1.0), ValueError, "cell_index must be in 0..24, got 25"),
        (lambda g: g.tap(1, -5.0), ValueError, "timestamp_ms must be a finite number >= 0, got -5.0"),
        (lambda g: g.tap(1, float("nan")), ValueError, "timestamp_ms must be a finite number"),
        (lambda g: g.tap(1, "12"), TypeError, "timestamp_ms must be a number of milliseconds, got str"),
        (lambda g: g.resume(1.0), ValueError, "only a paused game can be resumed; this one is ready"),
        (lambda g: g.pause(1.0), ValueError, "only a running game can be paused; this one is ready"),
    ],
)
def test_bad_calls_raise_errors_that_name_the_value(
    call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(Game(BOARD))  # type: ignore[operator]


def test_time_cannot_go_backwards() -> None:
    game = Game(BOARD)
    game.tap(cell(1), 500.0)
    with pytest.raises(ValueError, match="went back in time"):
        game.tap(cell(2), 400.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_time": 29}, "max_time must be in 30..300 seconds, got 29"),
        ({"max_time": 301}, "got 301"),
        ({"order": "UP"}, "order must be one of ['ASC', 'DESC'], got 'UP'"),
        ({"mode": "blitz"}, "mode must be one of"),
        ({"started_at": datetime(2026, 1, 1)}, "started_at must be timezone-aware"),
    ],
)
def test_bad_settings_are_rejected(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Game(BOARD, **kwargs)  # type: ignore[arg-type]


def test_a_board_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="board must be a Board, got tuple"):
        Game((1, 2, 3))  # type: ignore[arg-type]
