"""Variants and sizes in the browser: letters, Gorbov red-black, reshuffle, 3×3 to 10×10 on a phone."""

from __future__ import annotations

import json
import random
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from core import TrainingSession, Variant, label
from tests.core.players import human_dict
from tests.web.conftest import arrow_to, board, open_app, sequence, stat

MIN_CELL_PX = 24
"""The smallest cell side we allow: WCAG 2.2's minimum target size (2.5.8) is 24 by 24 CSS px."""


def name(variant: str, size: int, token: int) -> str:
    """A token's accessible name on the board, from ``core``: ``"17"``, ``"C"``, ``"red 24"``."""
    shown = label(variant, size, token)
    return f"{shown.colour} {shown.text}" if shown.colour else shown.text


def token_cell(page: Page, variant: str, size: int, token: int) -> Locator:
    return board(page).get_by_role("button", name=name(variant, size, token), exact=True)


def choose(page: Page, *, size: int, variant: str = "Numbers") -> None:
    page.get_by_role("radio", name=variant).check()
    page.get_by_role("radio", name=f"{size}×{size}", exact=True).check()


def stored_sessions(page: Page) -> list[dict[str, Any]]:
    """The sessions the app saved in IndexedDB, in the wire format."""
    return list(json.loads(page.evaluate("window.schulte.storage.listSessions()")))


def test_a_gorbov_7x7_game_alternates_black_up_and_red_down_and_a_wrong_colour_tap_is_one_mistake(
    page: Page,
) -> None:
    choose(page, size=7, variant="Gorbov red-black")
    expect(page.get_by_text("Gorbov red-black: switching attention")).to_be_visible()
    page.get_by_role("button", name="Start").click()
    expect(board(page).get_by_role("button")).to_have_count(49)
    expect(board(page).get_by_role("button", name=re.compile(r"^red \d+$"))).to_have_count(24)
    expect(board(page).get_by_role("button", name=re.compile(r"^black \d+$"))).to_have_count(25)
    expect(page.get_by_text("Find black 1", exact=True)).to_be_visible()

    red, black = token_cell(page, "gorbov", 7, 2), token_cell(page, "gorbov", 7, 1)
    # Colour is not the only cue: red cells are round, black ones square.
    assert red.evaluate("c => getComputedStyle(c).borderRadius") != black.evaluate(
        "c => getComputedStyle(c).borderRadius"
    )
    black.click()
    expect(page.get_by_text("Find red 24", exact=True)).to_be_visible()
    board(page).get_by_role("button", name="black 24", exact=True).click()  # right number, wrong colour
    expect(page.get_by_text("Mistakes 1", exact=True)).to_be_visible()
    expect(page.get_by_text("Find red 24", exact=True)).to_be_visible()
    expect(page.locator("#live")).to_have_text("black 24 is wrong. Find red 24.")
    for token in sequence(7)[1:]:
        token_cell(page, "gorbov", 7, token).click()

    expect(stat(page, "Status")).to_have_text("Completed")
    expect(stat(page, "Mistakes")).to_have_text("1")
    expect(stat(page, "Board")).to_have_text("7×7 ascending, Gorbov red-black")
    expect(page.get_by_text(re.compile("New personal best for 7×7 Gorbov red-black"))).to_be_visible()
    expect(
        page.get_by_role(
            "img", name=re.compile(r"Time to find each of 49 numbers; slowest was (red|black) \d+")
        )
    ).to_be_visible()
    (session,) = stored_sessions(page)
    assert (session["variant"], session["mistakes"]) == ("gorbov", 1)
    assert TrainingSession.from_dict(session).variant is Variant.GORBOV  # the wire format core reads


