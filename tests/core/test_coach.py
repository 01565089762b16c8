"""The adaptive coach: one knob at a time towards about 80 % success, and a fit that finds difficulties."""

from __future__ import annotations

import json
import math
import random
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import (
    DEFAULT_MODEL,
    MAX_TIME_LADDER,
    MAX_TIME_RANGE,
    REASON_TEMPLATES,
    SCALE,
    CoachModel,
    CoachModelError,
    Configuration,
    Order,
    Status,
    TrainingSession,
    Variant,
    allowed_mistakes,
    coach_row,
    fit_difficulties,
    player_rating,
    suggest,
)
from tests.core.players import STARTED_AT, human_session

TEMPLATE = human_session()


def played(
    config: Configuration, success: bool, n: int, *, mistakes: int = 0, **changes: object
) -> TrainingSession:
    """A game of ``config`` (the n-th of the history) that succeeded or timed out.

    The coach reads only the configuration and the outcome, so the tap log is the template's.
    """
    outcome = {"status": Status.COMPLETED, "completion_time_ms": config.max_time * 600.0}
    if not success:
        outcome = {"status": Status.TIMEOUT, "completion_time_ms": None}
    return replace(
        TEMPLATE,
        id=str(uuid.uuid4()),
        variant=config.variant,
        grid_size=config.grid_size,
        order_mode=config.order_mode,
        max_time=config.max_time,
        started_at=STARTED_AT + timedelta(minutes=n),
        mistakes=mistakes,
        **outcome,  # type: ignore[arg-type]  # the two fields of the chosen outcome
        **changes,  # type: ignore[arg-type]  # a test's extra fields
    )


FIVE = Configuration(Variant.CLASSIC, 5, Order.ASC, 60)


def config_of(suggestion: object) -> Configuration:
    return Configuration(
        suggestion.variant,  # type: ignore[attr-defined]
        suggestion.grid_size,  # type: ignore[attr-defined]
        suggestion.order_mode,  # type: ignore[attr-defined]
        suggestion.max_time,  # type: ignore[attr-defined]
    )


def knobs_changed(a: Configuration, b: Configuration) -> int:
    return sum(
        getattr(a, name) != getattr(b, name) for name in ("variant", "grid_size", "order_mode", "max_time")
    )


def test_a_new_player_starts_on_classic_five_by_five_with_a_reason() -> None:
    first = suggest([])
    assert (first.grid_size, first.order_mode, first.variant) == (5, Order.ASC, Variant.CLASSIC)
    assert first.max_time in MAX_TIME_LADDER
    assert first.reason_code == "START"
    assert first.reason.startswith("5×5 ascending in ")


def test_a_player_who_keeps_succeeding_is_moved_up_one_knob_and_told_why() -> None:
    history = [played(FIVE, True, n) for n in range(5)]
    advice = suggest(history)
    assert knobs_changed(FIVE, config_of(advice)) == 1
    assert DEFAULT_MODEL.chance(player_rating(history), config_of(advice)) < DEFAULT_MODEL.chance(
        player_rating(history), FIVE
    )
    assert advice.reason_code in {"SIZE_UP", "TIME_DOWN", "ORDER_CHANGE"}
    assert "in 5 of your last 5" in advice.reason
    assert advice.reason.endswith(".") and advice.reason.count(".") == 1


def test_a_player_who_keeps_failing_is_moved_down_one_knob() -> None:
    history = [played(FIVE, False, n) for n in range(5)]
    advice = suggest(history)
    assert knobs_changed(FIVE, config_of(advice)) == 1
    assert advice.reason_code in {"SIZE_DOWN", "TIME_UP", "ORDER_CHANGE"}
    assert "in none of your last 5" in advice.reason


def test_the_reason_example_of_the_issue_reads_as_written() -> None:
    strong = Configuration(Variant.CLASSIC, 5, Order.ASC, 30)
    history = [played(strong, n != 2, n) for n in range(5)]
    model = CoachModel({"5-ASC": math.log(15.0), "6-ASC": math.log(20.0), "5-DESC": math.log(60.0)})
    advice = suggest(history, model)
    assert advice.reason_code == "SIZE_UP"
    assert (
        advice.reason == "6×6 next: you finished 5×5 within 30 s with at most 2 mistakes in 4 of your last 5."
    )
    assert advice.reason_params == {
        "grid_size": 6,
        "order_mode": "ASC",
        "variant": "classic",
        "max_time": 30,
        "chance": advice.reason_params["chance"],
        "from_grid_size": 5,
        "from_order_mode": "ASC",
        "from_max_time": 30,
        "successes": 4,
        "recent": 5,
        "mistakes": 2,
    }


