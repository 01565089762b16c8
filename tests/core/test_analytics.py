"""The dashboard's figures, as data: what a player would read off each chart."""

from __future__ import annotations

import json
import statistics
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import (
    HEATMAP_GAMES,
    PRACTICE_POINTS,
    ROLLING_WINDOW,
    Board,
    DateRange,
    Status,
    TrainingSession,
    dashboard,
)
from tests.core.players import STARTED_AT, at, human_session, paced_game

DAY = timedelta(days=1)


def daily_games(count: int, **kwargs: object) -> list[TrainingSession]:
    """``count`` genuine games, one a day at 09:14 UTC, each by a different simulated player."""
    return [at(human_session(seed=n, player=n, **kwargs), STARTED_AT + n * DAY) for n in range(count)]


def times(sessions: list[TrainingSession]) -> list[float]:
    return [s.completion_time_ms for s in sessions if s.completion_time_ms is not None]


def test_the_time_trend_shows_each_game_its_rolling_median_and_the_best_so_far() -> None:
    games = daily_games(25)
    board = dashboard(games).by_key["5-ASC"]
    expected = times(games)
    assert list(board.time_ms) == expected
    assert board.number == tuple(range(1, 26))
    assert board.started_at_ms[:2] == tuple(round(s.started_at.timestamp() * 1000) for s in games[:2])
    for n in range(1, 26):
        window = expected[max(0, n - ROLLING_WINDOW) : n]
        assert board.rolling_median_ms[n - 1] == round(statistics.median(window), 1)
        assert board.best_so_far_ms[n - 1] == min(expected[:n])
    assert board.best_ms == min(expected)


def test_a_game_that_fails_verification_never_becomes_the_best() -> None:
    games = daily_games(3)
    forged = at(replace(human_session(seed=9, player=9), completion_time_ms=1000.0), STARTED_AT + 5 * DAY)
    board = dashboard([*games, forged]).by_key["5-ASC"]
    assert board.time_ms[-1] == 1000.0  # shown as played
    assert board.best_ms == min(times(games))


def test_the_servers_verdicts_decide_the_best_when_given() -> None:
    games = daily_games(4)
    fastest = min(games, key=lambda s: s.completion_time_ms or 0)
    board = dashboard(games, verified=lambda s: s.id != fastest.id).by_key["5-ASC"]
    assert board.best_ms == min(t for s, t in zip(games, times(games), strict=True) if s is not fastest)


def test_the_error_rate_is_wrong_taps_over_all_taps_with_a_rolling_mean() -> None:
    clean, sloppy = human_session(player=1), human_session(player=2, mistakes=5)
    board = dashboard([clean, at(sloppy, STARTED_AT + DAY)]).by_key["5-ASC"]
    assert board.error_rate == (0.0, 5 / 30)
    assert board.rolling_error_rate == (0.0, 5 / 30 / 2)


def test_consistency_is_zero_for_an_even_pace_and_grows_with_an_uneven_one() -> None:
    even = paced_game([400.0] * 24).to_session()
    uneven = at(paced_game([200.0, 600.0] * 12).to_session(), STARTED_AT + DAY)
    steady, jumpy = dashboard([even, uneven]).by_key["5-ASC"].consistency
    assert steady == pytest.approx(0.0, abs=1e-6)
    assert jumpy == pytest.approx(0.5)  # gaps of 200 and 600: sd 200 over mean 400


def test_a_paused_game_has_no_consistency_and_adds_nothing_to_the_heatmaps() -> None:
    paused = human_session(pause_ms=5000.0)
    board = dashboard([paused]).by_key["5-ASC"]
    assert board.consistency == (None,)
    assert set(board.cell_medians_ms) == {None}
    assert board.heatmap_games == 0


def test_the_slow_number_and_the_cell_it_sat_in_stand_out() -> None:
    gaps = [300.0] * 24
    gaps[12] = 3000.0  # the 14th number (token 14) takes ten times longer to find
    games = [at(paced_game(gaps, seed=1).to_session(), STARTED_AT + day * DAY) for day in range(3)]
    board = dashboard(games).by_key["5-ASC"]
    tokens = list(board.token_medians_ms)
    assert tokens[13] == 3000.0
    assert tokens[0] == 900.0  # the first search, from the board appearing
    assert set(tokens[1:13] + tokens[14:]) == {300.0}
    slow_cell = Board.generate(5, 1).index_of(14)
    assert board.cell_medians_ms[slow_cell] == 3000.0
    assert sorted(board.cell_medians_ms).count(3000.0) == 1


