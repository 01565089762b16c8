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


def test_avatar_urls_must_be_plain_https(new_api: Any) -> None:
    player = new_api()
    for url in ('https://x/"><img/onerror=alert(1)>', "http://example.com/a.png", "javascript:alert(1)",
                "https://example.com/a.png' onload='x", "data:image/png;base64,AAAA"):  # fmt: skip
        response = player.request("PATCH", "/users/me", json={"avatar_url": url})
        assert response.status_code == 400, url
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert player.ok("GET", "/auth/me")["avatar_url"] is None


def test_display_names_are_nfkc_normalised_and_refuse_bidi_and_control_characters(new_api: Any) -> None:
    player = new_api()
    tag = uuid.uuid4().hex[:6]
    wide = "".join(chr(ord(c) + 0xFEE0) for c in f"Ada{tag}")  # fullwidth letters: NFKC makes them ASCII
    assert player.ok("PATCH", "/users/me", json={"display_name": wide})["display_name"] == f"Ada{tag}"
    for sneaky in (f"Ada\u202e{tag}", f"\u2066Ada{tag}\u2069", f"Ada\u200b{tag}", f"Ada\u00ad{tag}"):
        response = player.request("PATCH", "/users/me", json={"display_name": sneaky})
        assert response.status_code == 400, ascii(sneaky)
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    registered = new_api(register=False).post(
        "/auth/register",
        json={
            "email": f"{tag}@example.com",
            "password": "a good password",
            "display_name": f"\u202eAdmin{tag}",
        },
    )
    assert registered.status_code == 400


def test_display_names_are_unique_regardless_of_case_and_width(new_api: Any) -> None:
    name = f"Unique {uuid.uuid4().hex[:6]}"
    new_api(name=name)
    impostor = new_api()
    for lookalike in (
        name.upper(),
        name.lower(),
        "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in name),
    ):
        response = impostor.request("PATCH", "/users/me", json={"display_name": lookalike})
        assert response.status_code == 409 and response.json()["error"]["code"] == "CONFLICT", lookalike
    assert impostor.ok("PATCH", "/users/me", json={"display_name": impostor.user["display_name"].upper()})
