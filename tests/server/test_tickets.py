"""Tickets and challenges: a counting attempt needs an unused ticket of yours for the same board."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import core
from server.config import derive_key
from tests.server.conftest import parse_time, play, wait_for_upload


def codes(result: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in result["reasons"]]


def sync_one(api: Any, session: dict[str, Any]) -> dict[str, Any]:
    return dict(api.ok("POST", "/sessions/sync", json={"sessions": [session]})[0])


def test_ranked_tickets_reveal_a_fresh_non_easy_board_bound_to_the_user(new_api: Any) -> None:
    player = new_api()
    tickets = [player.ticket(grid_size=6, order_mode="DESC") for _ in range(3)]
    assert len({ticket["board_seed"] for ticket in tickets}) == 3
    for ticket in tickets:
        assert (ticket["mode"], ticket["grid_size"], ticket["order_mode"]) == ("ranked", 6, "DESC")
        assert 0 <= ticket["board_seed"] < core.MAX_SEED
        assert not core.Board.generate(6, ticket["board_seed"]).is_easy
        assert parse_time(ticket["expires_at"]) > parse_time(ticket["issued_at"])


def test_tickets_need_sign_in_and_a_known_mode(new_api: Any) -> None:
    anonymous = new_api(register=False)
    assert anonymous.post("/tickets", json={"mode": "ranked"}).status_code == 401
    player = new_api()
    response = player.post("/tickets", json={"mode": "practice", "grid_size": 5, "order_mode": "ASC"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_another_players_ticket_does_not_count(pool: Any, new_api: Any) -> None:
    _, ticket = pool.take()
    thief = new_api()
    session = play(ticket, seed=61)
    wait_for_upload([ticket], [session])
    result = sync_one(thief, session)
    assert result["verified"] is False and "TICKET_NOT_YOURS" in codes(result)


def test_a_ticket_counts_once_a_second_session_on_it_is_rejected(pool: Any) -> None:
    player, ticket = pool.take()
    first, second = play(ticket, seed=62), play(ticket, seed=63)
    wait_for_upload([ticket, ticket], [first, second])
    assert sync_one(player, first)["verified"] is True
    result = sync_one(player, second)
    assert result["result"] == "created" and "TICKET_USED" in codes(result)
    assert sync_one(player, first)["result"] == "duplicate"


def test_a_session_on_another_grid_or_seed_than_its_ticket_is_a_mismatch(pool: Any) -> None:
    player, ticket = pool.take()
    other_board = ticket | {"grid_size": 6, "board_seed": 12345}
    while core.Board.generate(6, other_board["board_seed"]).is_easy:
        other_board["board_seed"] += 1
    session = play(other_board, seed=64)
    wait_for_upload([ticket], [session])
    result = sync_one(player, session)
    assert result["verified"] is False and "TICKET_MISMATCH" in codes(result)


def test_unknown_ticket_and_attempt_started_outside_the_ticket_window_do_not_count(pool: Any) -> None:
    player, ticket = pool.take()
    unknown = play(ticket | {"id": str(uuid.uuid4())}, seed=65)
    late = play(ticket, seed=66, started_at=parse_time(ticket["expires_at"]) + timedelta(seconds=5))
    results = player.ok("POST", "/sessions/sync", json={"sessions": [unknown, late]})
    assert "TICKET_NOT_FOUND" in codes(results[0])
    assert "TICKET_EXPIRED" in codes(results[1])


def test_an_upload_sooner_after_the_ticket_than_the_game_lasted_is_rejected(new_api: Any) -> None:
    player = new_api()
    ticket = player.ticket()
    session = play(ticket, seed=67)  # a ~5 s game uploaded at once: it cannot have been played
    result = sync_one(player, session)
    assert result["verified"] is False and "UPLOAD_TOO_SOON" in codes(result)
    assert "UPLOAD_TOO_SOON" in [r["code"] for r in player.ok("GET", f"/sessions/{session['id']}")["reasons"]]


def test_current_challenges_tell_period_and_attempts_left_without_a_seed(new_api: Any) -> None:
    anonymous = new_api(register=False)
    current = anonymous.ok("GET", "/challenges/current")
    now = parse_time(current["daily"]["starts_at"])
    assert current["daily"]["period"] == core.challenge_period("daily", now)
    assert current["weekly"]["period"] == core.challenge_period(
        "weekly", parse_time(current["weekly"]["starts_at"])
    )
    assert (current["daily"]["attempts_left"], current["weekly"]["attempts_left"]) == (1, 3)
    assert "board_seed" not in current["daily"] and (
        current["daily"]["grid_size"],
        current["daily"]["order_mode"],
    ) == (5, "ASC")
    assert parse_time(current["weekly"]["ends_at"]) - parse_time(current["weekly"]["starts_at"]) == timedelta(
        days=7
    )


def test_daily_challenge_allows_one_attempt_per_board_and_weekly_three(new_api: Any, server: Any) -> None:
    player = new_api()
    daily = player.ticket("daily", 6, "DESC")
    period = core.challenge_period("daily", parse_time(daily["issued_at"]))
    key = derive_key(server.env["SCHULTE_SECRET"], "challenge-seed").hex()  # not the token key
    assert daily["board_seed"] == core.challenge_seed(key, "daily", period, 6, "DESC")
    refused = player.post("/tickets", json={"mode": "daily", "grid_size": 6, "order_mode": "DESC"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "CHALLENGE_ATTEMPTS_USED"
    player.ticket("daily", 7, "DESC")  # another grid size × order is another challenge board

    weekly = [player.ticket("weekly", 6, "DESC") for _ in range(3)]
    assert len({ticket["board_seed"] for ticket in weekly}) == 1
    assert (
        player.post("/tickets", json={"mode": "weekly", "grid_size": 6, "order_mode": "DESC"}).status_code
        == 409
    )
    left = player.ok("GET", "/challenges/current", params={"grid_size": 6, "order_mode": "DESC"})
    assert (left["daily"]["attempts_left"], left["weekly"]["attempts_left"]) == (0, 0)
    assert (left["daily"]["attempts_used"], left["weekly"]["attempts_used"]) == (1, 3)


def test_daily_challenge_board_ranks_each_players_attempt(pool: Any) -> None:
    player, ticket = pool.take("daily")
    session = play(ticket, seed=68)
    wait_for_upload([ticket], [session])
    assert sync_one(player, session)["verified"] is True
    seen = player.get("/leaderboards/daily-challenge").json()
    assert seen["meta"]["me"]["best_time_ms"] == session["completion_time_ms"]
    assert seen["meta"]["period"] == core.challenge_period("daily", parse_time(ticket["issued_at"]))
    assert player.user["id"] not in [e["user_id"] for e in player.get("/leaderboards/daily").json()["data"]]


def test_weekly_challenge_board_keeps_the_best_of_the_attempts(pool: Any) -> None:
    player, first = pool.take("weekly")
    second = player.ticket("weekly")
    slow, fast = play(first, seed=69, pace=(250, 380)), play(second, seed=70, pace=(150, 250))
    wait_for_upload([first, second], [slow, fast])
    results = player.ok("POST", "/sessions/sync", json={"sessions": [slow, fast]})
    assert [r["verified"] for r in results] == [True, True], results
    me = player.get("/leaderboards/weekly-challenge").json()["meta"]["me"]
    assert me["best_time_ms"] == min(slow["completion_time_ms"], fast["completion_time_ms"])


def test_challenge_boards_reject_malformed_periods(new_api: Any) -> None:
    anonymous = new_api(register=False)
    for path, period in (
        ("/leaderboards/weekly-challenge", "2026-W99"),
        ("/leaderboards/daily-challenge", "2026-02-30"),
    ):
        response = anonymous.get(path, params={"period": period})
        assert response.status_code == 400 and response.json()["error"]["code"] == "VALIDATION_ERROR"