def test_with_reshuffle_time_is_charged_to_the_cell_where_the_number_was_found() -> None:
    gaps = [300.0] * 24
    gaps[5] = 2500.0
    game = paced_game(gaps, seed=4, reshuffle=True)
    found = next(tap.cell_index for tap in game.taps if tap.correct and tap.expected_value == 7)
    board = dashboard([game.to_session()]).by_key["5-ASC"]
    assert board.cell_medians_ms[found] == 2500.0
    assert board.cell_medians_ms.count(2500.0) == 1


def test_the_first_search_counts_from_the_moment_the_board_appeared() -> None:
    board = dashboard([paced_game([300.0] * 24, first_ms=1700.0).to_session()]).by_key["5-ASC"]
    assert board.token_medians_ms[0] == 1700.0


def test_the_practice_curve_pools_games_into_at_most_twenty_blocks_by_games_played() -> None:
    games = daily_games(45)
    curve = dashboard(games).by_key["5-ASC"].practice_curve
    assert len(curve) <= PRACTICE_POINTS
    assert [n for n, _ in curve][:2] == [3, 6]  # 45 games in blocks of 3
    assert curve[0][1] == round(statistics.median(times(games)[:3]), 1)
    assert curve[-1][0] == 45


def test_a_date_range_shows_recent_games_but_keeps_their_place_in_the_history() -> None:
    games = daily_games(40)
    now = STARTED_AT + 40 * DAY
    figures = dashboard(games, DateRange.last_days(30, now))
    board = figures.by_key["5-ASC"]
    assert figures.games == 30 == board.games
    assert board.number[0] == 11
    assert board.rolling_median_ms[0] == round(statistics.median(times(games)[1:11]), 1)
    assert board.best_so_far_ms[0] == min(times(games)[:11])
    assert board.best_ms == min(times(games))  # a best set before the range still stands


def test_boards_are_apart_by_variant_size_and_order_most_played_first() -> None:
    games = [
        *daily_games(3),
        *daily_games(2, order="DESC"),
        *daily_games(1, size=7, variant="gorbov"),
    ]
    figures = dashboard(games)
    assert [board.key for board in figures.boards] == ["5-ASC", "5-DESC", "gorbov-7-ASC"]
    assert len(figures.by_key["gorbov-7-ASC"].cell_medians_ms) == 49


def test_the_weekday_hour_heatmap_uses_the_players_local_time() -> None:
    monday_late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # Tuesday 01:30 at UTC+2
    figures = dashboard([at(human_session(), monday_late)], utc_offset_minutes=120)
    assert figures.weekday_hour_games[1][1] == 1
    assert sum(map(sum, figures.weekday_hour_games)) == 1
    assert figures.weekday_hour_relative[1][1] == 1.0  # the only game is its board's median


def test_a_game_early_on_monday_in_utc_is_a_sunday_evening_game_west_of_it() -> None:
    monday_early = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Sunday 21:00 at UTC−5
    figures = dashboard([at(human_session(), monday_early)], utc_offset_minutes=-300)
    assert figures.weekday_hour_games[6][21] == 1
    assert [(week.week, week.monday) for week in figures.weeks] == [("2026-W48", "2026-11-23")]


def test_games_per_week_include_the_empty_weeks_between() -> None:
    games = [at(human_session(player=n), STARTED_AT + n * 7 * DAY) for n in (0, 0, 2)]
    weeks = dashboard(games).weeks
    assert [(w.week, w.games) for w in weeks] == [("2026-W48", 2), ("2026-W49", 0), ("2026-W50", 1)]


def test_the_streak_counts_days_in_a_row_and_is_dated_by_today() -> None:
    games = daily_games(4)
    last = (STARTED_AT + 3 * DAY).date()
    assert dashboard(games).current_streak == 4
    assert dashboard(games, today=last + 2 * DAY).current_streak == 0
    assert dashboard(games, today=date(2030, 1, 1)).streak.longest == 4