def test_one_game_is_told_as_one_game() -> None:
    advice = suggest([played(FIVE, True, 0)])
    assert advice.reason == "5×5 ascending in 60 s again: you succeeded in your last game."
    weak = Configuration(Variant.CLASSIC, 5, Order.ASC, 30)
    assert suggest([played(weak, False, 0)]).reason == (
        "4×4 next: you did not finish 5×5 within 30 s with at most 2 mistakes."
    )


def test_too_many_mistakes_make_a_completed_game_a_failure() -> None:
    sloppy = played(FIVE, True, 0, mistakes=allowed_mistakes(5) + 1)
    clean = played(FIVE, True, 0, mistakes=allowed_mistakes(5))
    assert coach_row(sloppy) == ("5-ASC", 60, False)
    assert coach_row(clean) == ("5-ASC", 60, True)
    assert player_rating([sloppy]) < 0 < player_rating([clean])


@pytest.mark.parametrize(
    "changes",
    [{"hint_enabled": True}, {"reshuffle": True}, {"status": Status.ABANDONED, "completion_time_ms": None}],
    ids=["hint", "reshuffle", "abandoned"],
)
def test_games_with_a_hint_or_reshuffle_and_abandoned_games_are_not_rated(changes: dict[str, object]) -> None:
    game = replace(played(FIVE, True, 0), **changes)  # type: ignore[arg-type]
    assert coach_row(game) is None
    assert player_rating([game]) == 0.0
    assert suggest([game]).reason_code == "START"


def test_the_variant_is_the_players_choice_and_stays() -> None:
    gorbov = Configuration(Variant.GORBOV, 7, Order.ASC, 180)
    for success in (True, False):
        advice = suggest([played(gorbov, success, n) for n in range(6)])
        assert advice.variant is Variant.GORBOV


def test_letters_never_go_beyond_five_by_five() -> None:
    top = Configuration(Variant.LETTERS, 5, Order.DESC, 30)
    advice = suggest([played(top, True, n) for n in range(30)])
    assert advice.grid_size <= 5
    assert advice.reason_code == "KEEP"  # nothing harder is left


@settings(max_examples=60, deadline=None)
@given(
    outcomes=st.lists(st.booleans(), min_size=1, max_size=25),
    size=st.sampled_from([3, 5, 7, 10]),
    max_time=st.integers(*MAX_TIME_RANGE),
    order=st.sampled_from(list(Order)),
)
def test_every_suggestion_changes_at_most_one_knob_and_stays_playable(
    outcomes: list[bool], size: int, max_time: int, order: Order
) -> None:
    config = Configuration(Variant.CLASSIC, size, order, max_time)
    advice = suggest([played(config, success, n) for n, success in enumerate(outcomes)])
    assert knobs_changed(config, config_of(advice)) <= 1
    assert advice.grid_size in Variant.CLASSIC.sizes
    assert MAX_TIME_RANGE[0] <= advice.max_time <= MAX_TIME_RANGE[1]
    assert advice.reason_code in REASON_TEMPLATES
    assert json.loads(json.dumps(advice.to_dict()))["reason"] == advice.reason


@pytest.mark.parametrize("ability", [-1.5, 0.0, 2.0, 3.0])
def test_a_player_who_follows_the_coach_succeeds_about_four_times_in_five(ability: float) -> None:
    """A simulated player of fixed true ability, whose outcomes follow the model, plays 250 games."""
    rng = random.Random(12)
    history: list[TrainingSession] = []
    outcomes = []
    for n in range(250):
        config = config_of(suggest(history))
        success = rng.random() < DEFAULT_MODEL.chance(ability, config)
        outcomes.append(success)
        history.append(played(config, success, n))
    settled = outcomes[50:]
    assert 0.7 <= sum(settled) / len(settled) <= 0.9
    assert abs(player_rating(history) - ability) < 0.8


