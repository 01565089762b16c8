"""Variants and reshuffle: labels over the same tokens, one rule, and deals the server replays exactly."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest

from core import SIZES, Board, Game, Label, Series, TrainingSession, Variant, label, labels, verify
from tests.core.players import STARTED_AT, TICKET, human_dict, human_game

# Published vectors: identical under CPython and Pyodide (this file runs under both).
# The Gorbov 7×7 board of seed 2026 as a player sees it, row-major ("r" red, "b" black).
GORBOV_7_2026 = [
    "11b",
    "14r",
    "19r",
    "22b",
    "13r",
    "25b",
    "2r",
    "19b",
    "8b",
    "20r",
    "21b",
    "23r",
    "15r",
    "16r",
    "10r",
    "9r",
    "18r",
    "21r",
    "17r",
    "4r",
    "5r",
    "12r",
    "4b",
    "18b",
    "20b",
    "6r",
    "5b",
    "10b",
    "24r",
    "24b",
    "3b",
    "1r",
    "15b",
    "7r",
    "17b",
    "8r",
    "11r",
    "22r",
    "2b",
    "14b",
    "6b",
    "12b",
    "23b",
    "1b",
    "9b",
    "7b",
    "16b",
    "13b",
    "3r",
]
# A reshuffled 4×4 game of seed 7 (ASC): the layout as dealt, then after each of the first three finds.
RESHUFFLED_4_7 = [
    (14, 16, 9, 4, 15, 5, 2, 12, 3, 1, 7, 10, 13, 11, 6, 8),
    (2, 4, 9, 14, 15, 10, 12, 11, 7, 1, 16, 3, 6, 5, 8, 13),
    (2, 10, 13, 7, 16, 12, 8, 15, 14, 1, 4, 11, 6, 5, 3, 9),
    (2, 8, 11, 14, 10, 16, 6, 7, 4, 1, 9, 5, 12, 15, 3, 13),
]  # fmt: skip
# Where each target was when it was found in a reshuffled 5×5 game of seed 2026 (ASC, no mistakes).
RESHUFFLED_5_2026_TARGET_CELLS = [
    4, 17, 9, 20, 18, 24, 19, 7, 3, 8, 22, 6, 5, 14, 1, 10, 11, 15, 16, 13, 21, 12, 0, 2, 23,
]  # fmt: skip
BOARD_3_0 = (9, 4, 5, 7, 6, 3, 2, 1, 8)
BOARD_10_1_FIRST_ROW = (59, 86, 30, 17, 39, 12, 68, 53, 67, 63)  # fmt: skip


def face(variant: str, size: int, token: int) -> str:
    shown = label(variant, size, token)
    return shown.text + ("" if shown.colour is None else shown.colour[0])


def test_the_smallest_and_largest_boards_reproduce_their_vectors() -> None:
    assert Board.generate(3, 0).cells == BOARD_3_0
    assert Board.generate(10, 1).cells[:10] == BOARD_10_1_FIRST_ROW
    assert SIZES == (3, 4, 5, 6, 7, 8, 9, 10)


def test_the_gorbov_board_shows_its_published_faces() -> None:
    board = Board.generate(7, 2026)
    assert [face("gorbov", 7, token) for token in board.cells] == GORBOV_7_2026


def test_gorbov_alternates_black_ascending_with_red_descending() -> None:
    asked = [face("gorbov", 7, token) for token in Board.generate(7, 1).sequence("ASC")]
    assert asked[:4] == ["1b", "24r", "2b", "23r"]
    assert asked[-2:] == ["1r", "25b"]
    descending = [face("gorbov", 7, token) for token in Board.generate(7, 1).sequence("DESC")]
    assert descending[:2] == ["25b", "1r"]


@pytest.mark.parametrize("size", SIZES)
def test_gorbov_has_ceil_half_black_and_floor_half_red_numbers(size: int) -> None:
    faces = labels("gorbov", size)[1:]
    black = sorted(int(f.text) for f in faces if f.colour == "black")
    red = sorted(int(f.text) for f in faces if f.colour == "red")
    assert black == list(range(1, (size * size + 1) // 2 + 1))
    assert red == list(range(1, size * size // 2 + 1))


def test_letters_run_a_to_y_and_stop_at_five_by_five() -> None:
    assert "".join(f.text for f in labels("letters", 5)[1:]) == "ABCDEFGHIJKLMNOPQRSTUVWXY"
    assert labels("letters", 3)[9] == Label("I")
    with pytest.raises(ValueError, match=r"the letters variant needs a grid size in \(3, 4, 5\), got 6"):
        label("letters", 6, 1)
    with pytest.raises(ValueError, match="the letters variant needs a grid size"):
        Game(Board.generate(6, 1), variant="letters")


def test_classic_labels_are_the_numbers_and_bad_tokens_are_named() -> None:
    assert label(Variant.CLASSIC, 10, 100) == Label("100")
    with pytest.raises(ValueError, match=r"token must be in 1..9 on a 3x3 board, got 10"):
        label("classic", 3, 10)
    with pytest.raises(ValueError, match="variant must be one of"):
        label("emoji", 5, 1)


def test_a_variant_never_changes_the_rule() -> None:
    """The same taps on the same seed play the same game in every variant; only the labels differ."""
    games = {variant: human_game(size=5, seed=3, variant=variant.value, mistakes=2) for variant in Variant}
    logs = {variant: game.to_session().tap_events for variant, game in games.items()}
    assert logs[Variant.CLASSIC] == logs[Variant.LETTERS] == logs[Variant.GORBOV]
    assert {game.to_session().variant for game in games.values()} == set(Variant)


def test_a_wrong_colour_tap_in_gorbov_is_one_mistake_and_keeps_the_target() -> None:
    game = Game(Board.generate(7, 2026), variant="gorbov")
    black_one = game.next_cell
    assert black_one is not None
    assert game.tap(black_one, 800.0) is not None
    red_24 = game.next_cell
    black_24 = game.index_of(47)  # token 47 is black 24: the same number in the wrong colour
    assert face("gorbov", 7, 47) == "24b" and face("gorbov", 7, game.cells[red_24]) == "24r"
    result = game.tap(black_24, 1200.0)
    assert result is not None and not result.correct
    assert game.mistakes == 1 and game.next_cell == red_24


# Reshuffle ------------------------------------------------------------------------------------------


def test_reshuffle_deals_the_published_layouts() -> None:
    game = Game(Board.generate(4, 7), reshuffle=True)
    seen = [game.cells]
    for step in range(3):
        cell = game.next_cell
        assert cell is not None
        game.tap(cell, 1000.0 + 400 * step)
        seen.append(game.cells)
    assert seen == RESHUFFLED_4_7


def test_a_reshuffled_game_finds_its_targets_in_the_published_cells() -> None:
    game = Game(Board.generate(5, 2026), reshuffle=True, started_at=STARTED_AT)
    found_in = []
    now = 500.0
    while not game.is_over:
        cell = game.next_cell
        assert cell is not None
        found_in.append(cell)
        game.tap(cell, now)
        now += 313 + (len(found_in) % 5) * 41
    assert found_in == RESHUFFLED_5_2026_TARGET_CELLS
    assert verify(game.to_session().to_dict()).ok


def test_reshuffle_moves_only_unfound_tokens_and_index_of_follows() -> None:
    game = Game(Board.generate(6, 11), reshuffle=True)
    found: dict[int, int] = {}
    for step in range(10):
        cell = game.next_cell
        assert cell is not None
        found[cell] = game.cells[cell]
        game.tap(cell, 900.0 + 300 * step)
        assert all(game.cells[c] == token for c, token in found.items())
        assert sorted(game.cells) == list(range(1, 37))
        assert all(game.cells[game.index_of(token)] == token for token in range(1, 37))


def test_reshuffle_sends_the_next_target_to_every_unfound_cell_about_equally_often() -> None:
    """The first deal of 3×3 boards over 4,000 seeds: 8 unfound cells, each ~500 times (±25 %)."""
    where: Counter[int] = Counter()
    for seed in range(4000):
        game = Game(Board.generate(3, seed), reshuffle=True)
        first = game.next_cell
        assert first is not None
        game.tap(first, 700.0)
        where[(game.index_of(2) - first) % 9] += 1
    assert set(where) == set(range(1, 9))
    assert all(375 <= count <= 625 for count in where.values()), where


def test_reshuffle_is_practice_only() -> None:
    with pytest.raises(ValueError, match="reshuffle is for practice only, not ranked mode"):
        Game(Board.generate(5, 1), mode="ranked", ticket_id=TICKET, reshuffle=True)


# The wire format, schema 1 and 2 -------------------------------------------------------------------


def schema_one(wire: dict[str, Any]) -> dict[str, Any]:
    old = {key: value for key, value in wire.items() if key not in ("variant", "reshuffle", "series")}
    return old | {"schema_version": 1}


def test_a_schema_one_session_is_a_classic_board_and_still_verifies() -> None:
    old = schema_one(human_dict(mistakes=1))
    session = TrainingSession.from_dict(old)
    assert session.variant is Variant.CLASSIC and not session.reshuffle and session.series is None
    assert session.to_dict() == old
    assert verify(old).ok


def test_schema_two_fields_are_optional_with_their_defaults() -> None:
    wire = human_dict()
    for key in ("variant", "reshuffle", "series"):
        del wire[key]
    session = TrainingSession.from_dict(wire)
    assert (session.variant, session.reshuffle, session.series) == (Variant.CLASSIC, False, None)
    assert verify(wire).ok


def test_a_series_table_round_trips() -> None:
    wire = human_dict() | {"series": {"id": "7d0c8f4e-4a8e-4a5e-9f1c-2b7e1b2c3d4e", "index": 3}}
    session = TrainingSession.from_dict(wire)
    assert session.series == Series("7d0c8f4e-4a8e-4a5e-9f1c-2b7e1b2c3d4e", 3)
    assert session.to_dict() == wire


def with_fields(**fields: Any) -> dict[str, Any]:
    return copy.deepcopy(human_dict()) | fields


@pytest.mark.parametrize(
    ("wire", "code"),
    [
        (with_fields(variant="emoji"), "UNKNOWN_VARIANT"),
        (with_fields(variant=None), "UNKNOWN_VARIANT"),
        (with_fields(grid_size=11), "GRID_SIZE_OUT_OF_RANGE"),
        (with_fields(grid_size=2), "GRID_SIZE_OUT_OF_RANGE"),
        (with_fields(series={"id": "x", "index": 1}), "BAD_SERIES"),
        (with_fields(series={"id": "7d0c8f4e-4a8e-4a5e-9f1c-2b7e1b2c3d4e", "index": 6}), "BAD_SERIES"),
        (with_fields(series=[1]), "BAD_SERIES"),
        (schema_one(human_dict()) | {"variant": "classic"}, "MALFORMED"),
    ],
)
def test_verify_names_what_no_variant_board_can_be(wire: dict[str, Any], code: str) -> None:
    verdict = verify(wire)
    assert verdict.codes == [code], verdict.reasons
    assert verdict.reasons[0].message


def test_letters_above_five_by_five_are_rejected() -> None:
    wire = human_dict(size=6) | {"variant": "letters"}
    assert verify(wire).codes == ["VARIANT_SIZE"]


def test_reshuffle_outside_practice_is_rejected() -> None:
    game = human_game(size=5, reshuffle=True)
    wire = game.to_session().to_dict() | {"mode": "ranked", "ticket_id": TICKET}
    assert "RESHUFFLE_NOT_PRACTICE" in verify(wire).codes


def test_a_tap_log_that_does_not_match_the_reshuffled_board_is_caught() -> None:
    reshuffled = human_game(size=6, seed=5, reshuffle=True, mistakes=3).to_session().to_dict()
    assert verify(reshuffled).ok
    assert verify(reshuffled | {"reshuffle": False}).codes[0] == "BOARD_MISMATCH"
    plain = human_game(size=6, seed=5, mistakes=3).to_session().to_dict()
    assert verify(plain | {"reshuffle": True}).codes[0] == "BOARD_MISMATCH"


def test_wrong_taps_on_a_found_and_an_unfound_cell_in_one_step_replay_exactly() -> None:
    game = Game(Board.generate(5, 9), reshuffle=True, started_at=STARTED_AT)
    first = game.next_cell
    assert first is not None
    game.tap(first, 600.0)
    target = game.next_cell
    assert target is not None
    game.tap(first, 900.0)  # a found cell: wrong, and it still shows 1
    game.tap(next(c for c in range(25) if c not in (first, target)), 1200.0)
    game.tap(target, 1500.0)
    assert game.mistakes == 2
    game.abandon(1800.0)
    assert verify(game.to_session().to_dict()).ok
