"""Sync against the real server: nothing lost offline, nothing uploaded twice."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.web.conftest import open_app, play_through, sequence, wait_ready
from tests.web.test_accounts import PASSWORD, alert, new_email, sign_in, sign_up, signed_in_as


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


def signed_up(context: BrowserContext, url: str, name: str | None = None) -> tuple[Page, str]:
    name = name or f"Sync {uuid.uuid4().hex[:6]}"  # display names are unique on the server
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


def test_two_browser_profiles_of_one_account_see_the_same_history_and_preferences(
    context: BrowserContext, browser: Browser, server_url: str, real_server: Any
) -> None:
    page, email = signed_up(context, server_url, "Twin")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    page.get_by_label("Dark").check()
    play_game(page)
    expect(sync_status(page)).to_have_text("Synced")
    played = local_ids(page)
    wait_until(lambda: server_me(real_server.url, email)["preferences"].get("theme") == "dark")

    other = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        second = other.new_page()
        open_app(second, server_url)
        sign_in(second, email)
        expect(signed_in_as(second, "Twin")).to_be_visible()
        expect(alert(second)).to_have_text("1 game from your other devices added to History.")
        second.get_by_role("button", name="History").click()
        expect(second.get_by_role("table", name="Sessions").get_by_role("row")).to_have_count(2)  # head + 1
        assert local_ids(second) == played
        second.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
        expect(second.get_by_label("Dark")).to_be_checked()

        second.get_by_role("radio", name="6×6").check()  # a later change wins on the first device
        wait_until(lambda: server_me(real_server.url, email)["preferences"].get("grid_size") == "6")
    finally:
        other.close()
    page.reload()
    wait_ready(page)
    expect(page.get_by_role("radio", name="6×6")).to_be_checked()
    expect(page.get_by_label("Dark")).to_be_checked()


def server_me(url: str, email: str) -> dict[str, Any]:
    with httpx.Client(base_url=url + "/api/v1", timeout=30) as http:
        login = http.post("/auth/login", json={"email": email, "password": PASSWORD}).json()["data"]
        headers = {"Authorization": f"Bearer {login['access_token']}"}
        return dict(http.get("/auth/me", headers=headers).json()["data"])


def wait_until(condition: Callable[[], bool], timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


def test_a_game_deleted_offline_is_deleted_on_the_server_and_never_comes_back(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    page, email = signed_up(context, server_url, "Tidy")
    play_game(page)
    play_game(page)
    expect(sync_status(page)).to_have_text("Synced")
    wait_until(lambda: len(server_sessions(real_server.url, email)) == 2)  # the second upload may still run

    context.set_offline(True)
    page.get_by_role("button", name="History").click()
    sessions = page.get_by_role("table", name="Sessions")
    sessions.get_by_role("button", name="Delete", exact=False).first.click()
    expect(sessions.get_by_role("row")).to_have_count(2)  # head + the game kept
    kept = local_ids(page)
    page.reload()  # closing the app before the server heard of it loses nothing
    wait_ready(page)
    context.set_offline(False)
    wait_until(lambda: {s["id"] for s in server_sessions(real_server.url, email)} == kept)

    page.reload()  # the app start pulls the server's history: the deleted game stays deleted
    wait_ready(page)
    expect(sync_status(page)).to_have_text("Synced")
    page.get_by_role("button", name="History").click()
    expect(page.get_by_role("table", name="Sessions").get_by_role("row")).to_have_count(2)
    assert local_ids(page) == kept


# The app's IndexedDB as version 2 left it, with one game waiting in the outbox.
VERSION_2_WITH_A_WAITING_GAME = """async (session) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("schulte", 2);
    request.onupgradeneeded = () => {
      const v2 = request.result;
      v2.createObjectStore("sessions", { keyPath: "id" }).createIndex("started_at", "started_at");
      v2.createObjectStore("outbox", { keyPath: "id" });
      v2.createObjectStore("sync", { keyPath: "id" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const tx = db.transaction(["sessions", "outbox"], "readwrite");
  tx.objectStore("sessions").put(session);
  tx.objectStore("outbox").put(session);
  await new Promise((resolve) => { tx.oncomplete = resolve; });
  db.close();
}"""


def test_a_game_waiting_in_the_previous_versions_storage_is_uploaded_after_the_update(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    from tests.server.conftest import practice

    waiting = practice(seed=21)
    before = context.new_page()
    before.goto(server_url + "api/v1/health")  # the app's origin, before this version of the app ran
    before.evaluate(VERSION_2_WITH_A_WAITING_GAME, waiting)
    before.close()

    page, email = signed_up(context, server_url, "Updated")
    expect(sync_status(page)).to_have_text("Synced")
    assert [session["id"] for session in server_sessions(real_server.url, email)] == [waiting["id"]]
    assert local_ids(page) == {waiting["id"]}
    databases = page.evaluate("async () => await indexedDB.databases()")
    assert [db["version"] for db in databases if db["name"] == "schulte"] == [3]
