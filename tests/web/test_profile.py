"""Profile and friends against the real server: profile links, stats merged from device and account."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.web.conftest import open_app
from tests.web.test_accounts import PASSWORD, open_account
from tests.web.test_sync import play_game, signed_up, sync_status

LIST_SESSIONS = "window.schulte.storage.listSessions()"


def profile_row(page: Page, name: str) -> Locator:
    rows = page.get_by_role("table", name="Your stats").get_by_role("row")
    return rows.filter(has=page.get_by_role("rowheader", name=name, exact=True)).get_by_role("cell")


def found(page: Page) -> Locator:
    return page.get_by_role("list", name="Players found")


def another_player(server: Any, prefix: str) -> tuple[str, str]:
    """A player who signed up elsewhere (through the API): their display name and id."""
    from tests.server.conftest import Api

    player = Api(server.url).register(f"{prefix} {uuid.uuid4().hex[:6]}")
    player.http.close()
    return player.user["display_name"], player.user["id"]


def test_a_player_is_found_by_their_profile_link_and_followed(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    name, friend_id = another_player(real_server, "Linked")
    friend_link = f"{server_url}#player={friend_id}"

    page, _email = signed_up(context, server_url, "Seeker")
    own_link = page.get_by_role("link", name=re.compile(r"#player="))
    my_id = page.evaluate("window.schulte.account.userId()")
    expect(own_link).to_have_text(f"{server_url}#player={my_id}")

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Boards").click()
    search = page.get_by_role("form", name="Find players")
    search.get_by_label("Display name or profile link").fill(f"{server_url}#player={uuid.uuid4()}")
    search.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status").filter(has_text="No player has this profile link.")).to_be_visible()

    search.get_by_label("Display name or profile link").fill(friend_link)
    search.get_by_role("button", name="Search").click()
    expect(found(page).get_by_role("listitem")).to_have_count(1)
    found(page).get_by_role("button", name=f"Follow {name}").click()
    expect(page.get_by_role("list", name="Following")).to_contain_text(name)

    # Opening the link itself (e.g. sent in a message) shows that player on the boards screen.
    page.goto(friend_link)
    expect(page.get_by_role("heading", name="Leaderboards")).to_be_visible()
    expect(found(page).get_by_role("button", name=f"Unfollow {name}")).to_be_visible(timeout=30_000)
    assert "#player=" not in page.url  # a reload opens the app as usual


def test_a_guest_opening_a_profile_link_sees_the_player_and_is_asked_to_sign_in(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    name, friend_id = another_player(real_server, "Shared")
    page = context.new_page()
    page.goto(f"{server_url}#player={friend_id}")
    expect(found(page)).to_contain_text(name, timeout=60_000)
    found(page).get_by_role("button", name=f"Follow {name}").click()
    expect(page.get_by_role("status").filter(has_text="Sign in (Account) to follow players.")).to_be_visible()


def test_the_profile_counts_games_from_other_devices_and_games_not_uploaded_yet(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    from tests.server.conftest import Api, practice

    page, email = signed_up(context, server_url, "Merger")
    other_device = Api(real_server.url)
    login = other_device.ok("POST", "/auth/login", json={"email": email, "password": PASSWORD})
    other_device.token = login["access_token"]
    yesterday = datetime.now(UTC) - timedelta(days=1)
    sessions = [practice(seed=11, started_at=yesterday), practice(seed=12, started_at=yesterday)]
    answer = other_device.ok("POST", "/sessions/sync", json={"sessions": sessions})
    assert all(result["verified"] for result in answer), answer
    other_device.http.close()
    other_best = min(session["completion_time_ms"] for session in sessions)

    context.set_offline(True)
    play_game(page)  # this device, today, waiting in the outbox
    expect(sync_status(page)).to_have_text("1 waiting (offline)")
    open_account(page)
    expect(page.locator("#profile-source")).to_have_text(re.compile(r"^Your games on this device only: "))
    expect(profile_row(page, "Games played")).to_have_text("1")
    expect(profile_row(page, "Current streak")).to_have_text("1 day")

    context.set_offline(False)
    expect(sync_status(page)).to_have_text("Synced")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    open_account(page)
    expect(page.locator("#profile-source")).to_have_text("Your games on this device and in your account.")
    expect(profile_row(page, "Games played")).to_have_text("3")
    # Playwright taps faster than any human: the server keeps this device's game, unverified.
    expect(profile_row(page, "Verified by the server")).to_have_text("2")
    expect(profile_row(page, "Current streak")).to_have_text("2 days")
    expect(profile_row(page, "Longest streak")).to_have_text("2 days")
    times = [session["completion_time_ms"] for session in json.loads(page.evaluate(LIST_SESSIONS))]
    assert len(times) == 3 and other_best in times
    # core's one rule (core/stats.py): the unverified game counts as played, never as a best or in an
    # average, on the device as on the server.
    expect(profile_row(page, "5×5 ascending: best")).to_have_text(f"{other_best / 1000:.3f} s")
    expect(profile_row(page, "5×5 ascending: average")).to_have_text(
        re.compile(r"^\d+\.\d{3} s \(2 games\)$")
    )


def test_a_guest_sees_stats_of_this_devices_history(context: BrowserContext, server_url: str) -> None:
    page = context.new_page()
    open_app(page, server_url)
    play_game(page)
    open_account(page)
    expect(page.locator("#profile-source")).to_have_text(
        "Your games on this device. Sign in to count your other devices too."
    )
    expect(profile_row(page, "Games played")).to_have_text("1")
    expect(profile_row(page, "Verified by the server")).to_have_count(0)
