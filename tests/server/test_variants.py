"""Variants and sizes on the server: schema 1 and 2, each (variant, grid size, order) its own board.

Every game here is played with ``core.Game`` by the simulated player, so the server sees exactly what
the app sends; the boards, stats and percentiles are read back over real HTTP.
"""

from __future__ import annotations

import uuid
from typing import Any

import core
from server.config import derive_key
from tests.server.conftest import parse_time, play, practice, wait_for_upload


def codes(result: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in result["reasons"]]


def sync(api: Any, *sessions: dict[str, Any]) -> list[dict[str, Any]]:
    return list(api.ok("POST", "/sessions/sync", json={"sessions": list(sessions)}))


def on_board(api: Any, path: str = "/leaderboards/all-time", **params: Any) -> list[str]:
    """The user ids on one board (first 100)."""
    body = api.ok("GET", path, params={"limit": 100, **params})
    return [entry["user_id"] for entry in body]


def as_schema_1(session: dict[str, Any]) -> dict[str, Any]:
    """A classic session as the first wave's app wrote it (no variant, reshuffle or series)."""
    old = {key: value for key, value in session.items() if key not in ("variant", "reshuffle", "series")}
    return old | {"schema_version": 1}


def test_schema_1_and_schema_2_sessions_both_sync_and_come_back_as_sent(new_api: Any) -> None:
    player = new_api()
    old, new = as_schema_1(practice(seed=101)), practice(seed=102)
    assert new["schema_version"] == 2 and new["variant"] == "classic"
    results = sync(player, old, new)
    assert [(r["result"], r["verified"]) for r in results] == [("created", True), ("created", True)], results
    stored_old = player.ok("GET", f"/sessions/{old['id']}")
    assert stored_old["schema_version"] == 1 and "variant" not in stored_old
    assert player.ok("GET", f"/sessions/{new['id']}")["variant"] == "classic"
    history = player.ok("GET", "/sessions")
    assert [session["variant"] for session in history] == ["classic", "classic"]
    assert [r["result"] for r in sync(player, old, new)] == ["duplicate", "duplicate"]


def test_a_ranked_gorbov_7x7_game_reaches_the_gorbov_board_and_not_the_classic_one(pool: Any) -> None:
    player, ticket = pool.take("ranked", 7, "ASC", "gorbov")
    assert (ticket["variant"], ticket["grid_size"]) == ("gorbov", 7)
    session = play(ticket, seed=103, mistakes=1)
    assert session["variant"] == "gorbov"
    wait_for_upload([ticket], [session])
    (result,) = sync(player, session)
    assert (result["result"], result["verified"]) == ("created", True), result

    me = player.user["id"]
    for path in ("/leaderboards/all-time", "/leaderboards/daily"):
        assert me in on_board(player, path, grid_size=7, variant="gorbov")
        assert me not in on_board(player, path, grid_size=7)  # classic is the default board
    gorbov = player.get("/leaderboards/all-time", params={"grid_size": 7, "variant": "gorbov"}).json()
    assert gorbov["meta"]["variant"] == "gorbov" and gorbov["meta"]["me"]["rank"] >= 1
    assert {"variant": "gorbov", "grid_size": 7, "order_mode": "ASC"}.items() <= (
        player.ok("GET", "/users/me")["stats"]["boards"][0].items()
    )


def test_the_percentile_of_a_time_is_taken_on_its_own_variants_board(pool: Any, new_api: Any) -> None:
    viewer = new_api(register=False)

    def sample(variant: str) -> int:
        query = {"grid_size": 7, "order_mode": "ASC", "variant": variant, "time_ms": 1.0}
        answer = viewer.ok("GET", "/stats/percentile", params=query)
        assert answer["percentile"] in (None, 100.0)  # 1 ms beats every best there is
        return int(answer["sample"])

    before = {variant: sample(variant) for variant in ("classic", "gorbov")}
    player, ticket = pool.take("ranked", 7, "ASC", "gorbov")
    session = play(ticket, seed=104)
    wait_for_upload([ticket], [session])
    assert sync(player, session)[0]["verified"] is True
    assert {variant: sample(variant) for variant in ("classic", "gorbov")} == before | {
        "gorbov": before["gorbov"] + 1
    }
    slowest = viewer.ok(
        "GET",
        "/stats/percentile",
        params={"grid_size": 7, "variant": "gorbov", "time_ms": 9_999_999},
    )
    assert slowest == {"percentile": 0.0, "sample": before["gorbov"] + 1}


