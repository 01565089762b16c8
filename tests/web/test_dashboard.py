"""Issue 12 in the app, against the real server (SQLite and PostgreSQL): the dashboard, the five-table
series, the coach offline, the printed report and the upgrade through a signed Stripe webhook."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import time
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from tests.core.players import at, human_session
from tests.web.conftest import BUILD, off_the_loop, play_through, sequence
from tests.web.test_sync import signed_up

WEBHOOK_SECRET = "whsec_test_" + "d4c3b2a1" * 4
PAYMENT_LINK = "https://buy.stripe.com/test_schulte_app"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def insight_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server serving the built app, with a Stripe Payment Link and webhook secret."""
    from tests.server.conftest import Database, Server

    tmp = tmp_path_factory.mktemp(f"dashboard-{request.param}")
    database = off_the_loop(Database.create, request.param, tmp)
    server = Server.start(
        database,
        tmp,
        static_dir=str(BUILD),
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_payment_link=PAYMENT_LINK,
        coach_fit_max_age_seconds="0",
        rate_upload_user="10000/60",
    )
    yield str(server.url) + "/"
    server.stop()
    off_the_loop(database.close)


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name=name).click()


def open_dashboard(page: Page) -> None:
    nav(page, "Dashboard")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    expect(page.locator("#dash-status")).to_have_text("")  # the fresh figures are painted


def play_shown_board(page: Page) -> None:
    """Tap through whatever board is on screen (its size and direction read from the HUD)."""
    expect(page.get_by_role("group", name="Board")).to_be_visible()
    total = int(page.locator("#progress").inner_text().split("/")[1])
    size = int(total**0.5)
    first = page.locator("#target").inner_text()
    play_through(page, sequence(size, "ASC" if first == "1" else "DESC"))
    expect(page.get_by_role("heading", name="Results")).to_be_visible()


def user_id(page: Page) -> str:
    return str(json.loads(page.evaluate("localStorage.getItem('schulte.account.v1')"))["id"])


def sign(body: bytes) -> str:
    """A ``Stripe-Signature`` header by Stripe's documented scheme (as tests/server/test_insight.py)."""
    stamp = int(time.time())
    digest = hmac.new(WEBHOOK_SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def pay(url: str, page: Page) -> None:
    """Stripe tells the server that this player's checkout completed (a signed test event)."""
    item = {"object": "checkout.session", "client_reference_id": user_id(page), "customer": "cus_test"}
    body = json.dumps(
        {"id": f"evt_{uuid.uuid4().hex}", "type": "checkout.session.completed", "data": {"object": item}}
    ).encode()
    answer = httpx.post(
        f"{url}api/v1/billing/webhook",
        content=body,
        headers={"Content-Type": "application/json", "Stripe-Signature": sign(body)},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text


def upgrade_opens_the_payment_link(context: BrowserContext, page: Page) -> None:
    context.route("https://buy.stripe.com/**", lambda route: route.fulfill(body="Stripe test page"))
    locked = page.locator("#screen-dashboard .card.locked")
    expect(locked).to_have_count(6)  # cells, numbers, weekday x hour, series trend, percentiles, report
    with context.expect_page() as opened:
        locked.first.get_by_role("button", name="Upgrade").click()
    link = opened.value.url
    assert link.startswith(PAYMENT_LINK) and f"client_reference_id={user_id(page)}" in link
    opened.value.close()


def pdf_text(page: Page) -> str:
    """The printed page's text, ligatures ("ﬃ") undone."""
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf())).pages)
    return unicodedata.normalize("NFKC", text)


