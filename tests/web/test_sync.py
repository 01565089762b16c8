"""Sync against the real server: nothing lost offline, nothing uploaded twice."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.web.conftest import open_app, play_through, sequence
from tests.web.test_accounts import PASSWORD, alert, new_email, sign_up, signed_in_as


def play_game(page: Page) -> None:
    """One practice game from the settings screen to the results screen, then back to settings."""
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Start").click()
    play_through(page, sequence(5))
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    page.get_by_role("button", name="Settings").click()


def sync_status(page: Page) -> Any:
    return page.get_by_role("status", name="Sync status")


def local_ids(page: Page) -> set[str]:
    text = page.evaluate("window.schulte.storage.listSessions()")
    return {session["id"] for session in json.loads(text)}


def server_sessions(url: str, email: str) -> list[dict[str, Any]]:
    with httpx.Client(base_url=url + "/api/v1", timeout=30) as http:
        login = http.post("/auth/login", json={"email": email, "password": PASSWORD}).json()["data"]
        headers = {"Authorization": f"Bearer {login['access_token']}"}
        return list(http.get("/sessions", params={"limit": 100}, headers=headers).json()["data"])


def signed_up(context: BrowserContext, url: str, name: str = "Sync") -> tuple[Page, str]:
    page = context.new_page()
    open_app(page, url)
    email = new_email()
    sign_up(page, email, name)
    expect(signed_in_as(page, name)).to_be_visible()
    return page, email


def test_three_games_played_offline_arrive_exactly_once_after_the_page_closed_mid_sync(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    page, email = signed_up(context, server_url)
    context.set_offline(True)
    for _ in range(3):
        play_game(page)
    expect(sync_status(page)).to_have_text("3 waiting (offline)")
    played = local_ids(page)
    assert len(played) == 3

    held: list[Route] = []
    page.route("**/api/v1/sessions/sync", lambda route: held.append(route))  # the upload never gets an answer
    context.set_offline(False)
    deadline = time.monotonic() + 15
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert held, "coming back online started no upload"
    page.close()  # mid-sync

    page = context.new_page()
    open_app(page, server_url)
    expect(sync_status(page)).to_have_text("Synced")
    uploaded = [session["id"] for session in server_sessions(real_server.url, email)]
    assert sorted(uploaded) == sorted(played)


def test_a_sync_answer_lost_after_the_server_committed_loses_nothing_and_duplicates_nothing(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    page, email = signed_up(context, server_url)
    dropped: list[int] = []

    def drop_first_answer(route: Route) -> None:
        if dropped:
            route.continue_()
            return
        route.fetch()  # the server has stored the batch ...
        dropped.append(1)
        route.abort("connectionreset")  # ... and the answer never arrives

    page.route("**/api/v1/sessions/sync", drop_first_answer)
    play_game(page)
    play_game(page)
    expect(sync_status(page)).to_have_text("Synced", timeout=30_000)
    assert dropped == [1]
    played = local_ids(page)
    uploaded = [session["id"] for session in server_sessions(real_server.url, email)]
    assert len(played) == 2
    assert sorted(uploaded) == sorted(played)


def test_a_guest_history_is_offered_and_migrates_on_sign_up(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    page = context.new_page()
    open_app(page, server_url)
    play_game(page)
    play_game(page)
    expect(sync_status(page)).to_have_text("Saved on this device")
    email = new_email()
    sign_up(page, email, "Guest")
    expect(page.get_by_text("This device has 2 games played as a guest.", exact=False)).to_be_visible()
    page.get_by_role("button", name="Upload guest history").click()
    expect(alert(page)).to_have_text("Guest history queued for upload.")
    expect(sync_status(page)).to_have_text("Synced")
    uploaded = [session["id"] for session in server_sessions(real_server.url, email)]
    assert sorted(uploaded) == sorted(local_ids(page))


def test_an_expired_access_token_is_refreshed_without_the_player_noticing(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    page, email = signed_up(context, server_url, "Patient")
    play_game(page)
    expect(sync_status(page)).to_have_text("Synced")
    page.wait_for_timeout(4_000)  # the test server's access tokens live 3 s
    play_game(page)
    expect(sync_status(page)).to_have_text("Synced")
    assert len(server_sessions(real_server.url, email)) == 2
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Account").click()
    expect(signed_in_as(page, "Patient")).to_be_visible()
    expect(alert(page)).not_to_contain_text("sign-in has ended")


def test_a_forged_session_in_the_outbox_ends_up_unverified_and_visible_in_history(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    page, email = signed_up(context, server_url, "Forger")
    context.set_offline(True)
    play_game(page)
    expect(sync_status(page)).to_have_text("1 waiting (offline)")
    page.evaluate(
        """async () => {
          const db = await window.schulte.storage.openDB();
          const tx = db.transaction(["sessions", "outbox"], "readwrite");
          const request = tx.objectStore("outbox").getAll();
          await new Promise((resolve) => { request.onsuccess = resolve; });
          for (const session of request.result) {
            session.completion_time_ms = 2000;  // a time the tap log does not support
            tx.objectStore("outbox").put(session);
            tx.objectStore("sessions").put(session);
          }
          await new Promise((resolve) => { tx.oncomplete = resolve; });
        }"""
    )
    context.set_offline(False)
    expect(sync_status(page)).to_have_text("Synced")
    page.get_by_role("button", name="History").click()
    sessions = page.get_by_role("table", name="Sessions")
    expect(sessions.get_by_role("cell", name="Unverified", exact=False)).to_be_visible()
    stored = server_sessions(real_server.url, email)
    assert len(stored) == 1
    assert stored[0]["verified"] is False