def test_a_letters_4x4_ranked_game_counts_on_the_letters_board(pool: Any) -> None:
    player, ticket = pool.take("ranked", 4, "ASC", "letters")
    session = play(ticket, seed=105)
    wait_for_upload([ticket], [session])
    assert sync(player, session)[0]["verified"] is True
    assert player.user["id"] in on_board(player, grid_size=4, variant="letters")
    assert player.user["id"] not in on_board(player, grid_size=4)


def test_letters_stop_at_5x5_and_sizes_at_3_to_10_for_tickets_and_boards(new_api: Any) -> None:
    player = new_api()
    for request in (
        lambda: player.post("/tickets", json={"mode": "ranked", "grid_size": 6, "variant": "letters"}),
        lambda: player.post("/tickets", json={"mode": "ranked", "grid_size": 11}),
        lambda: player.post("/tickets", json={"mode": "ranked", "variant": "hexagons"}),
        lambda: player.get("/leaderboards/all-time", params={"grid_size": 7, "variant": "letters"}),
        lambda: player.get("/challenges/current", params={"grid_size": 2}),
        lambda: player.get("/stats/percentile", params={"time_ms": 1, "variant": "hexagons"}),
    ):
        response = request()
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert player.ticket("ranked", 3, "DESC", "letters")["grid_size"] == 3


def test_a_ranked_10x10_game_verifies_and_reaches_its_board(pool: Any) -> None:
    player, ticket = pool.take("ranked", 10, "DESC")
    session = play(ticket, seed=106)
    assert len(session["tap_events"]) == 100
    wait_for_upload([ticket], [session])
    assert sync(player, session)[0]["verified"] is True
    assert player.user["id"] in on_board(player, grid_size=10, order_mode="DESC")


def test_a_reshuffled_practice_game_verifies_and_keeps_its_reshuffle_flag(new_api: Any) -> None:
    player = new_api()
    session = practice(seed=107, grid_size=6, reshuffle=True)
    cells_found = [tap["cell_index"] for tap in session["tap_events"] if tap["correct"]]
    assert cells_found != [
        core.Board.generate(6, session["board_seed"]).index_of(n) for n in range(1, 37)
    ]  # the cells moved
    (result,) = sync(player, session)
    assert (result["result"], result["verified"]) == ("created", True), result
    assert player.ok("GET", f"/sessions/{session['id']}")["reshuffle"] is True


def test_reshuffle_in_a_ranked_game_is_rejected_and_kept_unverified_off_the_boards(pool: Any) -> None:
    player, ticket = pool.take("ranked", 7, "ASC")
    session = play(ticket, seed=108) | {"reshuffle": True}
    wait_for_upload([ticket], [session])
    (result,) = sync(player, session)
    assert (result["result"], result["verified"]) == ("created", False)
    assert "RESHUFFLE_NOT_PRACTICE" in codes(result)
    stored = player.ok("GET", f"/sessions/{session['id']}")
    assert stored["verified"] is False and stored["reshuffle"] is True
    assert player.user["id"] not in on_board(player, grid_size=7)


def test_a_session_on_another_variant_than_its_ticket_is_a_mismatch(pool: Any) -> None:
    player, ticket = pool.take("ranked", 7, "ASC")
    session = play(ticket | {"variant": "gorbov"}, seed=109)
    wait_for_upload([ticket], [session])
    (result,) = sync(player, session)
    assert result["verified"] is False and codes(result) == ["TICKET_MISMATCH"]
    assert "variant" in result["reasons"][0]["message"]
    assert player.user["id"] not in on_board(player, grid_size=7, variant="gorbov")


