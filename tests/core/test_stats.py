"""Profile statistics: streaks by UTC day, bests and averages per grid size and order."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta

from core import Stats, Status, Streak, TrainingSession, Variant, merge, summarize, verified_locally, verify
from tests.core.players import STARTED_AT, human_session


def on_day(offset: int, **kwargs: object) -> TrainingSession:
    session = human_session(**kwargs)
    assert session.completed_at is not None
    shift = timedelta(days=offset)
    return replace(session, started_at=STARTED_AT + shift, completed_at=session.completed_at + shift)


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


def forged_faster(session: TrainingSession) -> TrainingSession:
    """The same game claiming a time its tap log does not support: it fails verification."""
    assert session.completion_time_ms is not None
    return replace(session, id=str(uuid.uuid4()), completion_time_ms=session.completion_time_ms / 3)


def test_an_unverified_game_counts_as_played_but_never_sets_a_best_or_an_average() -> None:
    genuine = on_day(0, player=1)
    forged = forged_faster(on_day(1, player=2))
    stats = summarize([genuine, forged])
    assert (stats.total_sessions, stats.completed_sessions, stats.verified_sessions) == (2, 2, 1)
    assert stats.streak.current == 2  # the forged game still played on its day
    assert stats.best_times == {"5-ASC": genuine.completion_time_ms}
    assert stats.avg_times == {"5-ASC": genuine.completion_time_ms}
    assert stats.completed == {"5-ASC": 1}


def test_summarize_takes_the_servers_verdicts_when_given() -> None:
    games = [on_day(day, player=day) for day in range(3)]
    held = games[0].id  # genuine on the device, but the server kept it off (say, a late upload)
    stats = summarize(games, verified=lambda session: session.id != held)
    assert stats.completed["5-ASC"] == 2
    assert stats.best_times["5-ASC"] == min(s.completion_time_ms or 0 for s in games[1:])


def test_folding_one_game_at_a_time_in_order_gives_what_summarize_gives() -> None:
    games = [on_day(day % 4, player=day, size=5 + day % 2) for day in range(8)]
    games.append(forged_faster(games[3]))
    games.append(replace(games[2], id=str(uuid.uuid4()), status=Status.TIMEOUT, completion_time_ms=None))
    folded = Stats()
    for session in sorted(games, key=lambda s: s.started_at):
        folded = folded.add(session, verified=verify(session.to_dict()).ok)
    assert folded == summarize(reversed(games))
    assert folded.time_sums["6-ASC"] == sum(s.completion_time_ms or 0 for s in games[:8] if s.grid_size == 6)


def test_a_merge_never_shows_a_best_that_only_an_unverified_game_reached() -> None:
    genuine = on_day(0, player=1)
    server = summarize([genuine], verified=lambda session: True)
    device = summarize([genuine, forged_faster(on_day(1, player=2))])
    assert merge(device, server).best_times == {"5-ASC": genuine.completion_time_ms}


def test_each_variant_is_its_own_board_in_the_stats() -> None:
    classic, gorbov = on_day(0, size=7), on_day(1, size=7, variant="gorbov", player=3)
    stats = summarize([classic, gorbov])
    assert set(stats.best_times) == {"7-ASC", "gorbov-7-ASC"}


def test_a_remembered_verdict_never_covers_a_changed_copy_of_the_game() -> None:
    genuine = on_day(0, player=4)
    assert verified_locally(genuine) and verified_locally(genuine)
    tampered = replace(genuine, completion_time_ms=(genuine.completion_time_ms or 0) - 1000)
    assert not verified_locally(tampered)
    assert verified_locally(TrainingSession.from_dict(genuine.to_dict()))
