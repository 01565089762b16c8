"""Take the README's screenshots of the app into docs/.

Board light and dark, results, history, and the variants: Gorbov red-black light and dark, letters,
and 10×10 on a 360 px phone; the dashboard light and dark (premium), its locked cards (free), and a
five-table series' result; the board and results in Russian (a browser whose language is Russian).

usage: npm run build && python3 scripts/screenshots_web.py [ru]   (``ru``: the Russian ones only)
"""

from __future__ import annotations

import json
import sys
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import Series, label  # noqa: E402  # after the sys.path line
from tests.core.players import at, human_session  # noqa: E402  # after the sys.path line
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, open_app  # noqa: E402  # after the sys.path line
from tests.web.static_server import serve_app  # noqa: E402  # after the sys.path line

DOCS = ROOT / "docs"


def tap(page: Page, number: int) -> None:
    page.get_by_role("group", name="Board").get_by_role("button", name=str(number), exact=True).click()


def tap_token(page: Page, variant: str, size: int, token: int) -> None:
    shown = label(variant, size, token)
    name = f"{shown.colour} {shown.text}" if shown.colour else shown.text
    page.get_by_role("group", name="Board").get_by_role("button", name=name, exact=True).click()


def variant_board(
    browser: Browser, url: str, shot: str, variant: str, size: int, found: int, **options: object
) -> None:
    """One board of ``variant`` with its first ``found`` tokens found, saved as ``docs/<shot>``."""
    context = browser.new_context(**{"viewport": {"width": 430, "height": 860}, **options})
    page = context.new_page()
    open_app(page, url)
    page.get_by_role(
        "radio", name={"gorbov": "Gorbov red-black", "letters": "Letters"}.get(variant, "Numbers")
    ).check()
    page.get_by_role("radio", name=f"{size}×{size}", exact=True).check()
    page.get_by_role("button", name="Start").click()
    for token in range(1, found + 1):
        tap_token(page, variant, size, token)
        page.wait_for_timeout(80)
    page.screenshot(path=DOCS / shot)
    context.close()


def variants(browser: Browser, url: str) -> None:
    for scheme in ("light", "dark"):
        variant_board(browser, url, f"app-gorbov-{scheme}.png", "gorbov", 7, 6, color_scheme=scheme)
    variant_board(browser, url, "app-letters.png", "letters", 5, 4)
    phone = {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    }
    variant_board(browser, url, "app-10x10-phone.png", "classic", 10, 12, **phone)


def history_file(path: Path) -> Path:
    """200 games over two months, slowly getting faster, with two five-table series."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    sessions = []
    for number in range(200):
        started = now - timedelta(hours=7 * number + (number % 5) * 2)
        game = human_session(
            seed=number + 1, player=number, slowest_ms=700.0 + 4 * number, mistakes=number % 3
        )
        sessions.append(at(game, started))
    for days in (20, 3):
        series = str(uuid.uuid4())
        for index in range(1, 6):
            game = human_session(
                seed=1000 * days + index, player=index + days, slowest_ms=800.0 + 60 * (index % 4)
            )
            started = now - timedelta(days=days, minutes=-2 * index)
            sessions.append(replace(at(game, started), series=Series(series, index)))
    document = {"kind": "schulte-history", "schema_version": 1, "sessions": [s.to_dict() for s in sessions]}
    path.write_text(json.dumps(document))
    return path


def dashboard(browser: Browser, url: str) -> None:
    """The dashboard: free (locked cards), then premium in both themes; and a series' result."""
    context = browser.new_context(viewport={"width": 900, "height": 900})
    page = context.new_page()
    open_app(page, url)
    page.get_by_role("button", name="History").click()
    page.get_by_role("heading", name="History", exact=True).wait_for()
    page.locator("#import-file").set_input_files(history_file(DOCS / ".history.json"))
    page.get_by_text("Imported").wait_for()
    (DOCS / ".history.json").unlink()
    page.get_by_role("button", name="Dashboard").click()
    page.locator("#screen-dashboard .card.locked").first.wait_for()
    page.locator("#screen-dashboard .card.locked").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=DOCS / "app-dashboard-locked.png")
    # Premium as the profile says it (a guest static host has no server: the state is set by hand).
    page.evaluate(
        "localStorage.setItem('schulte.account.v1', JSON.stringify({id: 'demo', email: 'ada@example.com',"
        " display_name: 'Ada'})); localStorage.setItem('schulte.premium.v1', JSON.stringify({user_id: 'demo',"
        " is_premium: true, premium_until: null}))"
    )
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        open_app(page, url)
        page.get_by_role("button", name="Dashboard").click()
        page.get_by_role("img", name="Where you lose time: by cell").wait_for()
        page.wait_for_timeout(300)
        page.screenshot(path=DOCS / f"app-dashboard-{scheme}.png", full_page=True)
    context.close()
    context = browser.new_context(viewport={"width": 430, "height": 860})
    page = context.new_page()
    open_app(page, url)
    page.get_by_role("radio", name="3×3", exact=True).check()
    page.get_by_role("button", name="Test: 5 tables").click()
    for index in range(1, 6):
        for number in range(1, 10):
            tap(page, number)
            page.wait_for_timeout(150 + 40 * ((number * index) % 5))
        if index < 5:
            page.get_by_role("button", name="Next table").click()
    page.locator("#series-result").wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=DOCS / "app-series.png", full_page=True)
    context.close()


