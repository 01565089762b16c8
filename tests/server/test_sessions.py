"""Sessions end to end: upload, verification, sync idempotency, history, and what reaches the boards."""

from __future__ import annotations

import uuid
from typing import Any

import core
from tests.server.conftest import play, practice, wait_for_upload


def board(api: Any, path: str = "/leaderboards/all-time", **params: Any) -> dict[str, Any]:
    response = api.get(path, params={"grid_size": 5, "order_mode": "ASC", **params})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_full_flow_register_ticket_play_upload_then_rank_and_percentile(pool: Any) -> None:
    """register → login → ticket → genuine session → daily and all-time boards with rank, me, percentile."""
    (fast, fast_ticket), (slow, slow_ticket) = pool.take(), pool.take()
    login = fast.ok(
        "POST", "/auth/login", json={"email": fast.user["email"], "password": "correct horse battery"}
    )
    fast.token = login["access_token"]
    tickets = [fast_ticket, slow_ticket]
    sessions = [play(tickets[0], seed=1, pace=(150, 250)), play(tickets[1], seed=2, pace=(220, 360))]
    assert all(core.verify(session).ok for session in sessions)
    wait_for_upload(tickets, sessions)

    created = fast.ok("POST", "/sessions", 201, json=sessions[0])
    assert created["verified"] is True and created["reasons"] == []
    assert created["id"] == sessions[0]["id"] and created["tap_events"] == sessions[0]["tap_events"]
    slow.ok("POST", "/sessions", 201, json=sessions[1])

    for path in ("/leaderboards/all-time", "/leaderboards/daily"):
        seen = board(fast, path, limit=100)
        ranks = {entry["user_id"]: entry for entry in seen["data"]}
        assert ranks[fast.user["id"]]["rank"] < ranks[slow.user["id"]]["rank"]
        assert ranks[fast.user["id"]]["best_time_ms"] == sessions[0]["completion_time_ms"]
        assert ranks[fast.user["id"]]["session_id"] == sessions[0]["id"]
        me = seen["meta"]["me"]
        assert me["rank"] == ranks[fast.user["id"]]["rank"]
        assert me["best_time_ms"] == sessions[0]["completion_time_ms"]
        everyone = [entry["best_time_ms"] for entry in seen["data"]]
        assert me["percentile"] == core.percentile(me["best_time_ms"], everyone)
        assert seen["meta"]["total"] == len(everyone)

    everything = board(fast, limit=100)["data"]
    for offset in range(len(everything)):  # a deep page starts where the full list says it does
        assert board(fast, limit=2, offset=offset)["data"] == everything[offset : offset + 2]
    query = {"grid_size": 5, "order_mode": "ASC", "time_ms": sessions[1]["completion_time_ms"]}
    answer = fast.ok("GET", "/stats/percentile", params=query)
    everyone = [entry["best_time_ms"] for entry in board(fast, limit=100)["data"]]
    assert answer == {
        "percentile": core.percentile(sessions[1]["completion_time_ms"], everyone),
        "sample": len(everyone),
    }


def test_my_rank_is_in_meta_even_when_outside_the_page(pool: Any) -> None:
    player, ticket = pool.take("ranked", 6, "DESC")
    session = play(ticket, seed=5)
    wait_for_upload([ticket], [session])
    player.ok("POST", "/sessions", 201, json=session)
    seen = board(player, grid_size=6, order_mode="DESC", limit=1, offset=10_000)
    assert seen["data"] == []
    assert seen["meta"]["me"]["best_time_ms"] == session["completion_time_ms"]
    assert seen["meta"]["me"]["rank"] >= 1
    assert seen["meta"]["page"] == 10_001 and seen["meta"]["per_page"] == 1


def test_forged_session_is_rejected_with_reasons_kept_unverified_and_absent_from_boards(pool: Any) -> None:
    cheat, ticket = pool.take("ranked", 7, "ASC")
    forged = play(ticket, seed=3) | {"completion_time_ms": 2000}
    wait_for_upload([ticket], [forged])
    response = cheat.post("/sessions", json=forged)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "SESSION_REJECTED"
    assert "COMPLETION_TIME_MISMATCH" in [reason["code"] for reason in error["details"]["reasons"]]

    stored = cheat.ok("GET", f"/sessions/{forged['id']}")
    assert stored["verified"] is False
    assert "COMPLETION_TIME_MISMATCH" in [reason["code"] for reason in stored["reasons"]]
    seen = board(cheat, grid_size=7, limit=100)
    assert cheat.user["id"] not in [entry["user_id"] for entry in seen["data"]]
    assert seen["meta"]["me"] is None


def test_a_robotic_rhythm_is_rejected_by_core_and_never_ranked(pool: Any) -> None:
    bot, ticket = pool.take()
    robotic = play(ticket, pace=(200, 200.5))
    wait_for_upload([ticket], [robotic])
    result = bot.ok("POST", "/sessions/sync", json={"sessions": [robotic]})[0]
    assert result["result"] == "created" and result["verified"] is False
    assert "RHYTHM_TOO_REGULAR" in [reason["code"] for reason in result["reasons"]]
    assert bot.user["id"] not in [
        entry["user_id"] for entry in board(bot, path="/leaderboards/daily", limit=100)["data"]
    ]


