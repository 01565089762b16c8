"""The wire format: round trips exactly, and malformed input is rejected naming the field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from core import SessionFormatError, TrainingSession
from tests.core.players import human_dict

CONTRACT_EXAMPLE_KEYS = [
    "id", "schema_version", "mode", "ticket_id", "grid_size", "order_mode", "max_time", "hint_enabled",
    "board_seed", "started_at", "completed_at", "status", "completion_time_ms", "paused_ms", "mistakes",
    "accuracy", "tap_events", "variant", "reshuffle", "series",
]  # fmt: skip


def test_to_dict_writes_the_contract_fields_in_order_and_survives_json() -> None:
    wire = human_dict(mistakes=1)
    assert list(wire) == CONTRACT_EXAMPLE_KEYS
    assert list(wire["tap_events"][0]) == [
        "cell_index",
        "expected_value",
        "tapped_value",
        "correct",
        "timestamp_ms",
    ]
    assert wire["started_at"] == "2026-11-25T09:14:03.120Z"
    again = TrainingSession.from_dict(json.loads(json.dumps(wire)))
    assert again.to_dict() == wire


def test_times_with_offsets_are_normalised_to_utc() -> None:
    wire = human_dict()
    wire["started_at"] = "2026-11-25T10:14:03.120+01:00"
    assert TrainingSession.from_dict(wire).to_dict()["started_at"] == "2026-11-25T09:14:03.120Z"


def mutated(path: list[Any], value: Any) -> dict[str, Any]:
    wire = copy.deepcopy(human_dict(mistakes=1))
    target: Any = wire
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return wire


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        (["id"], "not-a-uuid", "id", "must be a UUID"),
        (["id"], KeyError, "id", "is missing"),
        (["schema_version"], 3, "schema_version", "unsupported version 3, expected 1 or 2"),
        (["mode"], "casual", "mode", "must be one of ['practice', 'ranked', 'daily', 'weekly', 'duel']"),
        (["grid_size"], 11, "grid_size", "must be 3 … 10, got 11"),
        (["grid_size"], "5", "grid_size", "must be an integer, got str"),
        (["grid_size"], True, "grid_size", "must be an integer, got bool"),
        (["order_mode"], "asc", "order_mode", "must be one of ['ASC', 'DESC'], got 'asc'"),
        (["max_time"], 10, "max_time", "must be in 30..300, got 10"),
        (["hint_enabled"], "no", "hint_enabled", "must be true or false, got str"),
        (["board_seed"], 2**53, "board_seed", "must be in 0..9007199254740991"),
        (["board_seed"], 10**5000, "board_seed", "a 16610-bit integer"),
        (["started_at"], "yesterday", "started_at", "must be an ISO 8601 UTC time"),
        (["started_at"], "2026-11-25T09:14:03", "started_at", "must carry a time zone"),
        (["status"], "won", "status", "must be one of ['completed', 'timeout', 'abandoned']"),
        (["completion_time_ms"], -1, "completion_time_ms", "must be in 0..300000"),
        (["paused_ms"], float("inf"), "paused_ms", "must be in 0"),
        (["mistakes"], -1, "mistakes", "must be in 0..3000"),
        (["accuracy"], 100.5, "accuracy", "must be in 0..100"),
        (["tap_events"], {}, "tap_events", "must be a list, got dict"),
        (["tap_events", 0], [1, 2], "tap_events[0]", "must be an object, got list"),
        (["tap_events", 2, "cell_index"], 25, "tap_events[2].cell_index", "must be in 0..24 on a 5x5 board"),
        (["tap_events", 2, "tapped_value"], 26, "tap_events[2].tapped_value", "must be in 1..25"),
        (["tap_events", 1, "correct"], 1, "tap_events[1].correct", "must be true or false, got int"),
        (["tap_events", 1, "timestamp_ms"], None, "tap_events[1].timestamp_ms", "must be a number, got null"),
        (["tap_events", 1, "timestamp_ms"], float("nan"), "tap_events[1].timestamp_ms", "must be in"),
        (["tap_events", 3, "extra"], 1, "tap_events[3].extra", "is not a field of the session format"),
        (["user_id"], "u1", "user_id", "is not a field of the session format"),
    ],
    ids=lambda value: "huge-int" if isinstance(value, int) and value.bit_length() > 64 else None,
)
def test_from_dict_names_the_bad_field(path: list[Any], value: Any, field: str, problem: str) -> None:
    with pytest.raises(SessionFormatError) as raised:
        TrainingSession.from_dict(mutated(path, value))
    assert raised.value.field == field
    assert problem in raised.value.problem


def test_ranked_sessions_must_carry_their_ticket() -> None:
    with pytest.raises(SessionFormatError, match="ticket_id: must be a ticket id in ranked mode, got null"):
        TrainingSession.from_dict(mutated(["mode"], "ranked"))


@pytest.mark.parametrize("data", [None, [], "session", 42, b"{}"])
def test_anything_but_an_object_is_rejected(data: object) -> None:
    with pytest.raises(SessionFormatError, match="session: must be an object"):
        TrainingSession.from_dict(data)


def test_a_tap_log_longer_than_a_game_is_rejected_before_reading_it() -> None:
    wire = human_dict()
    wire["tap_events"] = [None] * 3001
    with pytest.raises(SessionFormatError, match="more than a game can produce"):
        TrainingSession.from_dict(wire)