def test_a_letters_4x4_game_is_played_from_a_to_p_and_gets_its_own_best_and_filter(page: Page) -> None:
    choose(page, size=4, variant="Letters")
    page.get_by_role("button", name="Start").click()
    expect(board(page).get_by_role("button")).to_have_count(16)
    expect(page.get_by_text("Find A", exact=True)).to_be_visible()
    # At a human pace: the profile's bests and averages count only games that verify (core's one rule).
    pace = random.Random(4)
    for token in sequence(4):
        page.wait_for_timeout(pace.uniform(170, 330))
        token_cell(page, "letters", 4, token).click()
    expect(stat(page, "Status")).to_have_text("Completed")
    expect(stat(page, "Mistakes")).to_have_text("0")
    expect(stat(page, "Board")).to_have_text("4×4 ascending, letters")

    page.get_by_role("button", name="Settings").click()
    choose(page, size=4, variant="Numbers")
    page.get_by_role("button", name="Start").click()
    for number in sequence(4):
        page.wait_for_timeout(pace.uniform(170, 330))
        token_cell(page, "classic", 4, number).click()
    expect(page.get_by_text(re.compile("New personal best for 4×4:"))).to_be_visible()  # its own board

    page.get_by_role("button", name="History").click()
    bests = page.locator("#bests").get_by_role("listitem")
    expect(bests).to_have_count(2)
    expect(bests.filter(has_text="4×4 ascending, letters")).to_have_count(1)
    page.get_by_role("combobox", name="Variant").select_option("Letters")
    sessions = page.get_by_role("table", name="Sessions").get_by_role("row")
    expect(sessions).to_have_count(2)  # the header and the letters game
    expect(sessions.nth(1)).to_contain_text("letters")
    expect(
        page.get_by_role("img", name=re.compile(r"^Best time per day for 4×4 letters over 1 day$"))
    ).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Account").click()
    stats = page.get_by_role("table", name="Your stats").get_by_role("row")
    expect(stats.filter(has_text="4×4 ascending, letters: best")).to_contain_text(re.compile(r"\d+\.\d{3} s"))
    expect(stats.filter(has_text="4×4 ascending: average")).to_contain_text("(1 game)")


def test_letters_are_offered_only_up_to_5x5_and_the_grid_is_adjusted_with_a_reason(page: Page) -> None:
    choose(page, size=7)
    page.get_by_role("radio", name="Letters").check()
    expect(page.get_by_role("radio", name="5×5", exact=True)).to_be_checked()
    expect(page.get_by_text("Letters go up to 5×5 (26 letters), so the grid is now 5×5.")).to_be_visible()
    for size in range(6, 11):
        expect(page.get_by_role("radio", name=f"{size}×{size}", exact=True)).to_be_disabled()
    page.get_by_role("radio", name="Numbers").check()
    expect(page.get_by_role("radio", name="10×10", exact=True)).to_be_enabled()


def test_variant_and_reshuffle_are_remembered_after_a_reload(page: Page, app_url: str) -> None:
    choose(page, size=3, variant="Gorbov red-black")
    page.get_by_label("Reshuffle").check()
    open_app(page, app_url)
    expect(page.get_by_role("radio", name="Gorbov red-black")).to_be_checked()
    expect(page.get_by_role("radio", name="3×3", exact=True)).to_be_checked()
    expect(page.get_by_label("Reshuffle")).to_be_checked()


def texts(page: Page) -> list[str]:
    return board(page).get_by_role("button").all_inner_texts()


def test_a_reshuffled_game_moves_the_cells_not_yet_found_after_each_correct_tap_and_completes(
    page: Page,
) -> None:
    choose(page, size=5)
    page.get_by_label("Reshuffle").check()
    page.get_by_label("Show hint").check()
    page.get_by_role("button", name="Start").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    before = texts(page)
    expect(token_cell(page, "classic", 5, 1)).to_have_class(re.compile(r"\bhint\b"))
    first = before.index("1")

    token_cell(page, "classic", 5, 1).click()
    expect(token_cell(page, "classic", 5, 1)).to_have_attribute("aria-pressed", "true")
    after = texts(page)
    assert after[first] == "1"  # a found cell keeps its number
    assert after != before and sorted(after, key=int) == sorted(before, key=int)
    expect(token_cell(page, "classic", 5, 2)).to_have_class(re.compile(r"\bhint\b"))  # the hint follows 2

    for number in sequence(5)[1:]:
        token_cell(page, "classic", 5, number).click()
    expect(stat(page, "Status")).to_have_text("Completed")
    expect(stat(page, "Mistakes")).to_have_text("0")  # every cell showed the token core had put there
    (session,) = stored_sessions(page)
    assert session["reshuffle"] is True
    assert TrainingSession.from_dict(session).reshuffle


