"""Held for review: record-level results wait for a moderator; ordinary and fast human play never does."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import core
from core import Board, Game, record_floor_ms, review_reason, verify
from core.plausibility import human_floor_ms
from tests.core.players import STARTED_AT, human_game


def issue_14_bot(size: int = 5, seed: int = 3) -> Game:
    """The bot of issue 14: correct taps 100–156 ms apart, nothing else wrong."""
    game = Game(Board.generate(size, seed), mode="ranked", ticket_id="t-bot", started_at=STARTED_AT)
    rng = random.Random(seed)
    now = 900.0
    for number in game.board.sequence():
        game.tap(game.board.index_of(number), now)
        now += rng.uniform(100, 156)
    return game


def test_the_record_floor_sits_above_verifys_floor_for_every_size() -> None:
    for size in (3, 4, *core.SIZES, 8, 9, 10):
        cells = size * size
        assert human_floor_ms(cells) < record_floor_ms(cells)
    assert record_floor_ms(25) == pytest.approx(4080)


def test_the_bot_of_issue_14_verifies_but_is_held_on_every_size() -> None:
    for size in core.SIZES:
        game = issue_14_bot(size, seed=size)
        assert verify(game.to_session().to_dict()).ok
        time_ms = game.to_session().completion_time_ms
        assert time_ms is not None
        reason = review_reason(time_ms, size * size, [])
        assert reason is not None and reason.code == "HELD_FOR_REVIEW"
        assert reason.code in core.REASON_CODES


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.sampled_from(core.SIZES),
    seed=st.integers(0, 2**53 - 1),
    order=st.sampled_from(["ASC", "DESC"]),
    mistakes=st.integers(0, 12),
    player=st.integers(0, 2**32),
    fastest=st.floats(150, 600),
    spread=st.floats(250, 2500),
)
def test_no_game_played_by_a_human_is_held_against_their_own_recent_games(
    size: int, seed: int, order: str, mistakes: int, player: int, fastest: float, spread: float
) -> None:
    """The same "human" hypothesis as verify's test: no record floor, no leap over their own level."""

    def time_of(game_seed: int, game_player: int) -> float:
        game = human_game(
            size=size, seed=game_seed, order=order, mistakes=mistakes, player=game_player,
            fastest_ms=fastest, slowest_ms=fastest + spread, max_time=300,
        )  # fmt: skip
        time_ms = game.to_session().completion_time_ms
        assert time_ms is not None
        return time_ms

    recent = [time_of((seed + k) % core.MAX_SEED, player + k) for k in range(1, 6)]
    assert review_reason(time_of(seed, player), size * size, recent) is None
    assert review_reason(time_of(seed, player), size * size, []) is None


def test_a_leap_far_ahead_of_the_players_recent_best_is_held_only_near_the_top() -> None:
    floor = record_floor_ms(25)
    recent = [floor * 3] * 5
    leap = review_reason(floor * 1.5, 25, recent)
    assert leap is not None and "recent best" in leap.message
    assert review_reason(floor * 1.5, 25, recent[:4]) is None  # too little history to judge
    assert review_reason(floor * 1.9, 25, recent) is None  # 63 % of the best: progress
    slow_history = [floor * 10] * 5
    assert review_reason(floor * 3, 25, slow_history) is None  # a big leap, but far from the top
