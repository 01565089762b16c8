"""Profile statistics: streaks by UTC day, bests and averages per grid size and order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from core import Status, Streak, TrainingSession, Variant, merge, summarize
from tests.core.players import STARTED_AT, human_session


def on_day(offset: int, **kwargs: object) -> TrainingSession:
    session = human_session(**kwargs)
    return replace(session, started_at=STARTED_AT + timedelta(days=offset))


def test_consecutive_days_make_a_streak_and_a_gap_breaks_it() -> None:
    streak = Streak()
    for day in (1, 2, 3, 5, 6):
        streak = streak.extend(date(2026, 11, day))
    assert (streak.current, streak.longest, streak.last_day) == (2, 3, date(2026, 11, 6))
    assert streak.as_of(date(2026, 11, 7)) == 2
    assert streak.as_of(date(2026, 11, 8)) == 0


def test_several_games_on_one_day_count_once_and_late_syncs_do_not_reset() -> None:
    streak = Streak().extend(date(2026, 11, 1)).extend(date(2026, 11, 1)).extend(date(2026, 11, 2))
    assert streak.extend(date(2026, 10, 1)) == streak
    assert streak.current == 2


def test_summarize_a_history_in_any_order() -> None:
    sessions = [
        on_day(2),
        on_day(0, player=1),
        on_day(1, size=6, player=2),
        on_day(1, order="DESC", player=3),
    ]
    abandoned = replace(sessions[0], status=Status.ABANDONED, completion_time_ms=None)
    stats = summarize([*sessions, abandoned])
    assert stats.total_sessions == 5
    assert stats.completed_sessions == 4
    assert (stats.streak.current, stats.streak.longest) == (3, 3)
    five_asc = [s.completion_time_ms for s in (sessions[0], sessions[1])]
    assert stats.best_times["5-ASC"] == min(five_asc)
    assert stats.avg_times["5-ASC"] == round(sum(five_asc) / 2)
    assert set(stats.best_times) == {"5-ASC", "6-ASC", "5-DESC"}


def test_each_variant_keeps_its_own_bests_and_classic_keeps_the_first_waves_keys() -> None:
    classic = on_day(0, size=7)
    gorbov = replace(on_day(0, size=7, player=1), variant=Variant.GORBOV)
    stats = summarize([classic, gorbov])
    assert stats.best_times == {
        "7-ASC": classic.completion_time_ms,
        "gorbov-7-ASC": gorbov.completion_time_ms,
    }
    assert stats.completed == {"7-ASC": 1, "gorbov-7-ASC": 1}


def test_an_empty_history_has_no_streak_and_no_bests() -> None:
    stats = summarize([])
    assert (stats.total_sessions, stats.streak.current, stats.best_times) == (0, 0, {})


def test_merging_a_device_with_the_server_it_synced_to_counts_every_game_once() -> None:
    synced = [on_day(0), on_day(1, player=1), on_day(1, size=6, player=2)]
    offline = [on_day(2, player=3), on_day(3, player=4)]  # played since, not uploaded yet
    device, server = summarize([*synced, *offline]), summarize(synced)
    assert merge(device, server) == device
    assert merge(server, device) == device


def test_merging_before_a_new_device_pulled_the_history_takes_the_servers_record() -> None:
    everything = [on_day(day, player=day) for day in range(4)]
    server, device = summarize(everything), summarize(everything[2:])
    assert merge(device, server) == server


def test_a_merge_keeps_the_best_time_of_either_record_and_the_longest_streak() -> None:
    fast = on_day(0, player=1)
    slow = replace(on_day(5, player=2), completion_time_ms=fast.completion_time_ms + 5000)
    device, server = summarize([slow]), summarize([on_day(-2), on_day(-1), fast])
    merged = merge(device, server)
    assert merged.best_times["5-ASC"] == fast.completion_time_ms
    assert (merged.streak.longest, merged.streak.current, merged.streak.last_day) == (
        3,
        1,
        slow.started_at.date(),
    )
    assert merged.avg_times["5-ASC"] == server.avg_times["5-ASC"]  # the server holds more 5×5 games
