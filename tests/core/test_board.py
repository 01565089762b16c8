"""Boards: reproducible everywhere, always a permutation, errors that name the bad value."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import MAX_SEED, SIZES, Board, Order
from core.board import EASY_SCATTER
from core.rng import SplitMix64

# Published test vectors: these exact boards must come out of CPython 3.11+ and Pyodide alike
# (this file runs under both; see `nox -s pyodide`). Changing one breaks every stored seed.
VECTORS = {
    (5, 0): (7, 24, 18, 13, 8, 10, 12, 2, 21, 19, 25, 20, 16, 23, 1, 3, 4, 5, 14, 15, 9, 17, 6, 22, 11),
    (5, 1): (17, 12, 5, 18, 13, 9, 23, 19, 24, 21, 2, 8, 14, 10, 7, 1, 4, 11, 20, 15, 22, 6, 25, 3, 16),
    (6, 42): (
        23, 6, 35, 12, 15, 13, 18, 34, 32, 31, 8, 25, 30, 24, 1, 7, 29, 10,
        22, 19, 21, 3, 14, 4, 17, 27, 11, 20, 16, 36, 5, 28, 9, 26, 33, 2,
    ),
    (7, 8423311902): (
        26, 15, 45, 23, 43, 18, 7, 34, 31, 33, 20, 35, 4, 46, 2, 5, 19, 14, 24, 39, 42, 49, 1, 25, 28,
        6, 9, 36, 11, 12, 37, 10, 21, 30, 48, 44, 41, 17, 27, 8, 40, 47, 22, 3, 16, 32, 38, 13, 29,
    ),
    (7, 2**53 - 1): (
        38, 19, 31, 33, 41, 49, 13, 40, 37, 2, 29, 15, 8, 27, 17, 48, 47, 35, 24, 22, 12, 14, 42, 32, 36,
        20, 28, 1, 16, 34, 25, 26, 18, 5, 4, 46, 11, 23, 9, 30, 43, 39, 44, 45, 21, 6, 3, 7, 10,
    ),
}  # fmt: skip


@pytest.mark.parametrize(("size", "seed"), list(VECTORS))
def test_published_vectors_reproduce_exactly(size: int, seed: int) -> None:
    assert Board.generate(size, seed).cells == VECTORS[size, seed]


def test_splitmix64_matches_the_reference_implementation() -> None:
    """Outputs of Vigna's splitmix64.c for seeds 0 and 1234567."""
    zero = SplitMix64(0)
    assert [zero.next() for _ in range(3)] == [16294208416658607535, 7960286522194355700, 487617019471545679]
    other = SplitMix64(1234567)
    assert [other.next(), other.next()] == [6457827717110365317, 3203168211198807973]


def test_splitmix64_below_stays_in_range_and_rejects_empty_ranges() -> None:
    rng = SplitMix64(7)
    assert {rng.below(3) for _ in range(200)} == {0, 1, 2}
    with pytest.raises(ValueError, match="bound must be positive, got 0"):
        rng.below(0)


@given(st.sampled_from(SIZES), st.integers(0, MAX_SEED - 1))
def test_every_board_is_a_permutation_of_one_to_n_squared(size: int, seed: int) -> None:
    board = Board.generate(size, seed)
    assert sorted(board.cells) == list(range(1, size * size + 1))
    assert all(board.value_at(board.index_of(n)) == n for n in range(1, size * size + 1))


def test_different_seeds_give_different_boards() -> None:
    boards = {Board.generate(5, seed).cells for seed in range(500)}
    assert len(boards) == 500


def test_every_number_lands_in_every_cell_about_equally_often() -> None:
    """A biased shuffle would favour some cells; 4,000 boards put each number ~160 times per cell."""
    counts = [[0] * 25 for _ in range(26)]
    for seed in range(4000):
        for cell, number in enumerate(Board.generate(5, seed).cells):
            counts[number][cell] += 1
    flat = [count for row in counts[1:] for count in row]
    assert min(flat) > 100
    assert max(flat) < 230


@pytest.mark.parametrize(
    ("size", "seed", "error", "message"),
    [
        (2, 1, ValueError, "grid size must be 3 … 10, got 2"),
        (11, 1, ValueError, "got 11"),
        (True, 1, TypeError, "grid size must be an int, got bool"),
        ("5", 1, TypeError, "grid size must be an int, got str"),
        (5, -1, ValueError, "seed must be in 0..2**53-1, got -1"),
        (5, 2**53, ValueError, "got 9007199254740992"),
        (5, 1.0, TypeError, "seed must be an int, got float"),
        (5, None, TypeError, "seed must be an int, got NoneType"),
    ],
)
def test_bad_sizes_and_seeds_are_rejected_with_the_value_named(
    size: object, seed: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        Board.generate(size, seed)  # type: ignore[arg-type]


def test_board_lookups_reject_cells_and_numbers_off_the_board() -> None:
    board = Board.generate(5, 3)
    with pytest.raises(ValueError, match=re.escape("cell_index must be in 0..24, got 25")):
        board.value_at(25)
    with pytest.raises(ValueError, match=re.escape("number must be in 1..25, got 0")):
        board.index_of(0)
    with pytest.raises(TypeError, match="cell_index must be an int"):
        board.value_at("3")  # type: ignore[arg-type]


def test_a_hand_made_board_must_be_a_permutation() -> None:
    with pytest.raises(ValueError, match=re.escape("permutation of 1..25")):
        Board(5, 0, (1,) * 25)


def test_sequence_runs_up_for_asc_and_down_for_desc() -> None:
    board = Board.generate(6, 9)
    assert board.sequence(Order.ASC)[:3] == (1, 2, 3)
    assert board.sequence("DESC")[:3] == (36, 35, 34)


def test_shuffled_boards_scatter_widely_and_ordered_layouts_are_flagged_easy() -> None:
    shuffled = [Board.generate(7, seed) for seed in range(200)]
    assert all(not board.is_easy for board in shuffled)
    assert 0.45 < sum(board.scatter for board in shuffled) / 200 < 0.6
    reading_order = Board(5, 0, tuple(range(1, 26)))
    snake = Board(
        5, 0, (1, 2, 3, 4, 5, 10, 9, 8, 7, 6, 11, 12, 13, 14, 15, 20, 19, 18, 17, 16, 21, 22, 23, 24, 25)
    )
    assert reading_order.scatter < EASY_SCATTER
    assert reading_order.is_easy and snake.is_easy
    assert snake.scatter == pytest.approx(0.2)


def test_repr_rebuilds_the_board() -> None:
    board = Board.generate(5, 11)
    assert eval(repr(board)) == board  # noqa: S307 -- repr must round-trip
