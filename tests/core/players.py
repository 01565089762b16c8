"""Simulated players that produce sessions through the real ``core.Game``, for the tests."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from core import Board, Game, TrainingSession

STARTED_AT = datetime(2026, 11, 25, 9, 14, 3, 120000, tzinfo=UTC)
TICKET = "tkt_0001"


def human_game(
    size: int = 5,
    seed: int = 1,
    *,
    order: str = "ASC",
    mistakes: int = 0,
    mode: str = "practice",
    hint: bool = False,
    max_time: int = 120,
    player: int = 0,
    fastest_ms: float = 150.0,
    slowest_ms: float = 1200.0,
    pause_ms: float = 0.0,
    variant: str = "classic",
    reshuffle: bool = False,
) -> Game:
    """Play a whole board like a person: irregular gaps between ``fastest_ms`` and ``slowest_ms``.

    ``mistakes`` wrong taps are spread at random over the game; a ``pause_ms`` pause is taken
    after the third number.
    """
    rng = random.Random(player)
    game = Game(
        Board.generate(size, seed),
        order,
        max_time,
        hint,
        mode,
        ticket_id=None if mode == "practice" else TICKET,
        started_at=STARTED_AT,
        variant=variant,
        reshuffle=reshuffle,
    )
    wrong_before = Counter(rng.randrange(game.board.cell_count) for _ in range(mistakes))
    now = rng.uniform(400, 1500)
    for step in range(game.board.cell_count):
        target = game.next_cell
        assert target is not None
        for _ in range(wrong_before[step]):
            game.tap((target + rng.randrange(1, game.board.cell_count)) % game.board.cell_count, now)
            now += rng.uniform(fastest_ms, slowest_ms)
        game.tap(target, now)
        if game.is_over:
            break
        if pause_ms and step == 2:
            game.pause(now + 10)
            game.resume(now + 10 + pause_ms)
            now += 10 + pause_ms
        now += rng.uniform(fastest_ms, slowest_ms)
    return game


def human_session(**kwargs: Any) -> TrainingSession:
    """A genuine finished session (see ``human_game``)."""
    return human_game(**kwargs).to_session()


def human_dict(**kwargs: Any) -> dict[str, Any]:
    """A genuine session in its wire form."""
    return human_session(**kwargs).to_dict()


def at(session: TrainingSession, started_at: datetime) -> TrainingSession:
    """The same game, played at another moment (both wall-clock times move, so it still verifies)."""
    shift = started_at - session.started_at
    ended = None if session.completed_at is None else session.completed_at + shift
    return replace(session, started_at=started_at, completed_at=ended)


def paced_game(
    gaps_ms: list[float], size: int = 5, seed: int = 1, *, reshuffle: bool = False, first_ms: float = 900.0
) -> Game:
    """A game whose i-th correct tap comes ``gaps_ms[i - 1]`` after the one before (the first at
    ``first_ms``): a player whose pace the test chooses."""
    game = Game(Board.generate(size, seed), started_at=STARTED_AT, reshuffle=reshuffle)
    now = first_ms
    game.tap(game.next_cell, now)
    for gap in gaps_ms:
        now += gap
        game.tap(game.next_cell, now)
    return game


def long_history(count: int, seed: int = 5) -> list[TrainingSession]:
    """``count`` genuine games over about a year, as a keen player's device would hold them.

    Mostly 5×5 and 6×6 ascending, some descending, 7×7 and Gorbov tables; a few mistakes, a few
    timeouts; at all hours. Deterministic for a seed, so benchmarks on CPython and Pyodide time the
    same history.
    """
    rng = random.Random(seed)
    boards = (
        [(5, "ASC", "classic")] * 5
        + [(6, "ASC", "classic")] * 3
        + [
            (5, "DESC", "classic"),
            (7, "ASC", "classic"),
            (7, "ASC", "gorbov"),
        ]
    )
    history = []
    for n in range(count):
        size, order, variant = rng.choice(boards)
        game = human_game(
            size, n, order=order, variant=variant, player=n, mistakes=rng.choice((0, 0, 1, 2)), max_time=300
        )
        moment = STARTED_AT + timedelta(minutes=n * 105 + rng.randrange(60))
        history.append(at(game.to_session(), moment))
    return history
