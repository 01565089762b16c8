"""Duels over real HTTP: one hidden board, one ticket each, the faster verified game wins.

Games are 3×3 at a human pace (300–450 ms a number, far above the record floor), so a test waits only a
few seconds for the server to believe the game was played. Expiry and lateness travel in time in the
test's own database rows (a duel's ``expires_at``, a ticket's ``issued_at``), not by sleeping 72 hours.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.sql.expression import Executable

import core
from server.db.models import duels, tickets
from server.services.duels import winner
from tests.server.conftest import DUELS_PER_DAY, POOL_SLACK_S, Api, Server, parse_time, play, wait_for_upload

HUMAN = (300.0, 450.0)
"""Milliseconds between numbers: a steady human, never held for review."""
SLOW = (550.0, 900.0)
"""A clearly slower human (irregular enough: an even rhythm reads as a script)."""


def board(grid_size: int = 3, order_mode: str = "ASC", variant: str = "classic") -> dict[str, Any]:
    return {"grid_size": grid_size, "order_mode": order_mode, "variant": variant}


def challenge(challenger: Api, opponent: Api, **shape: Any) -> dict[str, Any]:
    body = {"opponent_id": opponent.user["id"], **board(**shape)}
    return dict(challenger.ok("POST", "/duels", 201, json=body))


def duel_ticket(api: Api, duel_id: str) -> dict[str, Any]:
    return dict(api.ok("POST", "/tickets", 201, json={"mode": "duel", "duel_id": duel_id}))


def error(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def sync(api: Api, *sessions: dict[str, Any]) -> list[dict[str, Any]]:
    return list(api.ok("POST", "/sessions/sync", json={"sessions": list(sessions)}))


def codes(result: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in result["reasons"]]


def in_database(server: Server, *statements: Executable) -> None:
    """Change the server's own rows (time travel); the server reads them afresh on every request."""

    async def go() -> None:
        engine = create_async_engine(server.database.url)
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(statement)
        await engine.dispose()

    asyncio.run(go())


def expire(server: Server, duel_id: str) -> None:
    """Move the duel's expiry to the past, as if its 72 hours had run out."""
    past = datetime.now(UTC) - timedelta(seconds=1)
    in_database(server, update(duels).where(duels.c.id == duel_id).values(expires_at=past))


def accepted(challenger: Api, opponent: Api, **shape: Any) -> dict[str, Any]:
    duel = challenge(challenger, opponent, **shape)
    return dict(opponent.ok("POST", f"/duels/{duel['id']}/accept"))


