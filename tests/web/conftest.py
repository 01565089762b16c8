"""Browser fixtures: the built app served locally, Debian's Chromium driven by Playwright.

`npm run build` must have run (the nox sessions do it). Guest play runs against a static server
(`app_url`); accounts, sync and boards against the real one (`server_url`), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect, sync_playwright

from tests.web.static_server import serve_app

BUILD = Path(__file__).resolve().parents[2] / "build" / "app"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
T = TypeVar("T")
BOOT_TIMEOUT_MS = 90_000  # a cold first visit compiles Pyodide; this machine has 2 shared cores

expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    with serve_app() as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def real_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """``python -m server`` (granian) serving the built app and the API on one URL, with a database
    of its own: every test that uses it runs once on SQLite (the default) and once on PostgreSQL.

    Access tokens live 3 s, so that tests that take longer than that also prove the silent refresh; a
    rotated refresh token is forgiven for 2 s (a lost answer), so a replay after that revokes.
    """
    from tests.server.conftest import Database, Server  # the server suite's process helper

    tmp = tmp_path_factory.mktemp("web-server")
    database = off_the_loop(Database.create, request.param, tmp)
    server = Server.start(
        database, tmp, static_dir=str(BUILD), access_ttl_seconds="3", refresh_reuse_grace_seconds="2"
    )
    yield server
    server.stop()
    off_the_loop(database.close)


def off_the_loop(function: Callable[..., T], *args: Any) -> T:
    """Call ``function`` in a thread of its own: Playwright's sync API runs an event loop in this one,
    and the database helpers use ``asyncio.run``."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(function, *args).result()


@pytest.fixture(scope="session")
def server_url(real_server: Any) -> str:
    return str(real_server.url) + "/"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile: a new user. A Content-Security-Policy violation anywhere fails the test."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1000, "height": 900})
    violations: list[str] = []
    # A blocked eval throws instead of logging, so the page reports every violation event itself.
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => console.error("
        "`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`))"
    )
    context.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield context
    context.close()
    assert not violations, violations


@pytest.fixture
def page(context: BrowserContext, app_url: str) -> Page:
    """The app, opened and ready to play."""
    page = context.new_page()
    open_app(page, app_url)
    return page


@pytest.fixture
def persistent_context(playwright: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    """A persistent profile (Chromium's installability check needs one)."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )
    yield context
    context.close()


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_ready(page)


def wait_ready(page: Page) -> None:
    expect(page.get_by_role("button", name="Start")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)


def board(page: Page) -> Locator:
    return page.get_by_role("group", name="Board")


def cell(page: Page, number: int) -> Locator:
    return board(page).get_by_role("button", name=str(number), exact=True)


def sequence(size: int, order: str = "ASC") -> list[int]:
    numbers = list(range(1, size * size + 1))
    return numbers if order == "ASC" else numbers[::-1]


def play_through(page: Page, numbers: list[int]) -> None:
    """Tap every number in ``numbers`` with the pointer."""
    for number in numbers:
        cell(page, number).click()


def arrow_to(page: Page, position: int, target: int, size: int) -> None:
    """Move the board's keyboard focus from cell ``position`` to cell ``target`` (row-major) with the
    arrow keys, as a keyboard player would: right, then down, wrapping at the edges."""
    row, col = divmod(position, size)
    t_row, t_col = divmod(target, size)
    for _ in range((t_col - col) % size):
        page.keyboard.press("ArrowRight")
    for _ in range((t_row - row) % size):
        page.keyboard.press("ArrowDown")


def stat(page: Page, name: str) -> Locator:
    """The value shown next to ``name`` on the results screen."""
    rows = page.get_by_role("table", name="Result").get_by_role("row")
    return rows.filter(has=page.get_by_role("rowheader", name=name, exact=True)).get_by_role("cell")


def wait_controlled(page: Page) -> None:
    """Wait until the service worker is active and controls the page."""
    page.wait_for_function(
        "navigator.serviceWorker.controller?.state === 'activated'",
        timeout=BOOT_TIMEOUT_MS,
    )


def deploy_new_version(site: Path) -> None:
    """Change the built app in ``site`` as a deploy would: the brand says "Schulte v2" (the one text
    the catalogs do not translate), and index.html's precache revision (its SHA-256) follows."""
    index = site / "index.html"
    index.write_text(index.read_text().replace("</span>Schulte</h1>", "</span>Schulte v2</h1>"))
    revision = hashlib.sha256(index.read_bytes()).hexdigest()[:32]
    sw = site / "sw.js"
    text, changed = re.subn(
        r'("url":"index.html","revision":")[0-9a-f]+"', rf'\g<1>{revision}"', sw.read_text()
    )
    assert changed == 1
    sw.write_text(text)
    for changed_file in (index, sw):  # their precompressed copies are stale now: serve them as they are
        for suffix in (".br", ".gz"):
            changed_file.with_name(changed_file.name + suffix).unlink(missing_ok=True)


TIME_RE = re.compile(r"^\d+\.\d{3} s$")
