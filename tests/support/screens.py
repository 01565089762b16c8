"""A tour of every screen of the app, in an order a player can walk it, for checks that must hold on each.

``tour(page)`` starts on the settings screen of a freshly opened app served by the real server (boards and
the signed-in profile need it) and yields each screen's name once that screen is on display. A new screen
is one more entry in ``STEPS``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator

from playwright.sync_api import Page, expect

from tests.web.conftest import board, cell, play_through, sequence

PASSWORD = "correct horse battery"  # noqa: S105 -- the test players' password


def nav(page: Page, name: str) -> None:
    """Open a screen through the main navigation."""
    page.get_by_role("navigation", name="Main").get_by_role("button", name=name, exact=True).click()


def _settings(page: Page) -> None:
    expect(page.get_by_role("button", name="Start")).to_be_enabled()


def _board(page: Page) -> None:
    """A board with one cell found, so found cells are checked too."""
    page.get_by_role("button", name="Start").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    cell(page, 1).click()
    expect(cell(page, 1)).to_have_attribute("aria-pressed", "true")


def _paused(page: Page) -> None:
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Paused — the board is hidden.")).to_be_visible()


def _results(page: Page) -> None:
    page.get_by_role("button", name="Resume").click()
    play_through(page, sequence(5)[1:])
    expect(page.get_by_role("heading", name="Results")).to_be_visible()


def _history(page: Page) -> None:
    nav(page, "History")
    expect(page.get_by_role("table", name="Sessions")).to_be_visible()


def _dashboard(page: Page) -> None:
    nav(page, "Dashboard")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()


def _boards(page: Page) -> None:
    nav(page, "Boards")
    expect(page.get_by_role("heading", name="Leaderboards")).to_be_visible()


def _account(page: Page) -> None:
    nav(page, "Account")
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()


def _profile(page: Page) -> None:
    """Sign up: the account screen becomes the player's profile (links, sync, stats)."""
    form = page.get_by_role("form", name="Sign in")
    form.get_by_role("button", name=re.compile("^New here")).click()
    form = page.get_by_role("form", name="Create an account")
    name = f"Tour {uuid.uuid4().hex[:6]}"
    form.get_by_label("Display name").fill(name)
    form.get_by_label("Email").fill(f"{uuid.uuid4().hex[:10]}@example.com")
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Create account", exact=True).click()
    expect(page.get_by_text(re.compile(f"Signed in as {re.escape(name)}"))).to_be_visible()
    expect(page.get_by_role("table", name="Your stats").get_by_role("row").first).to_be_visible()


STEPS: list[tuple[str, Callable[[Page], None]]] = [
    ("settings", _settings),
    ("board", _board),
    ("paused", _paused),
    ("results", _results),
    ("history", _history),
    ("dashboard", _dashboard),
    ("boards", _boards),
    ("account", _account),
    ("profile", _profile),
]
"""Every screen, each reached from the one before it."""


def tour(page: Page) -> Iterator[str]:
    """Walk ``STEPS`` and yield each screen's name while it is shown."""
    for name, step in STEPS:
        step(page)
        yield name