def test_a_whole_duel_one_hidden_board_one_ticket_each_and_the_faster_game_wins(new_api: Any) -> None:
    ana, bo = new_api(name=f"Ana {uuid.uuid4().hex[:6]}"), new_api()
    duel = challenge(ana, bo, grid_size=4, order_mode="DESC")
    assert duel["state"] == "pending" and duel["results"] == [] and duel["winner_id"] is None
    assert (duel["challenger"]["id"], duel["opponent"]["id"]) == (ana.user["id"], bo.user["id"])
    assert duel["challenger"]["display_name"] == ana.user["display_name"]  # "Ana challenged you to 4×4"
    assert (duel["grid_size"], duel["order_mode"], duel["variant"]) == (4, "DESC", "classic")
    assert parse_time(duel["expires_at"]) - parse_time(duel["created_at"]) == timedelta(hours=72)
    assert "board_seed" not in duel

    incoming = bo.ok("GET", "/duels", params={"state": "pending"})
    assert [d["id"] for d in incoming] == [duel["id"]]
    assert bo.ok("POST", f"/duels/{duel['id']}/accept")["state"] == "accepted"

    tickets_ = [duel_ticket(ana, duel["id"]), duel_ticket(bo, duel["id"])]
    assert tickets_[0]["board_seed"] == tickets_[1]["board_seed"] and tickets_[0]["id"] != tickets_[1]["id"]
    for ticket in tickets_:
        assert (ticket["mode"], ticket["duel_id"], ticket["grid_size"], ticket["order_mode"]) == (
            "duel", duel["id"], 4, "DESC",
        )  # fmt: skip
        assert not core.Board.generate(4, ticket["board_seed"]).is_easy
    fast, slow = play(tickets_[0], seed=1, pace=HUMAN), play(tickets_[1], seed=2, pace=SLOW)
    assert fast["mode"] == "duel"
    wait_for_upload(tickets_, [fast, slow])

    (first,) = sync(ana, fast)
    assert (first["result"], first["verified"], first["reasons"]) == ("created", True, [])
    half = bo.ok("GET", f"/duels/{duel['id']}")
    assert half["state"] == "accepted" and [r["user_id"] for r in half["results"]] == [ana.user["id"]]

    (second,) = sync(bo, slow)
    assert second["verified"] is True
    for api in (ana, bo):
        seen = api.ok("GET", f"/duels/{duel['id']}")
        assert (seen["state"], seen["winner_id"]) == ("finished", ana.user["id"])
        by_player = {r["user_id"]: r for r in seen["results"]}
        assert by_player[ana.user["id"]]["completion_time_ms"] == fast["completion_time_ms"]
        assert by_player[bo.user["id"]]["completion_time_ms"] == slow["completion_time_ms"]
        assert all(r["verified"] and r["mistakes"] == 0 for r in seen["results"])
        assert [d["id"] for d in api.ok("GET", "/duels", params={"state": "finished"})] == [duel["id"]]
    assert ana.ok("GET", f"/sessions/{fast['id']}")["mode"] == "duel"
    # A duel game is verified like a ranked one, but it competes only in its duel.
    board_ids = [e["user_id"] for e in ana.ok("GET", "/leaderboards/all-time", params=board(4, "DESC"))]
    assert ana.user["id"] not in board_ids


def test_the_list_is_the_callers_newest_first_and_filters_by_state(new_api: Any) -> None:
    ana, bo, cy = new_api(), new_api(), new_api()
    older = challenge(ana, bo, grid_size=5)
    newer = challenge(cy, ana, grid_size=5)
    assert [d["id"] for d in ana.ok("GET", "/duels")] == [newer["id"], older["id"]]
    assert [d["id"] for d in bo.ok("GET", "/duels")] == [older["id"]]
    assert ana.ok("GET", "/duels", params={"state": "accepted"}) == []
    assert error(ana.get("/duels", params={"state": "won"})) == (400, "VALIDATION_ERROR")


def test_outsiders_get_404_and_only_the_challenged_player_answers(new_api: Any) -> None:
    ana, bo, eve = new_api(), new_api(), new_api()
    duel = challenge(ana, bo)
    for response in (
        eve.get(f"/duels/{duel['id']}"),
        eve.post(f"/duels/{duel['id']}/accept"),
        eve.post(f"/duels/{duel['id']}/decline"),
        eve.post("/tickets", json={"mode": "duel", "duel_id": duel["id"]}),
        ana.get(f"/duels/{uuid.uuid4()}"),
    ):
        assert error(response) == (404, "NOT_FOUND")
    assert eve.ok("GET", "/duels") == []
    assert error(ana.post(f"/duels/{duel['id']}/accept")) == (403, "FORBIDDEN")
    # The opponent sees the board only after accepting; the challenger may play at once.
    assert error(bo.post("/tickets", json={"mode": "duel", "duel_id": duel["id"]})) == (409, "CONFLICT")
    assert duel_ticket(ana, duel["id"])["duel_id"] == duel["id"]
    anonymous = new_api(register=False)
    assert error(anonymous.get(f"/duels/{duel['id']}")) == (401, "UNAUTHORIZED")