def test_keyboard_play_completes_a_gorbov_board(page: Page) -> None:
    choose(page, size=5, variant="Gorbov red-black")
    page.get_by_role("button", name="Start").focus()
    page.keyboard.press("Enter")
    buttons = board(page).get_by_role("button")
    expect(buttons).to_have_count(25)
    names = [buttons.nth(i).get_attribute("aria-label") for i in range(25)]
    position = 0
    expect(buttons.nth(0)).to_be_focused()
    for token in sequence(5):
        target = names.index(name("gorbov", 5, token))
        arrow_to(page, position, target, 5)
        expect(token_cell(page, "gorbov", 5, token)).to_be_focused()
        page.keyboard.press("Enter")
        position = target
    expect(stat(page, "Status")).to_have_text("Completed")
    expect(stat(page, "Accuracy")).to_have_text("100%")


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A 360 px wide phone with a touch screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    yield context
    context.close()


def test_a_10x10_board_fits_a_360px_phone_without_scrolling_and_every_cell_can_be_tapped(
    phone: BrowserContext, app_url: str
) -> None:
    page = phone.new_page()
    open_app(page, app_url)
    choose(page, size=10)
    page.get_by_role("button", name="Start").tap()
    cells = board(page).get_by_role("button")
    expect(cells).to_have_count(100)

    fits = page.evaluate(
        "() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,"
        " inner: [innerWidth, innerHeight] })"
    )
    assert fits["width"] <= 360 and fits["height"] <= 740, fits
    boxes = cells.evaluate_all("cells => cells.map(c => c.getBoundingClientRect().toJSON())")
    for box in boxes:
        assert box["width"] >= MIN_CELL_PX and box["height"] >= MIN_CELL_PX, box
        assert box["left"] >= 0 and box["right"] <= 360 and box["top"] >= 0 and box["bottom"] <= 740, box
    sizes = cells.evaluate_all("cells => cells.map(c => c.scrollWidth <= c.clientWidth)")
    assert all(sizes)  # "100" fits inside its cell

    for number in sequence(10):
        token_cell(page, "classic", 10, number).tap()
    expect(stat(page, "Status")).to_have_text("Completed")
    expect(stat(page, "Board")).to_have_text("10×10 ascending")
    assert Variant.CLASSIC.value == stored_sessions(page)[0]["variant"]


def test_an_imported_history_of_every_variant_keeps_each_board_apart_and_exports_back_unchanged(
    page: Page, tmp_path: Path
) -> None:
    sessions = [
        human_dict(size=7, seed=3, variant="gorbov", mistakes=1),
        human_dict(size=4, seed=4, variant="letters"),
        human_dict(size=10, seed=5, reshuffle=True, player=2),
        human_dict(size=3, seed=6, order="DESC"),
    ]
    file = tmp_path / "history.json"
    file.write_text(json.dumps({"kind": "schulte-history", "schema_version": 1, "sessions": sessions}))
    page.get_by_role("button", name="History").click()
    importer = page.get_by_label("Import history")
    importer.set_input_files(file)
    expect(page.get_by_text("Imported 4 new sessions")).to_be_visible()
    bests = page.locator("#bests").get_by_role("listitem")
    expect(bests).to_have_text(
        [
            re.compile(r"^3×3 descending: "),
            re.compile(r"^10×10 ascending: "),
            re.compile(r"^4×4 ascending, letters: "),
            re.compile(r"^7×7 ascending, Gorbov red-black: "),
        ]
    )
    page.get_by_role("combobox", name="Variant").select_option("Gorbov red-black")
    rows = page.get_by_role("table", name="Sessions").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Gorbov red-black")

    letters_on_7x7 = {**sessions[1], "id": str(uuid.uuid4()), "grid_size": 7}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([letters_on_7x7]))
    importer.set_input_files(bad)
    expect(
        page.get_by_text(
            re.compile(r"Import rejected: session 1 is malformed \(.*letters.*Nothing was changed")
        )
    ).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export all (JSON)").click()
    exported = tmp_path / "exported.json"
    download_info.value.save_as(exported)
    by_id = {s["id"]: s for s in json.loads(exported.read_text())["sessions"]}
    assert by_id == {s["id"]: s for s in sessions}