def russian(browser: Browser, url: str) -> None:
    """The board mid-game and the results, as a player whose browser speaks Russian sees them."""
    context = browser.new_context(viewport={"width": 430, "height": 860}, locale="ru-RU")
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("!document.getElementById('start').disabled", timeout=90_000)
    page.get_by_label("Подсказка").check()
    page.get_by_role("button", name="Старт", exact=True).click()
    board = page.get_by_role("group", name="Таблица")
    for number in range(1, 26):
        board.get_by_role("button", name=str(number), exact=True).click()
        page.wait_for_timeout(90 + (number % 4) * 60)
        if number == 8:
            page.screenshot(path=DOCS / "app-board-ru.png")
    page.get_by_role("heading", name="Результаты").wait_for()
    page.wait_for_timeout(700)
    page.screenshot(path=DOCS / "app-results-ru.png", full_page=True)
    context.close()


def main(only: str = "") -> None:
    DOCS.mkdir(exist_ok=True)
    with serve_app() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        russian(browser, url)
        if only == "ru":
            browser.close()
            return
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport={"width": 430, "height": 860}, color_scheme=scheme)
            page = context.new_page()
            open_app(page, url)
            page.get_by_label("Show hint").check()
            page.get_by_role("button", name="Start").click()
            for number in range(1, 9):
                tap(page, number)
                page.wait_for_timeout(120)
            tap(page, 20)  # a wrong tap, caught mid-flash
            page.wait_for_timeout(60)
            page.screenshot(path=DOCS / f"app-board-{scheme}.png")
            if scheme == "light":
                for number in range(9, 26):
                    tap(page, number)
                    page.wait_for_timeout(90 + (number % 4) * 60)
                page.get_by_role("heading", name="Results").wait_for()
                page.wait_for_timeout(700)
                page.screenshot(path=DOCS / "app-results.png", full_page=True)
                for _ in range(2):
                    page.get_by_role("button", name="Play again").click()
                    for number in range(1, 26):
                        tap(page, number)
                        page.wait_for_timeout(40)
                page.get_by_role("button", name="Play again").click()
                tap(page, 1)
                page.get_by_role("button", name="Quit").click()
                page.set_viewport_size({"width": 900, "height": 860})
                page.get_by_role("button", name="History").click()
                page.get_by_role("table", name="Sessions").wait_for()
                page.screenshot(path=DOCS / "app-history.png", full_page=True)
            context.close()
        variants(browser, url)
        dashboard(browser, url)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:2])
