"""Fair play (issue 14): a bot never tops a board, late uploads never rank, per-user quotas hold.

These tests run on a server of their own with the real upload window (the shared server widens it
for its aged ticket pool), and small quotas counted in Redis.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis

import core
from tests.server.conftest import (
    REDIS_URL,
    ROOT,
    Api,
    Database,
    Server,
    duration_s,
    parse_time,
    play,
    practice,
    wait_for_upload,
)

BOARDS = {
    "ranked": ["/leaderboards/daily", "/leaderboards/all-time"],
    "daily": ["/leaderboards/daily-challenge"],
    "weekly": ["/leaderboards/weekly-challenge"],
}
UNVERIFIED_CAP = 3
UPLOADS_PER_MINUTE = 6
TICKETS_PER_MINUTE = 6


@pytest.fixture(scope="module")
def fair(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp(f"fair-{backend}")
    database = Database.create(backend, tmp)
    prefix = f"schulte-test-{uuid.uuid4().hex[:8]}"
    running = Server.start(
        database,
        tmp,
        ticket_ttl_seconds=str(2 * 24 * 3600),  # lets a test claim a start on the next UTC day
        unverified_payload_cap=str(UNVERIFIED_CAP),
        rate_upload_user=f"{UPLOADS_PER_MINUTE}/60",
        rate_ticket_user=f"{TICKETS_PER_MINUTE}/60",
        redis_url=REDIS_URL,
        redis_prefix=prefix,
    )
    yield running
    running.stop()
    database.close()
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def player(fair: Server) -> Iterator[Any]:
    made: list[Api] = []

    def make() -> Api:
        api = Api(fair.url)
        made.append(api)
        return api.register()

    yield make
    for api in made:
        api.http.close()


def review_cli(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 -- our own command line with test arguments
        [sys.executable, "-m", "server", "review", *args],
        cwd=ROOT, env=server.env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def issue_14_bot(ticket: dict[str, Any], seed: int = 14) -> dict[str, Any]:
    """The bot of issue 14: the board from the ticket's seed, correct taps 100–156 ms apart."""
    board = core.Board.generate(ticket["grid_size"], ticket["board_seed"])
    game = core.Game(
        board, ticket["order_mode"], max_time=120, mode=ticket["mode"], ticket_id=ticket["id"],
        started_at=parse_time(ticket["issued_at"]) + timedelta(milliseconds=200),
    )  # fmt: skip
    rng = random.Random(seed)
    now = 600.0
    for number in board.sequence():
        game.tap(board.index_of(number), now)
        now += rng.uniform(100, 156)
    return game.to_session().to_dict()


def sync(api: Api, *sessions: dict[str, Any]) -> list[dict[str, Any]]:
    return list(api.ok("POST", "/sessions/sync", json={"sessions": list(sessions)}))


def codes(result: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in result["reasons"]]


def user_ids(api: Api, path: str, **params: Any) -> list[str]:
    return [entry["user_id"] for entry in api.ok("GET", path, params={"limit": 100, **params})]


def held_bot(player: Any) -> tuple[Api, dict[str, Any]]:
    """A bot that played one ranked 5×5 board, and its (held) session."""
    bot = player()
    ticket = bot.ticket()
    session = issue_14_bot(ticket)
    wait_for_upload([ticket], [session])
    (result,) = sync(bot, session)
    assert result["verified"] is True and codes(result) == ["HELD_FOR_REVIEW"], result
    return bot, session


# Finding 1: held for review -----------------------------------------------------------------------


def test_the_bot_of_issue_14_is_held_and_never_ranks_on_any_board(player: Any) -> None:
    bot, honest = player(), player()
    tickets = {mode: bot.ticket(mode) for mode in BOARDS}
    sessions = {mode: issue_14_bot(ticket, seed=i) for i, (mode, ticket) in enumerate(tickets.items())}
    honest_ticket = honest.ticket()
    honest_game = play(honest_ticket, seed=5)
    wait_for_upload([*tickets.values(), honest_ticket], [*sessions.values(), honest_game])
    assert sessions["ranked"]["completion_time_ms"] < core.record_floor_ms(25)
    assert core.verify(sessions["ranked"]).ok  # what no human can do is rejected; this a human could, barely

    results = sync(bot, *sessions.values())
    assert [(r["result"], r["verified"], codes(r)) for r in results] == [
        ("created", True, ["HELD_FOR_REVIEW"])
    ] * 3
    assert sync(honest, honest_game)[0]["reasons"] == []  # a fast honest player is ranked at once
    for mode, paths in BOARDS.items():
        for path in paths:
            board = bot.get(path, params={"limit": 100}).json()
            assert bot.user["id"] not in [entry["user_id"] for entry in board["data"]], (mode, path)
            assert board["meta"]["me"] is None
    assert honest.user["id"] in user_ids(honest, "/leaderboards/all-time")
    history = bot.ok("GET", "/sessions")
    assert {(row["verified"], tuple(codes(row))) for row in history} == {(True, ("HELD_FOR_REVIEW",))}