def test_sending_the_same_sync_batch_twice_changes_nothing(new_api: Any) -> None:
    player = new_api()
    batch = [practice(seed=11), practice(seed=12, mistakes=2), practice(seed=13, abandon_after=5)]
    first = player.ok("POST", "/sessions/sync", json={"sessions": batch})
    assert [item["result"] for item in first] == ["created"] * 3
    assert [item["id"] for item in first] == [session["id"] for session in batch]
    before_stats = player.ok("GET", "/users/me")["stats"]
    before_history = player.ok("GET", "/sessions")

    second = player.ok("POST", "/sessions/sync", json={"sessions": batch})
    assert [item["result"] for item in second] == ["duplicate"] * 3
    assert [item["verified"] for item in second] == [item["verified"] for item in first]
    assert player.ok("GET", "/users/me")["stats"] == before_stats
    assert player.ok("GET", "/sessions") == before_history


def test_sync_allows_partial_success_and_reports_malformed_items_in_order(new_api: Any) -> None:
    player = new_api()
    good = practice(seed=21)
    no_ticket = practice(seed=22) | {"mode": "ranked"}
    malformed_with_id = {"id": str(uuid.uuid4()), "grid_size": "five"}
    without_id = {"grid_size": 5}
    results = player.ok(
        "POST", "/sessions/sync", json={"sessions": [good, malformed_with_id, no_ticket, without_id, good]}
    )
    assert [item["result"] for item in results] == ["created", "rejected", "created", "rejected", "duplicate"]
    assert results[1]["id"] == malformed_with_id["id"] and results[1]["reasons"][0]["code"] == "MALFORMED"
    assert results[3]["id"] is None and results[3]["reasons"][0]["code"] == "MALFORMED"
    assert results[2]["verified"] is False
    assert "TICKET_REQUIRED" in [reason["code"] for reason in results[2]["reasons"]]
    history = [item["id"] for item in player.ok("GET", "/sessions", params={"limit": 100})]
    assert good["id"] in history and no_ticket["id"] in history and malformed_with_id["id"] not in history


def test_sync_refuses_a_batch_over_the_limit(new_api: Any) -> None:
    player = new_api()
    response = player.post("/sessions/sync", json={"sessions": [{"id": str(i)} for i in range(101)]})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_practice_sessions_go_to_history_and_stats_but_never_to_boards(new_api: Any) -> None:
    player = new_api()
    session = practice(seed=31)
    created = player.ok("POST", "/sessions", 201, json=session)
    assert created["verified"] is True
    me = player.ok("GET", "/users/me")
    assert me["stats"]["total_sessions"] == 1 and me["stats"]["completed_sessions"] == 1
    assert me["stats"]["current_streak"] == 1 and me["stats"]["longest_streak"] == 1
    assert me["stats"]["boards"] == [
        {"variant": "classic", "grid_size": 5, "order_mode": "ASC", "completed": 1,
         "best_time_ms": session["completion_time_ms"],
         "average_time_ms": session["completion_time_ms"]}
    ]  # fmt: skip
    assert player.user["id"] not in [entry["user_id"] for entry in board(player, limit=100)["data"]]


def test_history_is_newest_first_paginated_and_private(new_api: Any) -> None:
    player, other = new_api(), new_api()
    sessions = [practice(seed=40 + i) for i in range(3)]
    for session in sessions:
        player.ok("POST", "/sessions", 201, json=session)
    page = player.get("/sessions", params={"limit": 2}).json()
    assert page["meta"] == {"page": 1, "per_page": 2, "total": 3}
    started = [item["started_at"] for item in page["data"]]
    assert started == sorted(started, reverse=True)
    response = other.get(f"/sessions/{sessions[0]['id']}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "NOT_FOUND"


def test_deleting_a_session_removes_it_from_history_and_boards_and_keeps_its_id(pool: Any) -> None:
    player, ticket = pool.take("ranked", 5, "DESC")
    session = play(ticket, seed=50)
    wait_for_upload([ticket], [session])
    player.ok("POST", "/sessions", 201, json=session)
    assert board(player, order_mode="DESC", limit=100)["meta"]["me"] is not None
    player.ok("DELETE", f"/sessions/{session['id']}")
    assert board(player, order_mode="DESC", limit=100)["meta"]["me"] is None
    assert player.get(f"/sessions/{session['id']}").status_code == 404
    assert player.ok("GET", "/users/me")["stats"]["total_sessions"] == 0
    again = player.ok("POST", "/sessions/sync", json={"sessions": [session]})
    assert again[0]["result"] == "duplicate"


def test_uploads_need_a_signed_in_user(new_api: Any) -> None:
    anonymous = new_api(register=False)
    response = anonymous.post("/sessions", json=practice())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