def test_the_heatmaps_use_the_last_games_of_the_range_only() -> None:
    slow = [300.0] * 24
    slow[3] = 5000.0
    old = [at(paced_game(slow).to_session(), STARTED_AT + n * DAY) for n in range(3)]
    new = [
        at(paced_game([300.0] * 24).to_session(), STARTED_AT + (n + 3) * DAY) for n in range(HEATMAP_GAMES)
    ]
    board = dashboard([*old, *new]).by_key["5-ASC"]
    assert board.heatmap_games == HEATMAP_GAMES
    assert board.token_medians_ms[4] == 300.0  # the old games' slow 5 is history
    assert board.games == HEATMAP_GAMES + 3


def test_an_unfinished_game_adds_what_it_found_to_the_heatmaps() -> None:
    game = paced_game([300.0] * 10, first_ms=700.0)
    game.abandon(4000.0)
    board = dashboard([game.to_session()]).by_key["5-ASC"]
    assert board.token_medians_ms[:11] == (700.0, *[300.0] * 10)
    assert set(board.token_medians_ms[11:]) == {None}
    assert board.time_ms == (None,) and board.status == ("abandoned",)


def test_the_figures_are_json_with_numbers_codes_and_dates_but_no_sentences() -> None:
    wire = json.loads(json.dumps(dashboard(daily_games(3)).to_dict()))
    strings: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            strings.append(value)

    walk(wire)
    assert strings
    assert all(" " not in text for text in strings), [text for text in strings if " " in text]
    assert wire["boards"][0]["key"] == "5-ASC"


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"utc_offset_minutes": 2000}, "±840"),
        ({"date_range": "last 30 days"}, "DateRange"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, object], problem: str) -> None:
    with pytest.raises((TypeError, ValueError), match=problem):
        dashboard([], **kwargs)  # type: ignore[arg-type]


def test_a_naive_or_backwards_date_range_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        DateRange(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="before since"):
        DateRange(STARTED_AT, STARTED_AT - DAY)


POOL = [human_session(size=size, seed=n, player=n, mistakes=n % 3) for n, size in enumerate((3, 5, 5, 6, 7))]


@settings(max_examples=40, deadline=None)
@given(
    games=st.lists(
        st.tuples(
            st.integers(0, len(POOL) - 1),
            st.integers(0, 24 * 90),
            st.sampled_from(["completed", "timeout", "abandoned"]),
        ),
        max_size=40,
    ),
    offset=st.integers(-840, 840),
    since_hours=st.none() | st.integers(0, 24 * 90),
)
def test_every_history_gives_figures_that_add_up(
    games: list[tuple[int, int, str]], offset: int, since_hours: int | None
) -> None:
    history = []
    for pick, hours, status in games:
        session = at(POOL[pick], STARTED_AT + timedelta(hours=hours))
        if status != "completed":
            session = replace(session, status=Status(status), completion_time_ms=None)
        history.append(replace(session, id=str(uuid.uuid4())))
    since = None if since_hours is None else STARTED_AT + timedelta(hours=since_hours)
    figures = dashboard(history, DateRange(since), utc_offset_minutes=offset)
    shown = [s for s in history if since is None or s.started_at >= since]
    assert figures.games == len(shown) == sum(board.games for board in figures.boards)
    assert sum(week.games for week in figures.weeks) == len(shown)
    completed = sum(s.status is Status.COMPLETED for s in shown)
    assert sum(map(sum, figures.weekday_hour_games)) == completed
    for board in figures.boards:
        columns = [board.number, board.started_at_ms, board.status, board.time_ms, board.rolling_median_ms]
        columns += [board.best_so_far_ms, board.error_rate, board.rolling_error_rate, board.consistency]
        assert {len(column) for column in columns} == {board.games}
        assert len(board.cell_medians_ms) == len(board.token_medians_ms) == board.grid_size**2
        bests = [best for best in board.best_so_far_ms if best is not None]
        assert bests == sorted(bests, reverse=True)  # a best only ever improves
    assert json.loads(json.dumps(figures.to_dict()))["games"] == len(shown)
