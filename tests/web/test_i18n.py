"""The app in other languages: picked from the browser, chosen in settings, and laid out for longer words."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.web.conftest import BOOT_TIMEOUT_MS, open_app
from tests.web.test_accounts import sign_in
from tests.web.test_sync import server_me, signed_up, wait_until

RU_SECONDS = re.compile(r"^\d+,\d{3} с$")  # "23,456 с": a decimal comma and the Russian unit
RU_DATE = re.compile(r"^\d{1,2} [а-я]{3,4}\. \d{4} г\., \d{1,2}:\d{2}$")  # "1 дек. 2026 г., 18:50"


@pytest.fixture
def russian(browser: Browser) -> Iterator[BrowserContext]:
    """A browser whose languages are Russian first (``navigator.languages``), as a Russian phone's is."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1000, "height": 900})
    yield context
    context.close()


def ready_in(page: Page, start: str) -> None:
    expect(page.get_by_role("button", name=start, exact=True)).to_be_enabled(timeout=BOOT_TIMEOUT_MS)


def test_a_russian_player_plays_and_reads_results_and_history_in_russian(
    russian: BrowserContext, app_url: str
) -> None:
    page = russian.new_page()
    page.goto(app_url)
    ready_in(page, "Старт")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Новая игра")).to_be_visible()
    expect(page.locator("#max-time-value")).to_have_text("120 с")

    page.get_by_role("radio", name="3×3").check()
    page.get_by_role("button", name="Старт", exact=True).click()
    board = page.get_by_role("group", name="Таблица")
    expect(page.locator("#live")).to_have_text("Новая таблица 3 на 3. Найдите 1.")
    board.get_by_role("button", name="5", exact=True).click()  # wrong first: one mistake
    expect(page.locator("#live")).to_have_text("5 — ошибка. Найдите 1.")
    for number in range(1, 10):
        board.get_by_role("button", name=str(number), exact=True).click()

    results = page.get_by_role("table", name="Результат")
    expect(page.get_by_role("heading", name="Результаты")).to_be_visible()

    def value(name: str) -> str:
        row = results.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))
        return row.get_by_role("cell").inner_text()

    assert RU_SECONDS.match(value("Время")), value("Время")
    assert value("Итог") == "Пройдена"
    assert value("Ошибки") == "1"
    assert value("Точность") == "88,89\xa0%"  # (9 − 1) / 9; Intl puts a no-break space before "%"
    assert value("Таблица") == "3×3 по возрастанию"
    expect(page.locator("#best-banner")).to_contain_text("Новый личный рекорд для 3×3")
    expect(page.locator("#live")).to_contain_text("Точность 88,89\xa0%, 1 ошибка.")

    page.get_by_role("button", name="История").click()
    sessions = page.get_by_role("table", name="Игры")
    row = sessions.get_by_role("row").nth(1)
    cells = row.get_by_role("cell")
    assert RU_DATE.match(cells.nth(0).inner_text()), cells.nth(0).inner_text()
    assert cells.nth(2).inner_text() == "по возрастанию"
    assert cells.nth(4).inner_text() == "Пройдена"
    assert RU_SECONDS.match(cells.nth(5).inner_text())
    expect(row.get_by_role("button", name=re.compile("^Удалить игру от "))).to_be_visible()
    expect(page.locator("#bests")).to_contain_text("3×3 по возрастанию:")


def test_the_language_chosen_in_settings_applies_at_once_and_is_kept(page: Page, app_url: str) -> None:
    """English from an English browser; Español from the settings, without a reload, and after one."""
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("es")
    expect(page.get_by_role("button", name="Empezar", exact=True)).to_be_enabled()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Nueva partida")).to_be_visible()
    expect(page.locator("#py-status")).to_have_text("Listo. Tras cargar, funciona sin conexión.")
    page.reload()
    ready_in(page, "Empezar")
    expect(page.get_by_label("Idioma")).to_have_value("es")
    page.get_by_label("Idioma").select_option("auto")  # back to the browser's language
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_enabled()
    expect(page.locator("html")).to_have_attribute("lang", "en")


# Elements whose own text is clipped (wider than their box) or that push the page sideways.
CLIPPED = """() => {
  const clipped = [];
  for (const element of document.querySelectorAll("main *, header *")) {
    if (!element.checkVisibility()) continue;
    const style = getComputedStyle(element);
    if (style.display === "inline" || style.display === "contents") continue;
    if (element.closest(".table-scroll")) continue;  // tables scroll inside their own box on purpose
    const ownText = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
    const wide = element.scrollWidth > element.clientWidth + 1;
    if (ownText && wide) clipped.push(element.outerHTML.slice(0, 120));
  }
  return { clipped, sideways: document.documentElement.scrollWidth - innerWidth };
}"""


def screens(page: Page) -> Iterator[str]:
    """Visit the main screens in turn: settings, game, results, history, dashboard, boards, account."""
    yield "settings"
    page.locator("#start").click()
    expect(page.locator("#screen-game")).to_be_visible()
    yield "game"
    page.locator("#quit").click()
    expect(page.locator("#screen-results")).to_be_visible()
    yield "results"
    for name in ("history", "dashboard", "boards", "account"):
        page.locator(f"#nav-{name}").click()
        expect(page.locator(f"#screen-{name}")).to_be_visible()
        yield name


def measure(browser: Browser, url: str) -> dict[str, dict[str, object]]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(url)
        expect(page.locator("#start")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
        return {screen: page.evaluate(CLIPPED) for screen in screens(page)}
    finally:
        context.close()


def test_longer_words_are_not_clipped_on_a_360_px_phone(browser: Browser, app_url: str) -> None:
    """The pseudo-locale (every word ~40 % longer, accented) clips no text on any main screen, and no
    screen scrolls sideways."""
    for screen, found in measure(browser, app_url + "?lang=pseudo").items():
        assert found["clipped"] == [], screen
        assert found["sideways"] <= 0, screen


def test_the_language_syncs_with_the_account_like_the_other_settings(
    context: BrowserContext, browser: Browser, server_url: str, real_server: Any
) -> None:
    """Chosen on one device, stored on the server, and spoken by the next device that signs in."""
    page, email = signed_up(context, server_url, f"Lang {uuid.uuid4().hex[:6]}")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    page.get_by_label("Language").select_option("de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    wait_until(lambda: server_me(real_server.url, email)["preferences"].get("language") == "de")

    other = browser.new_context(viewport={"width": 1000, "height": 900})  # an English browser
    try:
        second = other.new_page()
        open_app(second, server_url)
        sign_in(second, email)
        expect(second.locator("html")).to_have_attribute("lang", "de")
        expect(second.get_by_role("navigation", name="Hauptmenü")).to_be_visible()
    finally:
        other.close()
