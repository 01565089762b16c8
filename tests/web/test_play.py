"""Playing: what a new player sees on the board and on the results screen."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.web.conftest import TIME_RE, arrow_to, board, cell, play_through, sequence, stat


def test_a_new_user_plays_a_5x5_game_with_one_wrong_tap_and_sees_time_accuracy_and_mistakes(
    page: Page,
) -> None:
    page.get_by_role("button", name="Start").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    expect(page.get_by_text("Find 1", exact=True)).to_be_visible()

    cell(page, 1).click()
    cell(page, 5).click()  # wrong: 2 comes next
    expect(page.get_by_text("Mistakes 1", exact=True)).to_be_visible()
    expect(page.get_by_text("Find 2", exact=True)).to_be_visible()
    expect(page.get_by_text("Found 1 / 25", exact=True)).to_be_visible()
    expect(cell(page, 1)).to_have_attribute("aria-pressed", "true")  # found: not only a colour
    expect(cell(page, 5)).not_to_have_attribute("aria-pressed", "true")
    play_through(page, sequence(5)[1:])

    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    expect(stat(page, "Time")).to_have_text(TIME_RE)
    expect(stat(page, "Accuracy")).to_have_text("96%")
    expect(stat(page, "Mistakes")).to_have_text("1")
    expect(stat(page, "Status")).to_have_text("Completed")
    expect(page.get_by_role("img", name=re.compile(r"Time to find each of 25 numbers"))).to_be_visible()
    expect(page.get_by_text(re.compile("New personal best for 5×5"))).to_be_visible()
    expect(page.locator("#live")).to_contain_text("Completed")

    page.get_by_role("button", name="Play again").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    expect(page.get_by_text("Found 0 / 25", exact=True)).to_be_visible()


def test_descending_order_is_played_from_the_highest_number_down(page: Page) -> None:
    page.get_by_label("Descending (N² → 1)").check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Find 25", exact=True)).to_be_visible()
    cell(page, 1).click()  # wrong in DESC
    expect(page.get_by_text("Mistakes 1", exact=True)).to_be_visible()
    play_through(page, sequence(5, "DESC"))
    expect(stat(page, "Status")).to_have_text("Completed")
    expect(stat(page, "Board")).to_have_text("5×5 descending")
    expect(stat(page, "Accuracy")).to_have_text("96%")


def test_the_hint_highlights_the_next_number(page: Page) -> None:
    page.get_by_label("Show hint").check()
    page.get_by_role("button", name="Start").click()
    expect(cell(page, 1)).to_have_class(re.compile(r"\bhint\b"))
    cell(page, 1).click()
    expect(cell(page, 2)).to_have_class(re.compile(r"\bhint\b"))
    expect(cell(page, 1)).not_to_have_class(re.compile(r"\bhint\b"))


def test_pause_hides_the_board_and_resume_brings_it_back(page: Page) -> None:
    page.get_by_role("button", name="Start").click()
    pause = page.get_by_role("button", name="Pause")
    expect(pause).to_be_disabled()  # the clock has not started yet
    cell(page, 1).click()
    pause.click()
    expect(board(page)).to_be_hidden()
    expect(page.get_by_text("Paused — the board is hidden.")).to_be_visible()
    frozen = page.locator("#clock").inner_text()
    page.wait_for_timeout(400)
    expect(page.locator("#clock")).to_have_text(frozen)
    page.get_by_role("button", name="Resume").click()
    expect(board(page)).to_be_visible()
    play_through(page, sequence(5)[1:])
    expect(stat(page, "Status")).to_have_text("Completed")


def test_keyboard_only_play_completes_a_game(page: Page) -> None:
    page.get_by_role("button", name="Start").focus()
    page.keyboard.press("Enter")
    buttons = board(page).get_by_role("button")
    expect(buttons).to_have_count(25)
    numbers = [int(text) for text in buttons.all_inner_texts()]
    position = 0  # focus starts on the first cell
    expect(buttons.nth(0)).to_be_focused()
    for step, number in enumerate(sequence(5)):
        target = numbers.index(number)
        arrow_to(page, position, target, 5)
        expect(cell(page, number)).to_be_focused()
        page.keyboard.press("Enter" if step % 2 else " ")
        position = target
    expect(stat(page, "Status")).to_have_text("Completed")
    expect(stat(page, "Accuracy")).to_have_text("100%")
    expect(stat(page, "Mistakes")).to_have_text("0")


def test_time_runs_out_at_max_time_and_the_game_ends_as_a_timeout(page: Page) -> None:
    page.get_by_label("Max time").fill("30")
    expect(page.get_by_text("30 s", exact=True)).to_be_visible()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#remaining")).to_have_text("0:30")
    cell(page, 1).click()  # the clock starts on the first correct tap
    cell(page, 2).click()
    expect(stat(page, "Status")).to_have_text("Time out", timeout=45_000)
    expect(stat(page, "Time")).to_have_text("—")
    expect(stat(page, "Accuracy")).to_have_text("100%")
    page.get_by_role("button", name="History").click()
    expect(page.get_by_role("cell", name="Time out")).to_be_visible()