def test_a_new_player_plays_a_series_follows_the_coach_offline_prints_and_upgrades(
    context: BrowserContext, insight_url: str
) -> None:
    page, _email = signed_up(context, insight_url)
    open_dashboard(page)
    expect(page.get_by_text("No games yet")).to_be_visible()

    nav(page, "Play")
    page.get_by_role("button", name="Test: 5 tables").click()
    for index in range(1, 6):
        expect(page.get_by_role("status").filter(has_text=f"Test: table {index} of 5")).to_be_visible()
        play_shown_board(page)
        if index < 5:
            expect(page.get_by_text(f"Table {index} of 5 done.")).to_be_visible()
            page.get_by_role("button", name="Next table").click()
    result = page.locator("#series-result")
    expect(result).to_contain_text(re.compile(r"Efficiency \(ER\) \d+\.\d s, warm-up \(VR\) \d\.\d\d"))
    expect(result).to_contain_text("Your first complete series on this board")
    stored = json.loads(page.evaluate("window.schulte.storage.listSessions()"))
    assert sorted(s["series"]["index"] for s in stored) == [1, 2, 3, 4, 5]
    assert len({s["series"]["id"] for s in stored}) == 1

    open_dashboard(page)
    expect(page.locator("#dash-series")).to_contain_text("Efficiency (ER)")
    expect(page.get_by_role("img", name=re.compile("^Time per game"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Where you lose time"))).to_have_count(0)
    upgrade_opens_the_payment_link(context, page)

    context.set_offline(True)
    nav(page, "Play")
    page.get_by_role("button", name="Coach").click()
    reasons = []
    for game in range(10):
        note = page.locator("#game-note")
        expect(note).to_have_text(re.compile(r"next|again|to start"))
        reasons.append(note.inner_text())
        play_shown_board(page)
        if game < 9:
            page.get_by_role("button", name="Coach: next game").click()
    assert len(json.loads(page.evaluate("window.schulte.storage.listSessions()"))) == 15
    assert any("next:" in reason for reason in reasons), reasons  # fast games: the coach moved a knob
    open_dashboard(page)  # offline too
    expect(page.locator("#dash-summary")).to_contain_text("Games")
    context.set_offline(False)

    pay(insight_url, page)
    page.reload()
    expect(page.get_by_role("button", name="Start")).to_be_enabled(timeout=90_000)
    open_dashboard(page)
    expect(page.locator("#screen-dashboard .card.locked")).to_have_count(0)
    expect(page.get_by_role("img", name=re.compile("^Where you lose time: by cell"))).to_be_visible()
    expect(page.get_by_text("All your history.")).to_be_visible()
    best = page.locator("#dash-summary tr", has_text="Personal best").locator("td").inner_text()
    text = pdf_text(page)
    assert "Schulte training report" in text and "Where you lose time" in text
    assert best in text and "Efficiency (ER)" in text


def history_file(tmp_path: Path, now: datetime, count: int = 500) -> tuple[Path, int]:
    """``count`` genuine games, one every few hours back from now, as the app's export; and how many
    fall in the last 30 days."""
    sessions = []
    for number in range(count):
        started = now - timedelta(hours=5 * number + 1)
        game = human_session(seed=number + 1, player=number, slowest_ms=900.0 + number)
        sessions.append(at(game, started).to_dict())
    recent = sum(now - timedelta(days=30) <= datetime.fromisoformat(s["started_at"]) for s in sessions)
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"kind": "schulte-history", "schema_version": 1, "sessions": sessions}))
    return path, recent


def test_a_player_with_500_games_sees_30_days_free_all_with_premium_and_cached_figures_at_once(
    context: BrowserContext, insight_url: str, tmp_path: Path
) -> None:
    path, recent = history_file(tmp_path, datetime.now(UTC))
    page, _email = signed_up(context, insight_url)
    nav(page, "History")
    expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible(timeout=30_000)
    page.locator("#import-file").set_input_files(path)
    expect(page.get_by_text("Imported 500 new sessions")).to_be_visible(timeout=60_000)

    open_dashboard(page)
    expect(page.get_by_text("The last 30 days.")).to_be_visible()
    summary = page.locator("#dash-summary")
    expect(summary.locator("tr", has_text="Games").locator("td")).to_have_text(str(recent))
    expect(page.locator("#screen-dashboard .card.locked")).to_have_count(6)

    pay(insight_url, page)
    page.reload()
    expect(page.get_by_role("button", name="Start")).to_be_enabled(timeout=90_000)
    open_dashboard(page)
    expect(summary.locator("tr", has_text="Games").locator("td")).to_have_text("500")
    expect(page.get_by_role("img", name=re.compile("^Where you lose time: by number"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Time of day and weekday"))).to_be_visible()

    # The history never arrives now: what the screen shows at once is the figures cached last time.
    page.reload()
    expect(page.get_by_role("button", name="Start")).to_be_enabled(timeout=90_000)
    page.evaluate(
        "window.schulte.storage = {...window.schulte.storage, listSessions: () => new Promise(() => {})}"
    )
    nav(page, "Dashboard")
    expect(page.locator("#dash-status")).to_have_text("Updating…")
    expect(summary.locator("tr", has_text="Games").locator("td")).to_have_text("500")


def test_an_interrupted_series_is_kept_and_marked_incomplete(page: Page) -> None:
    page.get_by_role("radio", name="3×3", exact=True).check()
    page.get_by_role("button", name="Test: 5 tables").click()
    play_shown_board(page)
    page.get_by_role("button", name="Next table").click()
    page.get_by_role("button", name="Quit").click()
    expect(page.locator("#series-status")).to_have_text(re.compile("^Series interrupted"))
    expect(page.get_by_role("button", name="Next table")).to_be_hidden()
    stored = json.loads(page.evaluate("window.schulte.storage.listSessions()"))
    assert [(s["series"]["index"], s["status"]) for s in stored] == [(1, "completed"), (2, "abandoned")]
    open_dashboard(page)
    expect(page.locator("#dash-series")).to_contain_text("incomplete series (1 of 5 tables completed)")