def test_bad_challenges_are_refused_with_clear_codes(new_api: Any) -> None:
    ana, bo = new_api(), new_api()
    cases = [
        ({"opponent_id": ana.user["id"]}, (400, "VALIDATION_ERROR")),
        ({"opponent_id": str(uuid.uuid4())}, (404, "NOT_FOUND")),
        ({"opponent_id": bo.user["id"], "variant": "letters", "grid_size": 7}, (400, "VALIDATION_ERROR")),
        ({"opponent_id": bo.user["id"], "grid_size": 11}, (400, "VALIDATION_ERROR")),
        ({"opponent_id": "not-a-uuid"}, (400, "VALIDATION_ERROR")),
    ]
    for body, expected in cases:
        assert error(ana.post("/duels", json=body)) == expected, body
    assert error(ana.post("/tickets", json={"mode": "duel"})) == (400, "VALIDATION_ERROR")
    ranked_with_duel = {"mode": "ranked", "duel_id": str(uuid.uuid4())}
    assert error(ana.post("/tickets", json=ranked_with_duel)) == (400, "VALIDATION_ERROR")
    assert ana.ok("GET", "/duels") == []  # nothing refused was stored


def test_a_declined_duel_closes_and_frees_its_board(new_api: Any) -> None:
    ana, bo = new_api(), new_api()
    duel = challenge(ana, bo)
    declined = bo.ok("POST", f"/duels/{duel['id']}/decline")
    assert declined["state"] == "declined" and declined["winner_id"] is None
    assert error(bo.post(f"/duels/{duel['id']}/accept")) == (409, "CONFLICT")
    for api in (ana, bo):
        assert error(api.post("/tickets", json={"mode": "duel", "duel_id": duel["id"]})) == (409, "CONFLICT")
    assert ana.ok("GET", "/duels", params={"state": "declined"})[0]["id"] == duel["id"]
    assert challenge(ana, bo)["state"] == "pending"


def test_a_pair_has_one_open_duel_per_board(new_api: Any) -> None:
    ana, bo, cy = new_api(), new_api(), new_api()
    first = challenge(ana, bo, grid_size=5)
    again = ana.post("/duels", json={"opponent_id": bo.user["id"], **board(5)})
    assert error(again) == (409, "CONFLICT") and again.json()["error"]["details"]["duel_id"] == first["id"]
    assert error(bo.post("/duels", json={"opponent_id": ana.user["id"], **board(5)})) == (409, "CONFLICT")
    bo.ok("POST", f"/duels/{first['id']}/accept")
    assert error(ana.post("/duels", json={"opponent_id": bo.user["id"], **board(5)})) == (409, "CONFLICT")
    # Another board, or another pair, is another duel.
    challenge(ana, bo, grid_size=5, order_mode="DESC")
    challenge(ana, bo, grid_size=5, variant="letters")
    challenge(ana, cy, grid_size=5)


def test_a_duel_nobody_played_expires_and_frees_its_board(new_api: Any, server: Server) -> None:
    ana, bo = new_api(), new_api()
    duel = accepted(ana, bo)
    expire(server, duel["id"])
    seen = bo.ok("GET", f"/duels/{duel['id']}")
    assert (seen["state"], seen["winner_id"], seen["results"]) == ("expired", None, [])
    assert [d["id"] for d in ana.ok("GET", "/duels", params={"state": "expired"})] == [duel["id"]]
    assert error(ana.post("/tickets", json={"mode": "duel", "duel_id": duel["id"]})) == (409, "CONFLICT")
    assert challenge(ana, bo)["state"] == "pending"

    unanswered = challenge(bo, ana, grid_size=4)
    expire(server, unanswered["id"])
    assert error(ana.post(f"/duels/{unanswered['id']}/accept")) == (409, "CONFLICT")
    assert bo.ok("GET", f"/duels/{unanswered['id']}")["state"] == "expired"


def test_a_challenge_never_accepted_expires_unwon_though_the_challenger_played(
    new_api: Any, server: Server
) -> None:
    ana, bo = new_api(), new_api()
    duel = challenge(ana, bo)
    ticket = duel_ticket(ana, duel["id"])  # the challenger may play at once
    game = play(ticket, seed=13, pace=HUMAN)
    wait_for_upload([ticket], [game])
    assert sync(ana, game)[0]["verified"] is True
    expire(server, duel["id"])
    seen = bo.ok("GET", f"/duels/{duel['id']}")
    assert (seen["state"], seen["winner_id"], len(seen["results"])) == ("expired", None, 1)


