"""A whole duel between two browser profiles against the real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import random
import re
import uuid
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.web.conftest import board, sequence, wait_ready
from tests.web.test_sync import signed_up, sync_status
from tests.web.test_variants import choose, token_cell


def open_boards(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Boards").click()
    expect(page.get_by_role("heading", name="Leaderboards")).to_be_visible()


def play_duel(page: Page, rival: str, pace: tuple[float, float], seed: int) -> None:
    """Start the duel with ``rival`` from the boards screen and find every letter, Y to A, at a human pace."""
    open_boards(page)
    # As a player would: read the duel's fresh state first (opening the screen reloads the list).
    expect(duel_row(page, rival)).to_contain_text("accepted")
    page.get_by_role("button", name=f"Play the duel with {rival}").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    expect(page.get_by_role("button", name="Pause")).to_be_hidden()  # locked like a ranked game
    rng = random.Random(seed)
    for token in sequence(5, "DESC"):
        page.wait_for_timeout(rng.uniform(*pace))  # an irregular human pace: the server replays it
        token_cell(page, "letters", 5, token).click()
    expect(page.get_by_role("heading", name="Results")).to_be_visible()


def duel_row(page: Page, rival: str) -> Any:
    return page.get_by_role("list", name="Duels").get_by_role("listitem").filter(has_text=rival)


def open_history(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name="History").click()
    expect(page.get_by_role("table", name="Sessions")).to_be_visible()


def duel_record(page: Page) -> Any:
    """The account screen's one-line duel record."""
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Account").click()
    return page.get_by_role("status", name="Your duels")


def profile(browser: Browser) -> BrowserContext:
    """A fresh browser profile, under the server's real CSP."""
    return browser.new_context(viewport={"width": 1000, "height": 900})


def test_a_whole_duel_on_the_picked_board_challenge_accept_both_play_one_offline_and_both_see_the_result(
    browser: Browser, server_url: str
) -> None:
    tag = uuid.uuid4().hex[:5]
    ana_name, bo_name = f"Ana {tag}", f"Bo {tag}"
    ana_context, bo_context = profile(browser), profile(browser)
    try:
        ana, _ = signed_up(ana_context, server_url, ana_name)
        bo, _ = signed_up(bo_context, server_url, bo_name)

        # Ana last played letters, 5×5, descending: the picker starts there, not on the boards screen's board.
        ana.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
        choose(ana, size=5, variant="Letters")
        ana.get_by_role("radio", name="Descending").check()
        open_boards(ana)
        ana.get_by_label("Display name or profile link").fill(bo_name)
        ana.get_by_role("button", name="Search").click()
        ana.get_by_role("button", name=f"Challenge {bo_name}").click()
        picker = ana.get_by_role("form", name=f"Challenge {bo_name}")
        expect(picker.get_by_label("Duel size")).to_have_value("5")
        expect(picker.get_by_label("Duel variant")).to_have_value("letters")
        expect(picker.get_by_label("Duel direction")).to_have_value("DESC")
        six = picker.get_by_label("Duel size").locator("option[value='6']")
        expect(six).to_be_disabled()  # letters: 3–5 only
        picker.get_by_role("button", name="Send challenge").click()
        expect(picker).to_be_hidden()
        sent = ana.get_by_role("status").filter(has_text=f"You challenged {bo_name} to 5×5, letters.")
        expect(sent).to_be_visible()
        expect(duel_row(ana, bo_name)).to_contain_text("5×5 descending, letters — pending")

        # Bo sees the challenge when his app starts, with a badge.
        bo.reload()
        wait_ready(bo)
        badge = bo.get_by_role("button", name=f"{ana_name} challenged you to 5×5, letters")
        expect(badge).to_be_visible(timeout=30_000)
        badge.click()
        bo.get_by_role("button", name=f"Accept {ana_name}'s challenge").click()
        expect(duel_row(bo, ana_name)).to_contain_text("accepted")
        expect(badge).to_be_hidden()

        # Bo is offline while Ana plays; her game is uploaded and waits for his.
        bo_context.set_offline(True)
        play_duel(ana, bo_name, (350, 500), seed=1)
        expect(sync_status(ana)).to_have_text("Synced", timeout=30_000)
        open_boards(ana)
        expect(duel_row(ana, bo_name)).to_contain_text("accepted")
        waiting_for_bo = duel_row(ana, bo_name).get_by_role("row").filter(has_text=bo_name)
        expect(waiting_for_bo).to_contain_text("not played")
        open_history(ana)
        newest = ana.get_by_role("table", name="Sessions").get_by_role("row").nth(1)
        expect(newest).to_contain_text("Duel: Pending")
        expect(duel_record(ana)).to_have_text("Duels: 0 won, 0 lost, 1 pending")

        bo_context.set_offline(False)
        expect(sync_status(bo)).to_have_text("Synced", timeout=30_000)
        play_duel(bo, ana_name, (600, 750), seed=2)
        expect(sync_status(bo)).to_have_text("Synced", timeout=30_000)

        for page, rival, outcome in ((bo, ana_name, "you lost"), (ana, bo_name, "you won")):
            open_boards(page)
            row = duel_row(page, rival)
            expect(row).to_contain_text(outcome, timeout=30_000)
            result = row.get_by_role("table", name=re.compile("^Duel result"))
            times = result.get_by_role("row").filter(has=page.get_by_role("rowheader"))
            expect(times).to_have_count(2)
            for player in (ana_name, bo_name):
                expect(times.filter(has_text=player)).to_contain_text(re.compile(r"\d+\.\d{3} s"))
            expect(times.filter(has_text=ana_name)).to_contain_text("(winner)")
        for page, mark, record in (
            (ana, "Duel: Won", "Duels: 1 won, 0 lost, 0 pending"),
            (bo, "Duel: Lost", "Duels: 0 won, 1 lost, 0 pending"),
        ):
            open_history(page)
            games = page.get_by_role("table", name="Sessions").get_by_role("row").filter(has_text="letters")
            expect(games).to_have_count(1)
            expect(games).to_contain_text(mark)
            expect(duel_record(page)).to_have_text(record)
        if folder := os.environ.get("SCHULTE_SCREENSHOTS"):  # docs/duel-result.png is made this way
            duel_row(ana, bo_name).screenshot(path=f"{folder}/duel-result.png")
    finally:
        ana_context.close()
        bo_context.close()