def test_only_moderators_review_and_an_approved_result_ranks_as_of_its_achievement(
    player: Any, fair: Server
) -> None:
    bot, session = held_bot(player)
    moderator = player()
    for api in (bot, moderator):
        assert api.get("/review").status_code == 403
        refused = api.post(f"/review/{session['id']}/approve")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"

    made = review_cli(fair, "moderator", moderator.user["email"])
    assert made.returncode == 0, made.stderr
    queue = moderator.ok("GET", "/review")
    held = next(row for row in queue if row["id"] == session["id"])
    assert (held["user_id"], held["completion_time_ms"]) == (bot.user["id"], session["completion_time_ms"])
    assert session["id"] in review_cli(fair, "list").stdout

    decided = moderator.ok("POST", f"/review/{session['id']}/approve")
    assert decided == {"id": session["id"], "user_id": bot.user["id"], "review": "approved"}
    entry = next(e for e in bot.ok("GET", "/leaderboards/all-time", params={"limit": 100})
                 if e["user_id"] == bot.user["id"])  # fmt: skip
    assert parse_time(entry["achieved_at"]) == parse_time(session["completed_at"])
    assert bot.ok("GET", f"/sessions/{session['id']}")["reasons"] == []
    assert session["id"] not in [row["id"] for row in moderator.ok("GET", "/review")]
    assert moderator.post(f"/review/{session['id']}/reject").status_code == 404  # decided once


def test_a_rejected_result_reads_unverified_and_stays_off_the_boards(player: Any, fair: Server) -> None:
    bot, session = held_bot(player)
    rejected = review_cli(fair, "reject", session["id"])
    assert rejected.returncode == 0 and "rejected" in rejected.stdout, rejected.stderr
    again = sync(bot, session)[0]
    assert (again["result"], again["verified"], codes(again)) == ("duplicate", False, ["REJECTED_IN_REVIEW"])
    assert bot.user["id"] not in user_ids(bot, "/leaderboards/all-time")
    assert bot.ok("GET", f"/users/{bot.user['id']}/stats")["verified_sessions"] == 0
    assert review_cli(fair, "approve", str(uuid.uuid4())).returncode == 1


def test_a_leap_far_ahead_of_the_players_own_results_is_held_but_steady_play_is_not(player: Any) -> None:
    steady, leaper = player(), player()
    for api, pace in ((steady, (150.0, 280.0)), (leaper, (400.0, 700.0))):
        history = [practice(seed=100 + k, pace=pace) for k in range(core.plausibility.REVIEW_RECENT_RESULTS)]
        assert all(result["verified"] for result in sync(api, *history))
    tickets = [steady.ticket(), leaper.ticket()]
    games = [play(tickets[0], seed=8), play(tickets[1], seed=9, pace=(150.0, 230.0))]
    assert games[1]["completion_time_ms"] > core.record_floor_ms(25)  # only the leap can hold it
    wait_for_upload(tickets, games)
    assert sync(steady, games[0])[0]["reasons"] == []
    leap = sync(leaper, games[1])[0]
    assert leap["verified"] is True and codes(leap) == ["HELD_FOR_REVIEW"]
    assert "recent best" in leap["reasons"][0]["message"]


# Finding 2: the ticket's window ---------------------------------------------------------------------


