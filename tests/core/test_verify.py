"""verify: genuine play passes, every forgery is named with a stable code, nothing makes it raise."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import core.board
from core import MAX_TAPS, REASON_CODES, SIZES, Board, Game, TrainingSession, Variant, Verdict, verify
from tests.core.players import STARTED_AT, human_dict, human_game


def codes(session: Any) -> list[str]:
    return verify(session).codes


# Genuine play -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_genuine_games_verify_ok(size: int, order: str) -> None:
    verdict = verify(human_dict(size=size, order=order, mistakes=3, seed=size * 7))
    assert verdict.ok, verdict.reasons
    assert verdict.valid_taps == size * size + 3


def test_a_fast_but_human_expert_passes() -> None:
    """Correct taps 150-400 ms apart: a 5×5 in about 6.6 s, faster than most records."""
    assert verify(human_dict(fastest_ms=150, slowest_ms=400, player=3)).ok


def test_genuine_timeouts_abandons_and_practice_pauses_verify_ok() -> None:
    slow = human_game(size=7, max_time=30, fastest_ms=900, slowest_ms=1500)
    assert slow.status is not None and slow.status.value == "timeout"
    assert verify(slow.to_session().to_dict()).ok
    left = Game(Board.generate(5, 5), started_at=STARTED_AT)
    left.tap(left.board.index_of(1), 700.0)
    left.abandon(2000.0)
    assert verify(left.to_session().to_dict()).ok
    assert verify(human_dict(pause_ms=4000.0, mistakes=1)).ok


def test_verify_accepts_a_training_session_object_too() -> None:
    assert verify(TrainingSession.from_dict(human_dict())).ok


# Every board a player can pick: each variant in each of its sizes, reshuffled or not (practice).
boards = st.sampled_from(
    [(v.value, size, reshuffle) for v in Variant for size in v.sizes for reshuffle in (False, True)]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    board=boards,
    seed=st.integers(0, 2**53 - 1),
    order=st.sampled_from(["ASC", "DESC"]),
    mistakes=st.integers(0, 12),
    player=st.integers(0, 2**32),
    fastest=st.floats(150, 600),
    spread=st.floats(250, 2500),
)
def test_any_game_played_by_a_human_verifies_ok(
    board: tuple[str, int, bool],
    seed: int,
    order: str,
    mistakes: int,
    player: int,
    fastest: float,
    spread: float,
) -> None:
    variant, size, reshuffle = board
    game = human_game(
        size=size, seed=seed, order=order, mistakes=mistakes, player=player, variant=variant,
        reshuffle=reshuffle, fastest_ms=fastest, slowest_ms=fastest + spread, max_time=300,
    )  # fmt: skip
    verdict = verify(json.loads(json.dumps(game.to_session().to_dict())))
    assert verdict.ok, verdict.reasons


# Forgeries: one impossible thing each ----------------------------------------------------------


def genuine() -> dict[str, Any]:
    return copy.deepcopy(human_dict(mistakes=2, player=11))


def first_correct(wire: dict[str, Any]) -> int:
    return next(i for i, tap in enumerate(wire["tap_events"]) if tap["correct"])


def test_a_different_seed_is_a_board_mismatch_at_the_first_tap() -> None:
    wire = genuine()
    wire["board_seed"] += 1
    verdict = verify(wire)
    assert verdict.codes[0] == "BOARD_MISMATCH" and verdict.reasons[0].index == 0
    assert verdict.valid_taps == 0


def test_a_claimed_time_that_does_not_match_the_taps_is_caught() -> None:
    wire = genuine()
    wire["completion_time_ms"] -= 5000
    assert codes(wire) == ["COMPLETION_TIME_MISMATCH"]


def test_hidden_mistakes_are_caught_in_the_count_and_the_accuracy() -> None:
    wire = genuine()
    wire["mistakes"] = 0
    assert codes(wire) == ["MISTAKES_MISMATCH", "ACCURACY_MISMATCH"]
    wire = genuine()
    wire["accuracy"] = 100.0
    assert codes(wire) == ["ACCURACY_MISMATCH"]


def test_a_wrong_tap_relabelled_correct_is_caught_at_that_tap() -> None:
    wire = genuine()
    index = next(i for i, tap in enumerate(wire["tap_events"]) if not tap["correct"])
    wire["tap_events"][index]["correct"] = True
    verdict = verify(wire)
    assert verdict.codes[0] == "CORRECT_FLAG_MISMATCH" and verdict.reasons[0].index == index


def test_skipped_and_repeated_targets_are_named() -> None:
    wire = genuine()
    correct = [i for i, tap in enumerate(wire["tap_events"]) if tap["correct"]]
    skipped = copy.deepcopy(wire)
    del skipped["tap_events"][correct[4]]
    verdict = verify(skipped)
    assert verdict.codes[0] == "TARGET_SKIPPED"
    repeated = copy.deepcopy(wire)
    repeated["tap_events"].insert(correct[4] + 1, dict(repeated["tap_events"][correct[4]], timestamp_ms=1e5))
    assert verify(repeated).codes[0] == "TARGET_REPEATED"


def test_time_going_backwards_is_caught_at_that_tap() -> None:
    wire = genuine()
    wire["tap_events"][6]["timestamp_ms"] = wire["tap_events"][5]["timestamp_ms"] - 1
    verdict = verify(wire)
    assert verdict.codes[0] == "TIME_BACKWARDS" and verdict.reasons[0].index == 6


def test_a_status_that_the_replay_contradicts_is_caught() -> None:
    wire = genuine()
    wire["status"] = "timeout"
    wire["completion_time_ms"] = None
    assert codes(wire) == ["STATUS_MISMATCH"]
    short = genuine()
    short["tap_events"] = short["tap_events"][:10]
    assert "STATUS_MISMATCH" in codes(short)


def test_taps_after_the_end_are_caught() -> None:
    wire = genuine()
    wire["tap_events"].append(
        dict(wire["tap_events"][-1], timestamp_ms=wire["tap_events"][-1]["timestamp_ms"] + 500)
    )
    assert codes(wire) == ["TAP_AFTER_END"]


def test_a_completed_game_over_max_time_is_caught() -> None:
    wire = copy.deepcopy(human_dict(max_time=300, fastest_ms=1500, slowest_ms=2500))
    assert wire["completion_time_ms"] > 30_000
    wire["max_time"] = 30
    assert codes(wire) == ["OVER_MAX_TIME"]


def test_a_pause_longer_than_the_game_is_caught() -> None:
    wire = genuine()
    wire["paused_ms"] = 10**6
    assert "PAUSE_MISMATCH" in codes(wire)


def test_pauses_and_hints_in_ranked_modes_are_caught() -> None:
    paused = copy.deepcopy(human_dict(pause_ms=3000.0))
    paused.update(mode="ranked", ticket_id="t-1")
    assert codes(paused) == ["PAUSE_IN_RANKED"]
    hinted = copy.deepcopy(human_dict(hint=True))
    hinted.update(mode="weekly", ticket_id="t-2")
    assert codes(hinted) == ["HINT_IN_RANKED"]


def test_completed_at_before_started_at_is_caught() -> None:
    wire = genuine()
    wire["completed_at"] = "2026-11-24T00:00:00.000Z"
    assert codes(wire) == ["COMPLETED_AT_BEFORE_START"]


# Plausibility: consistent logs that no human made ------------------------------------------------


def scripted(size: int, interval: float, jitter: float = 0.0, seed: int = 3) -> dict[str, Any]:
    rng = random.Random(seed)
    game = Game(Board.generate(size, seed), started_at=STARTED_AT)
    now = 500.0
    for number in game.board.sequence():
        game.tap(game.board.index_of(number), now)
        now += interval * (1 + rng.uniform(-jitter, jitter))
    return game.to_session().to_dict()


def test_a_bot_with_a_fixed_delay_is_too_regular() -> None:
    assert codes(scripted(5, 400.0)) == ["RHYTHM_TOO_REGULAR"]
    assert codes(scripted(7, 300.0, jitter=0.05)) == ["RHYTHM_TOO_REGULAR"]


def test_a_narrow_but_human_rhythm_is_not_accused() -> None:
    """Gaps drawn from 150-200 ms: as tight as a human gets, still 8 % variation."""
    assert verify(scripted(7, 175.0, jitter=25 / 175)).ok


def test_studying_a_ranked_board_before_starting_the_clock_is_caught() -> None:
    game = Game(Board.generate(5, 8), mode="ranked", ticket_id="t-9", started_at=STARTED_AT)
    rng = random.Random(1)
    now = 25_000.0
    for number in game.board.sequence():
        game.tap(game.board.index_of(number), now)
        now += rng.uniform(200, 900)
    verdict = verify(game.to_session().to_dict())
    assert verdict.codes == ["PREVIEW_TOO_LONG"] and verdict.reasons[0].index == 0
    practice = game.to_session().to_dict() | {"mode": "practice", "ticket_id": None}
    assert verify(practice).ok


def test_a_bot_faster_than_a_human_is_below_the_floor() -> None:
    assert codes(scripted(6, 100.0, jitter=0.4)) == ["BELOW_HUMAN_FLOOR"]


def test_taps_closer_than_a_human_can_aim_are_named_with_their_index() -> None:
    wire = copy.deepcopy(human_dict(player=4))
    taps = wire["tap_events"]
    taps[8]["timestamp_ms"] = taps[7]["timestamp_ms"] + 20
    wire["completion_time_ms"] = round(taps[-1]["timestamp_ms"] - taps[0]["timestamp_ms"])
    verdict = verify(wire)
    assert verdict.codes == ["TAP_TOO_FAST"] and verdict.reasons[0].index == 8


def test_an_abnormally_easy_layout_is_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    """No seed below 2**53 is known to give an easy board, so the threshold is raised for this test."""
    wire = genuine()
    assert verify(wire).ok
    monkeypatch.setattr(core.board, "EASY_SCATTER", 0.99)
    assert codes(wire) == ["EASY_LAYOUT"]


# Any corruption of a genuine session is caught ----------------------------------------------------

WRONG_TYPE = {str: 12345, int: "12", float: "1.5", bool: "yes", type(None): [], list: {}}
CORRUPTIONS = {
    "grid_size": lambda w, r: w.update(grid_size=r.choice([s for s in SIZES if s != w["grid_size"]])),
    "order_mode": lambda w, r: w.update(order_mode="DESC" if w["order_mode"] == "ASC" else "ASC"),
    "board_seed": lambda w, r: w.update(board_seed=(w["board_seed"] + r.randrange(1, 2**40)) % 2**53),
    "status": lambda w, r: w.update(status=r.choice(["timeout", "abandoned"])),
    "completion_time_ms": lambda w, r: w.update(
        completion_time_ms=w["completion_time_ms"] + r.choice([-1, 1]) * r.randrange(2, 10**5)
    ),
    "paused_ms": lambda w, r: w.update(paused_ms=w["paused_ms"] + r.randrange(2, 10**5)),
    "mistakes": lambda w, r: w.update(mistakes=max(0, w["mistakes"] + r.choice([-1, 1]) * r.randrange(1, 5))),
    "accuracy": lambda w, r: w.update(accuracy=round(r.uniform(0, 100), 2)),
    "cell_index": lambda w, r: r.choice(w["tap_events"]).update(cell_index=r.randrange(cells(w))),
    "expected_value": lambda w, r: r.choice(w["tap_events"]).update(expected_value=1 + r.randrange(cells(w))),
    "tapped_value": lambda w, r: r.choice(w["tap_events"]).update(tapped_value=1 + r.randrange(cells(w))),
    "reshuffle": lambda w, r: w.update(reshuffle=not w["reshuffle"]),
    "correct": lambda w, r: (tap := r.choice(w["tap_events"])).update(correct=not tap["correct"]),
    "first_or_last_time": lambda w, r: w["tap_events"][r.choice([first_correct(w), -1])].update(
        timestamp_ms=w["tap_events"][-1]["timestamp_ms"] + r.randrange(2, 10**4)
    ),
    "tap_count": lambda w, r: w["tap_events"].pop(r.randrange(len(w["tap_events"]))),
    "type": lambda w, r: w.update({(key := r.choice(list(w))): WRONG_TYPE[type(w[key])]}),
}  # fmt: skip


def cells(wire: dict[str, Any]) -> int:
    return int(wire["grid_size"]) ** 2


@settings(max_examples=200, deadline=None)
@given(
    field=st.sampled_from(sorted(CORRUPTIONS)),
    board=boards,
    seed=st.integers(0, 2**32),
    player=st.integers(0, 50),
)
def test_any_single_field_corruption_of_a_genuine_session_is_caught(
    field: str, board: tuple[str, int, bool], seed: int, player: int
) -> None:
    """Every field that carries a fact of the game, on every board a player can pick. ``id``,
    wall-clock times and the time of a tap that does not bound the game carry none that a replay
    could check; nor do ``variant`` (labels over the same tokens: a ranked game's variant is bound by
    its ticket) and ``series``. So they are not corruptions."""
    variant, size, reshuffle = board
    game = human_game(size=size, mistakes=2, player=player, variant=variant, reshuffle=reshuffle)
    wire = copy.deepcopy(game.to_session().to_dict())
    original = copy.deepcopy(wire)
    CORRUPTIONS[field](wire, random.Random(seed))
    if wire == original:
        return  # the random change happened to write the same value back
    assert not verify(wire).ok


# Never raises, bounded work --------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_verify_never_raises_on_arbitrary_json(value: object) -> None:
    verdict = verify(value)
    assert isinstance(verdict, Verdict) and verdict.codes == ["MALFORMED"]


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(list(human_dict())), value=json_values)
def test_verify_never_raises_when_any_field_holds_any_json(key: str, value: object) -> None:
    wire = human_dict()
    wire[key] = value
    assert isinstance(verify(wire), Verdict)


@pytest.mark.parametrize("weird", [object(), float("nan"), b"\x00" * 10, {1: 2}, {"tap_events": 5}, [[[]]]])
def test_verify_turns_any_python_object_into_a_malformed_verdict(weird: object) -> None:
    verdict = verify(weird)
    assert verdict.codes == ["MALFORMED"] and not verdict.ok and verdict.reasons[0].message


def test_a_tap_log_longer_than_any_game_is_rejected_before_replay() -> None:
    wire = human_dict()
    wire["tap_events"] = [object()] * (MAX_TAPS + 1)  # would crash a replay that looked at it
    assert codes(wire) == ["TOO_MANY_TAPS"]


def test_every_reported_code_is_documented_and_upper_snake() -> None:
    for code in REASON_CODES:
        assert code == code.upper() and " " not in code
    assert "MALFORMED" in REASON_CODES


def test_verdicts_serialise_for_the_api() -> None:
    wire = genuine()
    wire["mistakes"] = 0
    data = verify(wire).to_dict()
    assert data["ok"] is False
    assert data["reasons"][0] == {
        "code": "MISTAKES_MISMATCH",
        "message": "mistakes is 0; the replay counts 2",
        "index": None,
    }
    assert json.loads(json.dumps(data)) == data
