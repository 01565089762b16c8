"""Ranked play against the real server: a ticket's board, no pause, rank and percentile afterwards."""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, expect

from core import label
from tests.web.conftest import board, cell, sequence
from tests.web.test_sync import signed_up, sync_status


def test_a_ranked_game_shows_its_rank_on_the_daily_board_and_its_percentile(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    page, _email = signed_up(context, server_url, "Ranker")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Ranked").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    expect(page.get_by_role("button", name="Pause")).to_be_hidden()

    pace = random.Random(6)
    for number in sequence(5):
        page.wait_for_timeout(pace.uniform(170, 330))  # a human's irregular pace: the server replays it
        cell(page, number).click()

    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    expect(page.get_by_role("status", name="Ranking")).to_have_text(
        re.compile(r"^Rank \d+ on today's board · faster than \d+% of players$"), timeout=30_000
    )
    expect(sync_status(page)).to_have_text("Synced")
    query = {"grid_size": 5, "order_mode": "ASC"}
    daily = httpx.get(f"{real_server.url}/api/v1/leaderboards/daily", params=query)
    names = [row.get("display_name") for row in daily.json()["data"]]
    assert "Ranker" in names

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Boards").click()
    leaderboard = page.get_by_role("table", name="Leaderboard")
    own = leaderboard.get_by_role("row").filter(has_text="Ranker")
    expect(own).to_have_attribute("aria-current", "true")
    expect(own.get_by_role("cell").first).to_have_text(re.compile(r"^\d+$"))
    expect(page.get_by_role("status", name="Your place")).to_have_text(
        re.compile(r"^Your place: rank \d+, best \d+\.\d{3} s · faster than \d+% of players$")
    )
    challenges = page.get_by_role("list", name="Challenges").get_by_role("listitem")
    expect(challenges.filter(has_text="Daily challenge")).to_contain_text("1 attempt left")
    expect(challenges.filter(has_text="Weekly challenge")).to_contain_text("3 attempts left")

    page.get_by_role("combobox", name="Board").select_option("Friends")
    expect(leaderboard.get_by_role("row").filter(has_text="Ranker")).to_have_attribute("aria-current", "true")

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Account").click()
    stats = page.get_by_role("table", name="Your stats").get_by_role("row")
    expect(stats.filter(has_text="Verified")).to_contain_text("1")
    expect(stats.filter(has_text="Current streak")).to_contain_text("1 day")
    expect(stats.filter(has_text="5×5 ascending: best")).to_contain_text(re.compile(r"\d+\.\d{3} s"))


def test_ranked_needs_the_network_at_the_start_and_offers_practice_when_offline(
    context: BrowserContext, server_url: str
) -> None:
    page, _email = signed_up(context, server_url, "Offline")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    context.set_offline(True)
    page.get_by_role("button", name="Ranked").click()
    expect(page.get_by_role("alert").filter(has_text="You are offline")).to_have_text(
        "You are offline. Ranked play needs the network to fetch a fresh board: play practice instead."
    )
    page.get_by_role("button", name="Play practice instead").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    expect(page.get_by_role("button", name="Pause")).to_be_visible()


def test_a_followed_friends_result_appears_on_the_friends_board(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    from tests.server.conftest import Api, play, wait_for_upload  # the server suite's simulated player

    friend = Api(real_server.url).register(f"Friend {uuid.uuid4().hex[:6]}")
    ticket = friend.ticket()
    session = play(ticket, seed=3)
    wait_for_upload([ticket], [session])
    tokens = friend.ok("POST", "/auth/refresh", json={"refresh_token": friend.refresh_token})
    friend.token = tokens["access_token"]  # this server's access tokens live 3 s
    answer = friend.post("/sessions/sync", json={"sessions": [session]}).json()
    assert answer["data"][0]["verified"], answer
    friend.http.close()
    name = friend.user["display_name"]

    page, _email = signed_up(context, server_url, "Follower")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Boards").click()
    page.get_by_role("combobox", name="Board").select_option("Friends")
    leaderboard = page.get_by_role("table", name="Leaderboard")
    expect(page.get_by_role("status", name="Your place")).to_have_text("You are not on this board yet.")
    expect(leaderboard.get_by_role("row").filter(has_text=name)).to_have_count(0)

    search = page.get_by_role("form", name="Find players")
    search.get_by_label("Display name").fill(name)
    search.get_by_role("button", name="Search").click()
    page.get_by_role("list", name="Players found").get_by_role("button", name=f"Follow {name}").click()
    expect(page.get_by_role("status").filter(has_text=f"Following {name}.")).to_be_visible()
    expect(page.get_by_role("list", name="Following")).to_contain_text(name)
    expect(leaderboard.get_by_role("row").filter(has_text=name)).to_have_count(1)

    page.get_by_role("list", name="Following").get_by_role("button", name=f"Unfollow {name}").click()
    expect(leaderboard.get_by_role("row").filter(has_text=name)).to_have_count(0)


def test_the_daily_challenge_is_played_once_and_shows_its_place_on_the_challenge_board(
    context: BrowserContext, server_url: str
) -> None:
    page, _email = signed_up(context, server_url, "Challenger")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Boards").click()
    challenges = page.get_by_role("list", name="Challenges").get_by_role("listitem")
    daily = challenges.filter(has_text="Daily challenge")
    expect(daily).to_contain_text("1 attempt left")
    daily.get_by_role("button", name="Play daily challenge").click()

    cells = board(page).get_by_role("button")
    expect(cells.first).to_be_visible()
    size = int(cells.count() ** 0.5)
    assert size in (5, 6, 7)
    first = int(page.locator("#target").inner_text())
    pace = random.Random(7)
    for number in sequence(size, "ASC" if first == 1 else "DESC"):
        page.wait_for_timeout(pace.uniform(170, 330))
        cell(page, number).click()

    expect(page.get_by_role("status", name="Ranking")).to_have_text(
        re.compile(r"^Rank \d+ on the daily challenge board · faster than \d+% of players$"), timeout=30_000
    )
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Boards").click()
    expect(daily).to_contain_text("0 attempts left")
    expect(daily.get_by_role("button", name="Play daily challenge")).to_have_count(0)


# In the browser: make the waiting ranked game four times faster, tap log and time alike, as a cheat
# editing IndexedDB would (the replay must catch it by the taps, not by a mismatched total).
SPEED_UP_THE_OUTBOX = """async () => {
  const db = await window.schulte.storage.openDB();
  const tx = db.transaction(["sessions", "outbox"], "readwrite");
  const request = tx.objectStore("outbox").getAll();
  await new Promise((resolve) => { request.onsuccess = resolve; });
  for (const session of request.result) {
    const first = session.tap_events[0].timestamp_ms;
    for (const tap of session.tap_events) tap.timestamp_ms = first + (tap.timestamp_ms - first) / 4;
    const correct = session.tap_events.filter((tap) => tap.correct).map((tap) => tap.timestamp_ms);
    session.completion_time_ms = Math.round(correct[correct.length - 1] - correct[0]);
    tx.objectStore("outbox").put(session);
    tx.objectStore("sessions").put(session);
  }
  await new Promise((resolve) => { tx.oncomplete = resolve; });
  return request.result.length;
}"""


def test_a_forged_ranked_result_stays_unverified_in_history_and_off_the_board(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    name = f"Cheat {uuid.uuid4().hex[:6]}"
    page, _email = signed_up(context, server_url, name)
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Ranked").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    context.set_offline(True)  # a ranked game may finish offline: it waits in the outbox
    pace = random.Random(8)
    for number in sequence(5):
        page.wait_for_timeout(pace.uniform(170, 330))
        cell(page, number).click()
    expect(page.get_by_role("status", name="Ranking")).to_have_text(
        "Ranked result saved. It is uploaded when you are online."
    )
    expect(sync_status(page)).to_have_text("1 waiting (offline)")
    assert page.evaluate(SPEED_UP_THE_OUTBOX) == 1

    context.set_offline(False)
    expect(sync_status(page)).to_have_text("Synced")
    page.get_by_role("button", name="History").click()
    sessions = page.get_by_role("table", name="Sessions")
    expect(sessions.get_by_role("row")).to_have_count(2)  # head + the forged game: kept, not hidden
    expect(sessions.get_by_role("cell", name="Unverified", exact=False)).to_contain_text(
        "below the human floor"
    )

    query = {"grid_size": 5, "order_mode": "ASC", "limit": 100}
    daily = httpx.get(f"{real_server.url}/api/v1/leaderboards/daily", params=query).json()
    assert name not in [row["display_name"] for row in daily["data"]]
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Boards").click()
    expect(page.get_by_role("status", name="Your place")).to_have_text("You are not on this board yet.")
    expect(
        page.get_by_role("table", name="Leaderboard").get_by_role("row").filter(has_text=name)
    ).to_have_count(0)


def test_an_offline_ranked_game_synced_after_its_tickets_window_says_why_it_did_not_count(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    name = f"Late {uuid.uuid4().hex[:6]}"
    page, _email = signed_up(context, server_url, name)
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Ranked").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    context.set_offline(True)
    pace = random.Random(9)
    for number in sequence(5):
        page.wait_for_timeout(pace.uniform(170, 330))
        cell(page, number).click()
    expect(sync_status(page)).to_have_text("1 waiting (offline)")
    page.wait_for_timeout(24_000)  # past the window: 20 s to start + the game + the server's 2 s slack

    context.set_offline(False)
    expect(sync_status(page)).to_have_text("Synced")
    page.get_by_role("button", name="History").click()
    sessions = page.get_by_role("table", name="Sessions")
    expect(sessions.get_by_role("cell", name="Not ranked", exact=False)).to_contain_text("after its ticket")
    query = {"grid_size": 5, "order_mode": "ASC", "limit": 100}
    daily = httpx.get(f"{real_server.url}/api/v1/leaderboards/daily", params=query).json()
    assert name not in [row["display_name"] for row in daily["data"]]


def test_a_ranked_gorbov_game_reaches_the_gorbov_board_and_only_that_board(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    page, _email = signed_up(context, server_url, "Redblack")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    page.get_by_role("radio", name="Gorbov red-black").check()
    page.get_by_role("button", name="Ranked").click()
    expect(board(page).get_by_role("button", name=re.compile(r"^red \d+$"))).to_have_count(12)
    expect(page.get_by_text("Find black 1", exact=True)).to_be_visible()

    pace = random.Random(11)
    for token in sequence(5):
        page.wait_for_timeout(pace.uniform(170, 330))
        shown = label("gorbov", 5, token)
        board(page).get_by_role("button", name=f"{shown.colour} {shown.text}", exact=True).click()

    expect(
        page.get_by_role("table", name="Result").get_by_role("row").filter(has_text="Board")
    ).to_contain_text("5×5 ascending, Gorbov red-black")
    expect(page.get_by_role("status", name="Ranking")).to_have_text(
        re.compile(r"^Rank \d+ on today's board · faster than \d+% of players$"), timeout=30_000
    )
    daily = f"{real_server.url}/api/v1/leaderboards/daily"
    on_gorbov = httpx.get(daily, params={"grid_size": 5, "order_mode": "ASC", "variant": "gorbov"}).json()[
        "data"
    ]
    on_classic = httpx.get(daily, params={"grid_size": 5, "order_mode": "ASC"}).json()["data"]
    assert "Redblack" in [row["display_name"] for row in on_gorbov]
    assert "Redblack" not in [row["display_name"] for row in on_classic]

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Boards").click()
    leaderboard = page.get_by_role("table", name="Leaderboard")
    expect(page.get_by_role("status", name="Your place")).to_have_text("You are not on this board yet.")
    page.get_by_role("combobox", name="Variant").select_option("Gorbov red-black")
    expect(leaderboard.get_by_role("row").filter(has_text="Redblack")).to_have_attribute(
        "aria-current", "true"
    )
    expect(page.get_by_role("status", name="Your place")).to_have_text(re.compile(r"^Your place: rank \d+"))

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Account").click()
    stats = page.get_by_role("table", name="Your stats").get_by_role("row")
    expect(stats.filter(has_text="5×5 ascending, Gorbov red-black: best")).to_contain_text(
        re.compile(r"\d+\.\d{3} s")
    )
