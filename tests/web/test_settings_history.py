"""Settings and history persist; leaving mid-game is recorded as abandoned; export and import."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import time
import uuid
from pathlib import Path

from playwright.sync_api import BrowserContext, Error, Page, Playwright, expect

from tests.web.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    board,
    cell,
    open_app,
    play_through,
    sequence,
    stat,
    wait_ready,
)


def test_settings_are_usable_before_python_and_persist_over_reload(
    context: BrowserContext, app_url: str
) -> None:
    page = context.new_page()
    page.goto(app_url)
    # The plain-HTML form works while Python is still loading.
    page.get_by_role("radio", name="7×7").check()
    page.get_by_label("Descending (N² → 1)").check()
    page.get_by_label("Max time").fill("60")
    page.get_by_label("Dark").check()
    page.get_by_label("Sound effects").check()
    page.get_by_label("Centre fixation dot").uncheck()
    page.reload()
    expect(page.get_by_role("radio", name="7×7")).to_be_checked()
    expect(page.get_by_label("Descending (N² → 1)")).to_be_checked()
    expect(page.get_by_label("Max time")).to_have_value("60")
    expect(page.get_by_text("60 s", exact=True)).to_be_visible()
    expect(page.get_by_label("Dark")).to_be_checked()
    expect(page.get_by_label("Sound effects")).to_be_checked()
    expect(page.get_by_label("Centre fixation dot")).not_to_be_checked()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    wait_ready(page)
    page.get_by_role("button", name="Start").click()
    expect(board(page).get_by_role("button")).to_have_count(49)
    expect(page.get_by_text("Find 49", exact=True)).to_be_visible()
    expect(page.locator("#remaining")).to_have_text("1:00")


def _play_one(page: Page, mistakes: int = 0) -> None:
    page.get_by_role("button", name="Start").click()
    for _ in range(mistakes):
        cell(page, 25).click()
    play_through(page, sequence(5))
    expect(stat(page, "Status")).to_have_text("Completed")


def test_history_lists_sessions_and_survives_reload(page: Page) -> None:
    _play_one(page)
    page.get_by_role("button", name="Play again").click()
    cell(page, 1).click()
    page.get_by_role("button", name="Quit").click()
    expect(stat(page, "Status")).to_have_text("Abandoned")
    page.reload()
    wait_ready(page)
    page.get_by_role("button", name="History").click()
    rows = page.get_by_role("table", name="Sessions").get_by_role("row")
    expect(rows).to_have_count(3)  # header + 2
    expect(page.get_by_role("cell", name="Completed")).to_be_visible()
    expect(page.get_by_role("cell", name="Abandoned")).to_be_visible()
    expect(page.get_by_text(re.compile(r"5×5 ascending: \d+\.\d{3} s"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Best time per day for 5×5"))).to_be_visible()

    page.get_by_label("Order").select_option("DESC")
    expect(page.get_by_text("No sessions yet.")).to_be_visible()
    page.get_by_label("Order").select_option("ASC")
    expect(rows).to_have_count(3)

    rows.nth(1).get_by_role("button", name=re.compile("Delete")).click()
    expect(rows).to_have_count(2)
    page.reload()
    wait_ready(page)
    page.get_by_role("button", name="History").click()
    expect(page.get_by_role("table", name="Sessions").get_by_role("row")).to_have_count(2)


def test_leaving_mid_game_is_recorded_as_abandoned(page: Page, app_url: str) -> None:
    page.get_by_role("button", name="Start").click()
    cell(page, 1).click()
    cell(page, 2).click()
    page.goto("about:blank")  # navigating away
    open_app(page, app_url)
    page.get_by_role("button", name="History").click()
    expect(page.get_by_role("cell", name="Abandoned")).to_have_count(1)


def _renderers_of(marker: str) -> list[int]:
    """PIDs of the renderer processes of the Chromium whose command line carries ``marker``."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            commands[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parents[int(proc.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    roots = {pid for pid, command in commands.items() if marker in command and "--type=" not in command}

    def descends(pid: int) -> bool:
        while pid > 1:
            if pid in roots:
                return True
            pid = parents.get(pid, 0)
        return False

    return [pid for pid, command in commands.items() if "--type=renderer" in command and descends(pid)]


def test_a_killed_tab_loses_nothing_the_game_is_recovered_as_abandoned(
    playwright: Playwright, app_url: str
) -> None:
    marker = f"--schulte-test-{uuid.uuid4()}"
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, marker])
    try:
        context = browser.new_context()
        page = context.new_page()
        open_app(page, app_url)
        page.get_by_role("button", name="Start").click()
        cell(page, 1).click()
        cell(page, 3).click()  # a wrong tap is kept too
        # Kill the tab's renderer like an OS reclaiming memory: no pagehide, no visibilitychange.
        crashed: list[bool] = []
        page.on("crash", lambda _page: crashed.append(True))
        victims = _renderers_of(marker)
        assert victims
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not crashed and time.monotonic() < deadline:
            with contextlib.suppress(Error):  # the crash ends the wait with an error
                page.wait_for_timeout(100)
        assert crashed
        fresh = context.new_page()
        open_app(fresh, app_url)
        fresh.get_by_role("button", name="History").click()
        row = fresh.get_by_role("row").filter(has=fresh.get_by_role("cell", name="Abandoned"))
        expect(row).to_have_count(1)
        expect(row.get_by_role("cell", name="96%")).to_be_visible()  # the wrong tap survived
    finally:
        browser.close()


def test_export_then_import_into_a_fresh_profile_restores_the_history(
    page: Page, context: BrowserContext, app_url: str, tmp_path: Path
) -> None:
    _play_one(page, mistakes=1)
    page.get_by_role("button", name="Play again").click()
    cell(page, 1).click()
    page.get_by_role("button", name="Quit").click()
    page.get_by_role("button", name="History").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export all (JSON)").click()
    exported = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(exported)
    document = json.loads(exported.read_text())
    assert len(document["sessions"]) == 2
    assert {s["status"] for s in document["sessions"]} == {"completed", "abandoned"}
    assert all(s["tap_events"] for s in document["sessions"])

    fresh_context = context.browser.new_context()
    try:
        fresh = fresh_context.new_page()
        open_app(fresh, app_url)
        fresh.get_by_role("button", name="History").click()
        expect(fresh.get_by_text("No sessions yet.")).to_be_visible()
        importer = fresh.get_by_label("Import history")
        importer.set_input_files(exported)
        expect(fresh.get_by_text("Imported 2 new sessions")).to_be_visible()
        rows = fresh.get_by_role("table", name="Sessions").get_by_role("row")
        expect(rows).to_have_count(3)
        expect(fresh.get_by_role("cell", name="96%")).to_be_visible()

        importer.set_input_files(exported)  # idempotent by id
        expect(fresh.get_by_text("Imported 0 new sessions (2 already in your history)")).to_be_visible()
        expect(rows).to_have_count(3)

        broken = dict(document)
        broken["sessions"] = [*document["sessions"], {**document["sessions"][0], "id": "not-a-uuid"}]
        bad = tmp_path / "broken.json"
        bad.write_text(json.dumps(broken))
        importer.set_input_files(bad)
        expect(
            fresh.get_by_text(
                re.compile(r"Import rejected: session 3 is malformed \(id: .*Nothing was changed")
            )
        ).to_be_visible()
        not_json = tmp_path / "notes.json"
        not_json.write_text("this is not json")
        importer.set_input_files(not_json)
        expect(fresh.get_by_text(re.compile("Import rejected: the file is not valid JSON"))).to_be_visible()
        expect(rows).to_have_count(3)
    finally:
        fresh_context.close()
