"""Take the README's screenshots of the app (board light and dark, results, history) into docs/.

usage: npm run build && python3 scripts/screenshots_web.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, open_app  # noqa: E402  # after the sys.path line
from tests.web.static_server import serve_app  # noqa: E402  # after the sys.path line

DOCS = ROOT / "docs"


def tap(page: Page, number: int) -> None:
    page.get_by_role("group", name="Board").get_by_role("button", name=str(number), exact=True).click()


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with serve_app() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
        browser.close()


if __name__ == "__main__":
    main()
