"""A game left behind is rebuilt from its checkpoint exactly as it was played (``app.checkpoint``)."""

from __future__ import annotations

import json

import pytest

from app import checkpoint
from core import Board, Game, Phase, Status, TrainingSession


class MemoryStorage:
    """Web Storage over a dict: what ``localStorage`` is to the page, for the checkpoint's three calls."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    def getItem(self, key: str) -> str | None:  # noqa: N802  # the Web Storage API's name
        return self.items.get(key)

    def setItem(self, key: str, value: str) -> None:  # noqa: N802  # the Web Storage API's name
        self.items[key] = value

    def removeItem(self, key: str) -> None:  # noqa: N802  # the Web Storage API's name
        self.items.pop(key, None)


def play(game: Game, log: list[list[object]], inputs: list[tuple[str, float]]) -> None:
    """Feed ``inputs`` to ``game`` and log them the way the game screen does (``app.play``)."""
    for kind, at in inputs:
        if kind == "t":
            cell = game.next_cell if game.next_cell is not None else 0
            game.tap(cell, at)
            log.append(["t", cell, at])
        elif kind == "wrong":
            cell = next(
                i for i in range(game.board.cell_count) if i != game.next_cell and not game.is_found(i)
            )
            game.tap(cell, at)
            log.append(["t", cell, at])
        elif kind == "p":
            game.pause(at)
            log.append(["p", at])
        else:
            game.resume(at)
            log.append(["r", at])


def started(**options: object) -> tuple[Game, dict[str, object]]:
    game = Game(Board.generate(5, 12345), "DESC", 60, True, **options)
    return game, checkpoint.new(game)


def test_replay_rebuilds_taps_mistakes_and_pauses() -> None:
    game, saved = started(variant="gorbov", reshuffle=True)
    inputs = [("t", 900.0), ("wrong", 1500.0), ("t", 2100.0), ("p", 2500.0), ("r", 6500.0), ("t", 7000.0)]
    play(game, saved["log"], inputs)
    replayed = checkpoint.replay(json.loads(json.dumps(saved)))
    assert replayed.progress == game.progress == 3
    assert replayed.mistakes == game.mistakes == 1
    assert replayed.taps == game.taps
    assert replayed.cells == game.cells  # the reshuffled layout comes back too
    assert replayed.phase is Phase.RUNNING
    assert replayed.elapsed_ms(8000.0) == game.elapsed_ms(8000.0)  # the 4 s pause is not counted


def test_a_left_game_is_finished_as_abandoned_when_it_was_left() -> None:
    game, saved = started()
    play(game, saved["log"], [("t", 800.0), ("t", 1600.0)])
    saved["left_at"] = 2000.0
    session = TrainingSession.from_dict(checkpoint.finish(saved))
    assert session.status is Status.ABANDONED
    assert session.id == game.session_id
    assert [tap.timestamp_ms for tap in session.tap_events] == [800.0, 1600.0]


def test_core_decides_a_timeout_when_max_time_ran_out_before_the_player_left() -> None:
    game, saved = started()
    play(game, saved["log"], [("t", 1000.0)])
    saved["left_at"] = 1000.0 + 61_000.0  # max time is 60 s from the first correct tap
    assert checkpoint.finish(saved)["status"] == "timeout"


def test_a_checkpoint_written_before_variants_replays_as_classic() -> None:
    _game, saved = started()
    del saved["variant"], saved["reshuffle"]
    assert checkpoint.replay(saved).variant == "classic"


def test_write_read_and_clear_through_web_storage() -> None:
    store = MemoryStorage()
    game, saved = started()
    checkpoint.write(store, saved)
    assert checkpoint.read(store) == saved
    checkpoint.clear(store, "another-session")  # someone else's save does not drop this game
    assert checkpoint.read(store) == saved
    checkpoint.clear(store, game.session_id)
    assert checkpoint.read(store) is None


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "null"])
def test_an_unreadable_checkpoint_reads_as_none(text: str) -> None:
    store = MemoryStorage()
    store.setItem(checkpoint.KEY, text)
    assert checkpoint.read(store) is None