def test_at_expiry_the_only_player_who_completed_wins(new_api: Any, server: Server) -> None:
    ana, bo = new_api(), new_api()
    duel = accepted(ana, bo)
    ticket = duel_ticket(bo, duel["id"])
    game = play(ticket, seed=3, pace=SLOW, mistakes=2)
    wait_for_upload([ticket], [game])
    sync(bo, game)
    assert ana.ok("GET", f"/duels/{duel['id']}")["state"] == "accepted"  # Ana still has time to play
    expire(server, duel["id"])
    seen = ana.ok("GET", f"/duels/{duel['id']}")
    assert (seen["state"], seen["winner_id"]) == ("finished", bo.user["id"])
    assert seen["results"][0]["mistakes"] == 2


def test_a_completed_game_beats_an_abandoned_one_and_nobody_wins_when_nobody_completed(new_api: Any) -> None:
    ana, bo, cy, dee = new_api(), new_api(), new_api(), new_api()
    one, two = accepted(ana, bo), accepted(cy, dee)
    tickets_ = [duel_ticket(api, duel["id"]) for api, duel in ((ana, one), (bo, one), (cy, two), (dee, two))]
    games = [
        play(tickets_[0], seed=4, pace=SLOW),
        play(tickets_[1], seed=5, pace=HUMAN, abandon_after=4),
        play(tickets_[2], seed=6, pace=HUMAN, abandon_after=3),
        play(tickets_[3], seed=7, pace=HUMAN, abandon_after=5),
    ]
    wait_for_upload(tickets_, games)
    for api, game in zip((ana, bo, cy, dee), games, strict=True):
        assert sync(api, game)[0]["verified"] is True
    settled = ana.ok("GET", f"/duels/{one['id']}")
    assert (settled["state"], settled["winner_id"]) == ("finished", ana.user["id"])
    nobody = cy.ok("GET", f"/duels/{two['id']}")
    assert (nobody["state"], nobody["winner_id"]) == ("finished", None)
    assert sorted(r["status"] for r in nobody["results"]) == ["abandoned", "abandoned"]


def test_each_player_gets_one_ticket_per_duel_and_a_second_game_does_not_count(new_api: Any) -> None:
    ana, bo = new_api(), new_api()
    duel = accepted(ana, bo)
    ticket = duel_ticket(ana, duel["id"])
    assert error(ana.post("/tickets", json={"mode": "duel", "duel_id": duel["id"]})) == (409, "CONFLICT")
    first, replay = play(ticket, seed=8, pace=SLOW), play(ticket, seed=9, pace=HUMAN)
    wait_for_upload([ticket, ticket], [first, replay])
    results = sync(ana, first, replay)
    assert results[0]["verified"] is True and "TICKET_USED" in codes(results[1])
    (row,) = ana.ok("GET", f"/duels/{duel['id']}")["results"]
    assert row["session_id"] == first["id"]
    # Bo cannot play Ana's ticket as his own either.
    stolen = play(ticket, seed=10, pace=HUMAN)
    assert "TICKET_NOT_YOURS" in codes(sync(bo, stolen)[0])
    assert len(ana.ok("GET", f"/duels/{duel['id']}")["results"]) == 1