def test_an_upload_after_the_tickets_window_is_kept_verified_late_and_unranked(player: Any) -> None:
    """The issue's player studied the board for 25 s, then played it, dating the start after the study."""
    studier, late_challenger = player(), player()
    ranked, daily = studier.ticket(), late_challenger.ticket("daily")
    time.sleep(25)
    studied = play(ranked, seed=21, started_at=datetime.now(UTC))
    time.sleep(duration_s(studied))
    result = sync(studier, studied)[0]
    assert (result["result"], result["verified"], codes(result)) == ("created", True, ["LATE_UPLOAD"])
    challenge = sync(late_challenger, play(daily, seed=22))[0]
    assert codes(challenge) == ["LATE_UPLOAD"]
    for api in (studier, late_challenger):
        for path in (*BOARDS["ranked"], *BOARDS["daily"]):
            assert api.user["id"] not in user_ids(api, path), path
    assert codes(studier.ok("GET", "/sessions")[0]) == ["LATE_UPLOAD"]


def test_a_ranked_game_takes_its_start_and_day_from_its_ticket(player: Any) -> None:
    api = player()
    ticket = api.ticket()
    issued = parse_time(ticket["issued_at"])
    tomorrow = issued + timedelta(days=1)
    session = play(ticket, seed=23, started_at=tomorrow)  # within the ticket's (long) life, a day ahead
    wait_for_upload([ticket], [session])
    result = sync(api, session)[0]
    assert result["verified"] is True and result["reasons"] == [], result
    stored = api.ok("GET", "/sessions")[0]
    assert issued <= parse_time(stored["started_at"]) <= datetime.now(issued.tzinfo)
    day = core.challenge_period("daily", issued)
    assert api.user["id"] in user_ids(api, f"/leaderboards/daily/{day}")
    next_day = core.challenge_period("daily", tomorrow)
    assert api.user["id"] not in user_ids(api, f"/leaderboards/daily/{next_day}")

    early = api.ticket()
    backdated = play(early, seed=24, started_at=parse_time(early["issued_at"]) - timedelta(seconds=30))
    wait_for_upload([early], [backdated])
    assert sync(api, backdated)[0]["reasons"] == []
    stored = next(row for row in api.ok("GET", "/sessions") if row["id"] == backdated["id"])
    assert parse_time(stored["started_at"]) == parse_time(early["issued_at"])


# Finding 3: quotas --------------------------------------------------------------------------------


def test_uploads_and_tickets_past_the_per_user_quota_are_rate_limited(player: Any) -> None:
    busy, other = player(), player()
    for _ in range(UPLOADS_PER_MINUTE):
        sync(busy, practice(seed=40))
    refused = busy.post("/sessions/sync", json={"sessions": [practice(seed=41)]})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "RATE_LIMITED"
    assert int(refused.headers["Retry-After"]) > 0
    assert busy.post("/sessions", json=practice(seed=42)).status_code == 429
    for _ in range(TICKETS_PER_MINUTE):
        busy.ticket()
    refused = busy.post("/tickets", json={"mode": "ranked", "grid_size": 5, "order_mode": "ASC"})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "RATE_LIMITED"
    assert sync(other, practice(seed=43))[0]["result"] == "created"  # quotas are per user
    other.ticket()


def test_past_the_cap_unverified_sessions_keep_their_summary_but_not_their_tap_log(player: Any) -> None:
    api = player()
    forged = []
    for k in range(UNVERIFIED_CAP + 2):
        session = practice(seed=50 + k)
        session["mistakes"] += 1  # a claimed total that the replay contradicts: unverified
        forged.append(session)
    genuine = practice(seed=60)
    results = sync(api, *forged, genuine)
    assert [("TAP_LOG_DROPPED" in codes(r), r["verified"]) for r in results] == [
        *[(False, False)] * UNVERIFIED_CAP, (True, False), (True, False), (False, True),
    ]  # fmt: skip
    assert "MISTAKES_MISMATCH" in codes(results[-2])  # the verdict is kept with the summary
    kept, dropped = (api.ok("GET", f"/sessions/{s['id']}") for s in (forged[0], forged[-1]))
    assert len(kept["tap_events"]) == len(forged[0]["tap_events"])
    assert dropped["tap_events"] == [] and dropped["completion_time_ms"] == forged[-1]["completion_time_ms"]
    assert len(api.ok("GET", f"/sessions/{genuine['id']}")["tap_events"]) == len(genuine["tap_events"])
    assert (
        api.ok("GET", f"/users/{api.user['id']}/stats")["total_sessions"] == len(forged) + 1
    )  # nothing lost


def test_the_review_command_explains_its_usage(fair: Server) -> None:
    wrong = review_cli(fair, "promote")
    assert wrong.returncode == 2 and "usage" in wrong.stderr
    assert review_cli(fair, "moderator", "nobody@example.com").returncode == 1