def test_a_variant_this_server_does_not_know_is_rejected_but_kept_unverified(new_api: Any) -> None:
    """A newer app's variant: the answer says rejected with UNKNOWN_VARIANT, and nothing played is lost."""
    player = new_api()
    session = practice(seed=110) | {"variant": "hexagons"}
    (result,) = sync(player, session)
    assert (result["id"], result["result"], result["verified"]) == (session["id"], "rejected", False)
    assert codes(result) == ["UNKNOWN_VARIANT"]
    stored = player.ok("GET", f"/sessions/{session['id']}")
    assert (stored["variant"], stored["verified"], stored["tap_events"]) == (
        "hexagons",
        False,
        session["tap_events"],
    )
    assert [s["id"] for s in player.ok("GET", "/sessions")] == [session["id"]]
    assert player.ok("GET", "/users/me")["stats"]["total_sessions"] == 1
    assert sync(player, session, session) == [result, result]  # the same answer again, stored once
    single = player.post("/sessions", json=session)
    assert single.status_code == 422 and single.json()["error"]["details"]["stored"] is True


def test_a_size_or_series_outside_the_format_is_refused_with_its_own_code(new_api: Any) -> None:
    player = new_api()
    too_big = practice(seed=111) | {"grid_size": max(core.SIZES) + 1}
    bad_series = practice(seed=112) | {"series": {"id": str(uuid.uuid4()), "index": core.SERIES_LENGTH + 1}}
    in_series = practice(seed=113) | {"series": {"id": str(uuid.uuid4()), "index": 2}}
    results = sync(player, too_big, bad_series, in_series)
    assert [(r["result"], codes(r)) for r in results] == [
        ("rejected", ["GRID_SIZE_OUT_OF_RANGE"]),
        ("rejected", ["BAD_SERIES"]),
        ("created", []),
    ]
    assert player.get(f"/sessions/{too_big['id']}").status_code == 404
    assert player.ok("GET", f"/sessions/{in_series['id']}")["series"] == in_series["series"]


def test_current_challenges_say_which_board_each_uses_and_count_attempts_per_variant(
    new_api: Any, server: Any
) -> None:
    player = new_api()
    board = {"grid_size": 7, "order_mode": "ASC", "variant": "gorbov"}
    current = player.ok("GET", "/challenges/current", params=board)
    for mode in ("daily", "weekly"):
        assert {key: current[mode][key] for key in board} == board
        assert current[mode]["attempts_used"] == 0 and "board_seed" not in current[mode]

    gorbov = player.ticket("daily", 7, "ASC", "gorbov")
    classic = player.ticket("daily", 7, "ASC")  # another variant is another challenge board
    period = core.challenge_period("daily", parse_time(gorbov["issued_at"]))
    secret = derive_key(server.env["SCHULTE_SECRET"], "challenge-seed").hex()  # Settings.challenge_key
    assert gorbov["board_seed"] == core.challenge_seed(secret, "daily", period, 7, "ASC", "gorbov")
    assert classic["board_seed"] == core.challenge_seed(secret, "daily", period, 7, "ASC")
    assert gorbov["board_seed"] != classic["board_seed"]
    assert new_api().ticket("daily", 7, "ASC", "gorbov")["board_seed"] == gorbov["board_seed"]
    after = player.ok("GET", "/challenges/current", params=board)
    assert (after["daily"]["attempts_used"], after["weekly"]["attempts_used"]) == (1, 0)


def test_a_gorbov_daily_challenge_reaches_the_gorbov_challenge_board_only(pool: Any) -> None:
    player, ticket = pool.take("daily", 7, "ASC", "gorbov")
    session = play(ticket, seed=114)
    wait_for_upload([ticket], [session])
    assert sync(player, session)[0]["verified"] is True
    path = "/leaderboards/daily-challenge"
    assert player.user["id"] in on_board(player, path, grid_size=7, variant="gorbov")
    assert player.user["id"] not in on_board(player, path, grid_size=7)
