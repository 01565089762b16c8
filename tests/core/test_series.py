"""Five-table series: Rubinstein's indices, their readings, interrupted series and the trend."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest

from core import (
    SERIES_READINGS,
    Series,
    Status,
    TrainingSession,
    dashboard,
    efficiency,
    series_results,
    series_trend,
    stability,
    warm_up,
)
from tests.core.players import STARTED_AT, at, human_session

MINUTE = timedelta(minutes=1)


def play_series(
    times_ms: list[float | None], *, start: int = 0, size: int = 5, series_id: str | None = None
) -> list[TrainingSession]:
    """Tables 1 … len(times_ms) of one series, a minute apart, with the given times (None: timed out)."""
    sid = series_id or str(uuid.uuid4())
    tables = []
    for index, time in enumerate(times_ms, start=1):
        session = human_session(size=size, seed=index, player=index)
        session = replace(session, series=Series(sid, index), id=str(uuid.uuid4()))
        if time is None:
            session = replace(session, status=Status.TIMEOUT, completion_time_ms=None)
        else:
            session = replace(session, completion_time_ms=time)
        tables.append(at(session, STARTED_AT + (start + index) * MINUTE))
    return tables


def test_a_complete_series_gives_rubinsteins_efficiency_warm_up_and_stability() -> None:
    times = [40_000.0, 36_000.0, 35_000.0, 37_000.0, 34_000.0]
    (result,) = series_results(play_series(times))
    assert result.complete
    assert result.times_ms == tuple(times)
    assert result.efficiency_ms == round(efficiency(times), 1) == 36_400.0
    assert result.warm_up == round(warm_up(times), 4)
    assert result.stability == round(stability(times), 4)
    assert result.readings == ("WARMUP_NEEDED", "SLOWER_LATER", "ER_FIRST")


def test_a_quick_starter_with_a_held_pace_reads_so() -> None:
    (result,) = series_results(play_series([30_000.0, 33_000.0, 34_000.0, 31_000.0, 35_000.0]))
    assert result.readings[:2] == ("QUICK_START", "GOOD_STABILITY")


def test_each_series_is_read_against_the_previous_complete_one_on_its_board() -> None:
    base = [40_000.0] * 5
    tables = [
        *play_series(base),
        *play_series([38_500.0] * 5, start=10),  # 3.75 % faster: within the band
        *play_series([30_000.0] * 5, start=20),
        *play_series([40_000.0] * 5, start=30, size=6),  # another board: its own first
        *play_series([33_000.0] * 5, start=40),
    ]
    readings = [result.readings[2] for result in series_results(tables)]
    assert readings == ["ER_FIRST", "ER_SAME", "ER_FASTER", "ER_FIRST", "ER_SLOWER"]


@pytest.mark.parametrize(
    "times",
    [[40_000.0, 36_000.0, 35_000.0], [40_000.0, None, 35_000.0, 36_000.0, 37_000.0]],
    ids=["stopped after three", "a table timed out"],
)
def test_an_interrupted_series_is_kept_and_marked_incomplete(times: list[float | None]) -> None:
    (result,) = series_results(play_series(times))
    assert not result.complete
    assert result.readings == ("INCOMPLETE",)
    assert (result.efficiency_ms, result.warm_up, result.stability) == (None, None, None)
    assert result.times_ms[: len(times)] == tuple(times)
    assert len(result.times_ms) == 5


def test_a_repeated_index_or_another_board_under_the_same_id_does_not_count() -> None:
    tables = play_series([40_000.0] * 5)
    sid = tables[0].series.id if tables[0].series else ""
    (repeat,) = play_series([1_000.0], start=10, series_id=sid)
    (other_board,) = play_series([2_000.0], start=11, size=6, series_id=sid)
    (result,) = series_results([*tables, repeat, other_board])
    assert result.times_ms == (40_000.0,) * 5


def test_games_outside_a_series_are_not_series() -> None:
    assert series_results([human_session()]) == ()


def test_the_series_trend_lists_complete_series_of_one_board_over_time() -> None:
    tables = [
        *play_series([40_000.0] * 5),
        *play_series([35_000.0, 33_000.0], start=10),
        *play_series([30_000.0] * 5, start=20),
    ]
    trend = series_trend(series_results(tables), "5-ASC")
    assert [point["efficiency_ms"] for point in trend] == [40_000.0, 30_000.0]
    assert series_trend(series_results(tables), "6-ASC") == ()


def test_every_reading_is_a_listed_code_and_results_are_json() -> None:
    results = series_results([*play_series([40_000.0] * 5), *play_series([1.0, 2.0], start=9)])
    for result in results:
        assert set(result.readings) <= set(SERIES_READINGS)
        assert json.loads(json.dumps(result.to_dict()))["id"] == result.id


def test_the_dashboard_carries_the_series_of_its_range() -> None:
    tables = play_series([40_000.0] * 5)
    figures = dashboard(tables, verified=lambda s: True)
    assert [result.id for result in figures.series] == [tables[0].series.id if tables[0].series else ""]
    assert figures.to_dict()["series"][0]["complete"] is True
