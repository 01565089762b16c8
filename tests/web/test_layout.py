"""Phone first: every screen fits from a 320 px phone to a desktop, Start comes first, and the board is big.

Phones are Playwright's mobile emulation (``is_mobile``, touch): a page wider than the screen would make
the browser zoom out or scroll sideways, which is what these tests forbid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.screens import tour
from tests.web.conftest import board, open_app

PHONE = {"is_mobile": True, "has_touch": True}
SIZES: dict[str, dict[str, Any]] = {
    "320x640": {"viewport": {"width": 320, "height": 640}, **PHONE},
    "360x740": {"viewport": {"width": 360, "height": 740}, **PHONE},
    "1280x800": {"viewport": {"width": 1280, "height": 800}},
}
MIN_TAP_PX = 44
"""The tap target we promise at 7×7 on a 360 px phone (Apple's and WCAG 2.5.5's 44 CSS px)."""


@pytest.fixture(params=list(SIZES))
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(**SIZES[request.param])
    yield context
    context.close()


def fits(page: Page) -> dict[str, Any]:
    """The page's layout width next to the screen's, and any element that reaches past the right edge."""
    return dict(
        page.evaluate(
            """() => ({
                scroll: document.documentElement.scrollWidth, inner: innerWidth,
                past: [...document.querySelectorAll("body *")]
                    .filter((el) => el.getClientRects().length
                        && el.getBoundingClientRect().right > innerWidth + 0.5)
                    .slice(0, 5).map((el) => el.id || el.className || el.tagName),
            })"""
        )
    )


def in_view(page: Page, locator: Any) -> bool:
    box = locator.bounding_box()
    size = page.evaluate("[innerWidth, innerHeight]")
    return (
        bool(box)
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size[0]
        and (box["y"] + box["height"] <= size[1])
    )


def test_no_screen_scrolls_sideways_and_the_navigation_and_sync_status_stay_on_screen(
    screen: BrowserContext, server_url: str
) -> None:
    page = screen.new_page()
    open_app(page, server_url)
    wide = {}
    for name in tour(page):
        page.evaluate("scrollTo(0, 0)")
        measured = fits(page)
        if measured["scroll"] > measured["inner"]:
            wide[name] = measured
        nav = page.get_by_role("navigation", name="Main").get_by_role("button")
        for index in range(nav.count()):
            assert in_view(page, nav.nth(index)), (name, nav.nth(index).inner_text())
        assert in_view(page, page.get_by_role("status", name="Sync status")), name
    assert not wide, wide


def test_start_and_the_configuration_line_are_in_the_first_viewport_and_the_settings_one_tap_away(
    screen: BrowserContext, app_url: str
) -> None:
    page = screen.new_page()
    open_app(page, app_url)
    start = page.get_by_role("button", name="Start")
    assert in_view(page, start)
    line = page.get_by_text("5×5 · numbers · ascending · 2:00", exact=True)
    assert in_view(page, line)

    page.get_by_role("radio", name="7×7", exact=True).check()
    page.get_by_role("radio", name="Descending (N² → 1)").check()
    page.get_by_label("Max time").fill("90")
    expect(page.get_by_text("7×7 · numbers · descending · 1:30", exact=True)).to_be_visible()
    settings = page.get_by_text("All settings", exact=True)
    settings.click()  # folded away: a returning player sees Start and the line only
    expect(page.get_by_role("group", name="Grid size")).to_be_hidden()

    page.reload()
    expect(start).to_be_enabled(timeout=90_000)
    expect(page.get_by_role("group", name="Grid size")).to_be_hidden()
    line = page.get_by_text("7×7 · numbers · descending · 1:30", exact=True)
    assert in_view(page, start) and in_view(page, line)
    settings.click()
    expect(page.get_by_role("group", name="Grid size")).to_be_visible()
    expect(page.get_by_role("radio", name="7×7", exact=True)).to_be_checked()


def test_the_7x7_board_is_square_fills_a_phone_and_is_centred_on_a_desktop(
    screen: BrowserContext, app_url: str
) -> None:
    page = screen.new_page()
    open_app(page, app_url)
    page.get_by_role("radio", name="7×7", exact=True).check()
    page.get_by_role("button", name="Start").click()
    cells = board(page).get_by_role("button")
    expect(cells).to_have_count(49)
    width = page.evaluate("document.documentElement.clientWidth")
    box = board(page).bounding_box()
    assert box is not None
    assert abs(box["width"] - box["height"]) <= 1, box
    assert abs(box["x"] - (width - box["x"] - box["width"])) <= 1, (box, width)  # centred
    if width <= 480:
        assert box["width"] >= width - 20, (box, width)  # a phone in portrait: edge to edge, bar margins
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 360:
        sides = cells.evaluate_all("cells => cells.map(c => [c.offsetWidth, c.offsetHeight])")
        assert min(min(side) for side in sides) >= MIN_TAP_PX, sides
    expect(page.get_by_text(re.compile(r"^Find 1$"))).to_be_visible()
