"""Accessibility: axe-core on every screen in both themes, what a screen reader hears, reduced motion and
the keyboard.

axe-core is the npm devDependency (package.json pins it). Its script is injected into the page, which the
app's strict Content-Security-Policy (no inline scripts) would refuse, so the axe contexts bypass CSP;
every other test runs under it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from core import label
from tests.support.screens import tour
from tests.web.conftest import arrow_to, board, cell, open_app, play_through, sequence, stat

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

MINOR_LEFT: dict[str, str] = {}
"""axe rules that still report a minor or moderate finding somewhere, with why (the README lists them)."""


DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(params=["light-desktop", "dark-desktop", "light-phone", "dark-phone"])
def themed(request: pytest.FixtureRequest, browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile whose system theme is light or dark (the app follows it by default), on a desktop
    or a phone (where the navigation is a tab bar), with CSP bypassed for axe's script."""
    theme, device = request.param.split("-")
    context = browser.new_context(color_scheme=theme, bypass_csp=True, **DEVICES[device])
    yield context
    context.close()


def axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as shown now (hidden screens are not checked)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + ": " + n.failureSummary),
        }))"""
    )
    return list(found)


def test_every_screen_has_no_serious_or_critical_axe_violation_in_either_theme_on_desktop_and_phone(
    themed: BrowserContext, server_url: str
) -> None:
    page = themed.new_page()
    open_app(page, server_url)
    serious: dict[str, list[dict[str, Any]]] = {}
    unexplained: dict[str, list[dict[str, Any]]] = {}
    screens = []
    for screen in tour(page):
        screens.append(screen)
        for violation in axe(page):
            if violation["impact"] in ("serious", "critical"):
                serious.setdefault(screen, []).append(violation)
            elif violation["id"] not in MINOR_LEFT:
                unexplained.setdefault(screen, []).append(violation)
    assert len(screens) >= 8
    assert not serious, json.dumps(serious, indent=1)
    assert not unexplained, json.dumps(
        unexplained, indent=1
    )  # fix it, or explain it in MINOR_LEFT and the README


def live(page: Page) -> Any:
    return page.locator("#live")


def test_a_screen_reader_hears_the_next_target_and_progress_once_taps_pause_and_the_results(
    page: Page,
) -> None:
    page.get_by_role("button", name="Start").click()
    expect(live(page)).to_have_text("New 5 by 5 board. Find 1.")
    cell(page, 1).click()
    expect(live(page)).to_have_text("Find 2. 1 of 25 found.")
    cell(page, 7).click()
    expect(live(page)).to_have_text("7 is wrong. Find 2.")

    # A burst of taps (five correct ones within one task) is one announcement, not a queue of five.
    page.evaluate(
        """() => {
            window.heard = [];
            const live = document.getElementById("live");
            new MutationObserver(() => window.heard.push(live.textContent))
                .observe(live, { childList: true, characterData: true, subtree: true });
        }"""
    )
    board(page).evaluate(
        """(board, numbers) => {
            const cells = [...board.querySelectorAll("button")];
            for (const number of numbers) {
                const cell = cells.find((c) => c.textContent === String(number));
                cell.dispatchEvent(new PointerEvent("pointerdown", { bubbles: true, button: 0 }));
            }
        }""",
        [2, 3, 4, 5, 6],
    )
    expect(page.get_by_text("Found 6 / 25", exact=True)).to_be_visible()
    expect(live(page)).to_have_text("Find 7. 6 of 25 found.")
    page.wait_for_timeout(600)
    assert page.evaluate("window.heard") == ["Find 7. 6 of 25 found."]

    play_through(page, sequence(5)[6:])
    expect(stat(page, "Status")).to_have_text("Completed")
    expect(live(page)).to_have_text(
        re.compile(r"^Completed\. Time \d+\.\d{3} s\. Accuracy 96%, 1 mistake\.$")
    )


@pytest.mark.parametrize(("variant", "radio"), [("classic", "Numbers"), ("gorbov", "Gorbov red-black")])
def test_every_cell_is_named_by_its_label_with_its_colour_in_gorbov(
    page: Page, variant: str, radio: str
) -> None:
    page.get_by_role("radio", name=radio).check()
    page.get_by_role("radio", name="5×5", exact=True).check()
    page.get_by_role("button", name="Start").click()
    cells = board(page).get_by_role("button")
    expect(cells).to_have_count(25)
    for token in range(1, 26):
        shown = label(variant, 5, token)
        name = f"{shown.colour} {shown.text}" if shown.colour else shown.text
        expect(board(page).get_by_role("button", name=name, exact=True)).to_have_count(1)
    first = label(variant, 5, 1)
    found = board(page).get_by_role("button", name=f"{first.colour} 1" if first.colour else "1", exact=True)
    found.click()
    expect(found).to_have_attribute("aria-pressed", "true")  # still named "1": the tick is decoration
    snapshot = board(page).aria_snapshot()
    assert re.search(r'button "(black )?1" \[pressed\]', snapshot), snapshot


def test_reduced_motion_stops_every_animation_and_keeps_a_still_cue_for_a_wrong_tap(page: Page) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.get_by_role("button", name="Start").click()
    cell(page, 1).click()
    wrong = cell(page, 9)
    wrong.click()
    expect(page.get_by_text("Mistakes 1", exact=True)).to_be_visible()
    expect(wrong).to_have_class(re.compile(r"\bwrong\b"))  # the still cue: an outline and a cross
    assert wrong.evaluate("c => getComputedStyle(c).outlineStyle") == "solid"
    assert wrong.evaluate("c => getComputedStyle(c, '::before').content") != "none"
    assert wrong.evaluate("c => c.getAnimations().length") == 0  # no flash
    still = """el => [getComputedStyle(el).animationName, getComputedStyle(el).transitionDuration]"""
    assert wrong.evaluate(still) == ["none", "0s"]
    cell(page, 2).click()
    expect(wrong).not_to_have_class(re.compile(r"\bwrong\b"))  # until the next tap
    play_through(page, sequence(5)[2:])
    banner = page.get_by_text(re.compile("New personal best"))
    expect(banner).to_be_visible()
    assert banner.evaluate(still) == ["none", "0s"]

    page.emulate_media(reduced_motion="no-preference")
    page.get_by_role("button", name="Play again").click()
    cell(page, 9).click()
    assert cell(page, 9).evaluate("c => c.getAnimations().length") == 1  # the flash, when motion is welcome


def tab_to(page: Page, name: str, *, back: bool = False, limit: int = 60) -> None:
    """Press Tab (Shift+Tab) until the element named ``name`` has focus, and check that it shows."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement; const style = getComputedStyle(el);
                return { name: (el.textContent || "").trim(), visible: el.matches(":focus-visible"),
                         outline: style.outlineStyle, width: parseFloat(style.outlineWidth) }; }"""
        )
        if focused["name"] == name:
            assert focused["visible"] and focused["outline"] == "solid" and focused["width"] >= 2, focused
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_the_keyboard_alone_visits_every_screen_and_plays_a_game(page: Page) -> None:
    for button, heading in [("History", "History"), ("Boards", "Leaderboards"), ("Account", "Account")]:
        tab_to(page, button)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    tab_to(page, "Play", back=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="New game")).to_be_visible()
    tab_to(page, "Start")
    page.keyboard.press("Enter")
    buttons = board(page).get_by_role("button")
    expect(buttons.nth(0)).to_be_focused()
    numbers = [int(text) for text in buttons.all_inner_texts()]
    position = 0
    for number in sequence(5):
        target = numbers.index(number)
        arrow_to(page, position, target, 5)
        page.keyboard.press("Enter")
        position = target
    expect(stat(page, "Status")).to_have_text("Completed")
    tab_to(page, "Play again")
    page.keyboard.press("Enter")
    expect(buttons).to_have_count(25)
    expect(buttons.nth(0)).to_be_focused()