def test_a_model_travels_as_json_and_a_bad_one_is_refused_by_field() -> None:
    model = CoachModel({"5-ASC": 3.5, "gorbov-7-DESC": 5.25}, SCALE, players=12, games=340)
    assert CoachModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model
    assert CoachModel.from_dict(DEFAULT_MODEL.to_dict()) == DEFAULT_MODEL
    for bad, field in [
        ({"difficulties": {"5-ASC": "hard"}}, "difficulties"),
        ({"difficulties": {}, "scale": 0}, "scale"),
        ({"difficulties": {}, "games": -1}, "games"),
        ({"difficulties": {}, "extra": 1}, "extra"),
        ([], "object"),
    ]:
        with pytest.raises(CoachModelError, match=field) as error:
            CoachModel.from_dict(bad)
        assert error.value.code == "BAD_COACH_MODEL"


def test_the_default_table_covers_every_board_and_orders_them_sensibly() -> None:
    table = DEFAULT_MODEL.difficulties
    assert len(table) == sum(len(variant.sizes) * 2 for variant in Variant)
    assert table["3-ASC"] < table["5-ASC"] < table["10-ASC"]
    assert table["5-ASC"] < table["5-DESC"] and table["7-ASC"] < table["gorbov-7-ASC"]
    assert math.exp(table["5-ASC"]) == pytest.approx(40.0, abs=0.01)


def test_the_fit_recovers_known_difficulties_from_synthetic_players() -> None:
    rng = random.Random(2026)
    true_b = {
        "4-ASC": math.log(22.0),
        "5-ASC": math.log(30.0),  # the default guesses 40 s
        "5-DESC": math.log(38.0),
        "6-ASC": math.log(60.0),
        "7-ASC": math.log(75.0),
        "gorbov-7-ASC": math.log(150.0),
    }
    truth = CoachModel(true_b)
    rows = []
    for player in range(400):
        ability = rng.gauss(0.0, 1.0)
        for _ in range(30):
            key = rng.choice(sorted(true_b))
            variant = Variant.GORBOV if key.startswith("gorbov") else Variant.CLASSIC
            size, order = int(key.split("-")[-2]), Order(key.split("-")[-1])
            config = Configuration(variant, size, order, rng.choice(MAX_TIME_LADDER))
            rows.append((f"p{player}", key, config.max_time, rng.random() < truth.chance(ability, config)))
    fitted = fit_difficulties(rows)
    assert (fitted.players, fitted.games) == (400, 12_000)
    for key, value in true_b.items():
        assert abs(fitted.difficulties[key] - value) < 0.08, key  # within 8 % in time
    assert abs(DEFAULT_MODEL.difficulties["5-ASC"] - true_b["5-ASC"]) > 0.25  # so the fit really moved
    assert fitted.difficulties["9-ASC"] == DEFAULT_MODEL.difficulties["9-ASC"]  # unplayed: the prior


def test_the_fit_stays_finite_and_ordered_when_every_game_at_a_generous_limit_succeeds_or_fails() -> None:
    """At 120 s nearly every chance is near 0 or 1, where a full Newton step overshot by tens of logits."""
    mixed = [(p, "5-ASC", 120, g % 4 != 0) for p in range(6) for g in range(8)]
    mixed += [(p, "5-DESC", 120, g % 4 == 0) for p in range(6) for g in range(8)]
    fitted = fit_difficulties(mixed)
    assert 3.0 < fitted.difficulties["5-ASC"] < fitted.difficulties["5-DESC"] < 6.0
    separable = [(p, "5-ASC", 120, True) for p in range(6) for _ in range(40)]
    separable += [(p, "5-DESC", 120, False) for p in range(6) for _ in range(40)]
    fitted = fit_difficulties(separable)
    assert fitted.difficulties["5-DESC"] - fitted.difficulties["5-ASC"] > 1.0
    assert all(-20 < b < 20 for b in fitted.difficulties.values())


def test_the_fit_refuses_rows_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="max_time"):
        fit_difficulties([("p", "5-ASC", 5, True)])
    with pytest.raises(ValueError, match="max_time must be an int"):
        fit_difficulties([("p", "5-ASC", "60", True)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="board key"):
        fit_difficulties([("p", "five", 60, True)])