def test_a_duel_game_uploaded_after_its_tickets_window_is_kept_but_cannot_win(
    new_api: Any, server: Server
) -> None:
    """Played offline, synced too late: kept verified with LATE_UPLOAD; the slower on-time game wins."""
    ana, bo = new_api(), new_api()
    duel = accepted(ana, bo)
    late_ticket, on_time_ticket = duel_ticket(ana, duel["id"]), duel_ticket(bo, duel["id"])
    fast, slow = play(late_ticket, seed=11, pace=HUMAN), play(on_time_ticket, seed=12, pace=SLOW)
    wait_for_upload([late_ticket, on_time_ticket], [fast, slow])
    # Ana's game waited in her outbox for longer than the shared server's widened window.
    issued = parse_time(late_ticket["issued_at"]) - timedelta(seconds=POOL_SLACK_S + 3600)
    in_database(server, update(tickets).where(tickets.c.id == late_ticket["id"]).values(issued_at=issued))
    (late,) = sync(ana, fast)
    assert (late["result"], late["verified"], codes(late)) == ("created", True, ["LATE_UPLOAD"])
    sync(bo, slow)
    seen = ana.ok("GET", f"/duels/{duel['id']}")
    assert (seen["state"], seen["winner_id"]) == ("finished", bo.user["id"])
    by_player = {r["user_id"]: r for r in seen["results"]}
    assert by_player[ana.user["id"]]["verified"] is False
    assert [r["code"] for r in by_player[ana.user["id"]]["reasons"]] == ["LATE_UPLOAD"]


def test_a_blocked_player_cannot_challenge_and_their_pending_challenge_is_declined(new_api: Any) -> None:
    ana, bo = new_api(), new_api()
    pending = challenge(ana, bo)
    assert bo.ok("POST", f"/users/{ana.user['id']}/block")["message"] == "blocked"
    bo.ok("POST", f"/users/{ana.user['id']}/block")  # blocking twice is the same as once
    assert bo.ok("GET", f"/duels/{pending['id']}")["state"] == "declined"
    assert [row["user"]["id"] for row in bo.ok("GET", "/users/me/blocked")] == [ana.user["id"]]
    assert error(ana.post("/duels", json={"opponent_id": bo.user["id"], **board()})) == (403, "BLOCKED")
    assert error(bo.post("/duels", json={"opponent_id": ana.user["id"], **board()})) == (403, "BLOCKED")
    assert error(bo.post(f"/users/{bo.user['id']}/block")) == (400, "VALIDATION_ERROR")
    assert error(bo.post(f"/users/{uuid.uuid4()}/block")) == (404, "NOT_FOUND")

    assert bo.ok("DELETE", f"/users/{ana.user['id']}/block")["message"] == "not blocked"
    assert bo.ok("GET", "/users/me/blocked") == []
    assert challenge(ana, bo)["state"] == "pending"


def test_new_duels_past_the_players_quota_are_rate_limited(new_api: Any) -> None:
    ana, bo = new_api(), new_api()
    for grid_size in range(3, 3 + DUELS_PER_DAY):
        challenge(ana, bo, grid_size=grid_size)
    response = ana.post("/duels", json={"opponent_id": bo.user["id"], **board(3, "DESC")})
    assert error(response) == (429, "RATE_LIMITED") and int(response.headers["Retry-After"]) > 0
    assert challenge(bo, ana, grid_size=3, order_mode="DESC")["state"] == "pending"  # Bo has his own quota


T0 = datetime(2026, 12, 1, 12, tzinfo=UTC)


def result(
    user: str, time_ms: float | None, mistakes: int = 0, seconds: int = 0, **extra: Any
) -> dict[str, Any]:
    return {
        "user_id": user, "completion_time_ms": time_ms, "mistakes": mistakes, "verified": True,
        "status": "completed" if time_ms is not None else "timeout",
        "finished_at": T0 + timedelta(seconds=seconds), **extra,
    }  # fmt: skip


def test_the_winner_is_the_faster_then_fewer_mistakes_then_the_earlier_finish() -> None:
    assert winner([result("a", 9000, mistakes=3), result("b", 9500)]) == "a"
    assert winner([result("a", 9000, mistakes=1), result("b", 9000)]) == "b"
    assert winner([result("a", 9000, seconds=5), result("b", 9000, seconds=2)]) == "b"
    assert winner([result("a", 9000), result("b", 9000)]) is None  # a dead heat is a draw
    assert winner([result("a", 8000, verified=False), result("b", 9000)]) == "b"
    assert winner([result("a", None), result("b", None)]) is None
    assert winner([result("a", 8000, verified=False)]) is None
    assert winner([]) is None
