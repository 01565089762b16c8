"""Profiles, preferences, search, public stats, follows and the friends board."""

from __future__ import annotations

import uuid
from typing import Any

from tests.server.conftest import play, wait_for_upload


def test_profile_changes_and_public_profile(new_api: Any) -> None:
    player = new_api(name="Before")
    changed = player.ok(
        "PATCH", "/users/me", json={"display_name": "After", "avatar_url": "https://example.com/a.png"}
    )
    assert (changed["display_name"], changed["avatar_url"]) == ("After", "https://example.com/a.png")
    public = new_api(register=False).ok("GET", f"/users/{player.user['id']}")
    assert public == {"id": player.user["id"], "display_name": "After", "avatar_url": "https://example.com/a.png",
                      "created_at": public["created_at"]}  # fmt: skip
    assert "email" not in public
    assert player.ok("PATCH", "/users/me", json={"avatar_url": None})["avatar_url"] is None


def test_preferences_sync_by_last_write_wins(new_api: Any) -> None:
    player = new_api()
    settings = {"grid_size": 6, "sound": False}
    newer = player.ok(
        "PATCH", "/users/me/preferences", json={"preferences": settings, "updated_at": "2026-11-25T10:00:00Z"}
    )
    assert newer["applied"] is True
    older = player.ok(
        "PATCH",
        "/users/me/preferences",
        json={"preferences": {"grid_size": 5}, "updated_at": "2026-11-25T09:00:00Z"},
    )
    assert older["applied"] is False and older["preferences"] == {"grid_size": 6, "sound": False}
    assert player.ok("GET", "/users/me")["user"]["preferences"] == {"grid_size": 6, "sound": False}


def test_search_finds_players_by_display_name_prefix(new_api: Any) -> None:
    tag = uuid.uuid4().hex[:8]
    found = new_api(name=f"Zed{tag} One")
    new_api(name=f"zed{tag} Two")
    anonymous = new_api(register=False)
    names = [user["display_name"] for user in anonymous.ok("GET", "/users", params={"search": f"ZED{tag}"})]
    assert sorted(names) == sorted([f"Zed{tag} One", f"zed{tag} Two"])
    assert anonymous.ok("GET", "/users", params={"search": f"{tag}%"}) == []
    assert found.user["id"] in [
        u["id"] for u in anonymous.ok("GET", "/users", params={"search": f"zed{tag} o"})
    ]


def test_follow_unfollow_and_list_following(new_api: Any) -> None:
    me, friend = new_api(), new_api()
    me.ok("POST", f"/users/{friend.user['id']}/follow")
    me.ok("POST", f"/users/{friend.user['id']}/follow")  # twice is once
    following = me.ok("GET", "/users/me/following")
    assert [entry["user"]["id"] for entry in following] == [friend.user["id"]]
    me.ok("DELETE", f"/users/{friend.user['id']}/follow")
    assert me.ok("GET", "/users/me/following") == []
    assert me.post(f"/users/{uuid.uuid4()}/follow").status_code == 404
    assert me.post(f"/users/{me.user['id']}/follow").status_code == 400


def test_friends_board_holds_the_people_you_follow_plus_you(pool: Any, new_api: Any) -> None:
    (me, mine), (friend, theirs), (stranger, other) = pool.take(), pool.take(), pool.take()
    sessions = [play(mine, seed=81), play(theirs, seed=82), play(other, seed=83)]
    wait_for_upload([mine, theirs, other], sessions)
    for api, session in zip((me, friend, stranger), sessions, strict=True):
        api.ok("POST", "/sessions", 201, json=session)
    me.ok("POST", f"/users/{friend.user['id']}/follow")
    board = me.get("/leaderboards/friends").json()
    assert sorted(entry["user_id"] for entry in board["data"]) == sorted([me.user["id"], friend.user["id"]])
    assert board["meta"]["total"] == 2 and board["meta"]["me"]["rank"] in (1, 2)
    assert new_api(register=False).get("/leaderboards/friends").status_code == 401


def test_public_stats_count_sessions_and_streaks(new_api: Any) -> None:
    player = new_api()
    stats = new_api(register=False).ok("GET", f"/users/{player.user['id']}/stats")
    assert stats["total_sessions"] == 0 and stats["current_streak"] == 0 and stats["boards"] == []
    assert new_api(register=False).get(f"/users/{uuid.uuid4()}/stats").status_code == 404
