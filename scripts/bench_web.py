"""Speed of the installable app, each figure next to a baseline measured in the same run.

Three parts (``--only`` runs one of them):

- visits: what a new player meets, the app (served by ``python -m server``, compressed as it ships)
  next to the same shell as a plain static HTML page with a plain-JS board, at 1x and at 4x CPU
  throttle (Chrome DevTools' ``Emulation.setCPUThrottlingRate``, roughly a mid-range phone). Each
  run is a fresh browser profile:
  - first visit: navigation -> the board painted after pressing Start (pressed in-page the moment it
    is enabled); then that first game is played through, each tap timed from the pointerdown event's
    time stamp to the first animation frame after the DOM change (p50, p99);
  - bytes on the wire for the whole first visit (page and service worker, as encoded on the wire),
    and any file that came over the network twice;
  - the settings screen usable: navigation -> the form painted and wired by boot.js (for the
    plain-JS page, which has nothing to wire: painted and DOMContentLoaded);
  - warm visit: the second load, right after the first (service worker installed, network on);
    offline visit: the third, with the network off;
  - for the app, where its first visit goes: navigation -> boot.js starts the interpreter; the
    interpreter (Pyodide restoring the build's memory snapshot, while PyScript loads itself);
    interpreter -> PyScript runs the page's Python (PyScript's own start-up); the app's start.
  ``--compare main=DIR`` measures another build (e.g. main's, copied aside) in the same run,
  alternating with this one, so that load from elsewhere on the machine hits both alike.
- signed-in: the warm boot and whole 7x7 games, both columns served by the real server (SQLite) with
  500 genuine sessions (played by ``tests/core/players.py``) in IndexedDB history: a guest (the
  baseline) and a player who signed up on the app's Account screen, whose first 450 games the app
  has synced and whose last 50 wait in the outbox. The network is off while measuring, so nothing
  leaves the outbox: the only difference between the two columns is the account. The storage is
  checked before and after (history, outbox, signed in). ``--network on`` measures the same online:
  the signed-in app then also refreshes its token, syncs and pulls history on every start.
- sync: a signed-in app (a fresh profile and account each run) with 500 genuine sessions played offline
  waiting in the outbox comes back online: from the ``online`` event to the outbox empty (the server
  then holds exactly 500), vs the server's floor: 500 sessions for a fresh account uploaded straight to
  ``POST /api/v1/sessions/sync`` in batches of 50 by httpx. Target: under 10 s.

Runs of the columns compared alternate, so load from elsewhere on the machine hits them alike. A boot
leaves its board mid-game: once the figure is taken the page discards that game, so that every boot
starts from the same storage (the app would otherwise record it as abandoned on the next boot).

Headless Debian Chromium through Playwright; medians of several runs. `npm run build` first.
usage: python3 scripts/bench_web.py [--visits 5] [--runs 9] [--games 3] [--sync-runs 3]
                                    [--only all|visits|signed-in|sync] [--network off|on]
                                    [--rates 1,4] [--compare NAME=BUILD_DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core  # noqa: E402  # after the sys.path line
from tests.core.players import human_session  # noqa: E402  # after the sys.path line
from tests.server.conftest import Api, Database, Server  # noqa: E402  # after the sys.path line
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  # after the sys.path line
from tests.web.static_server import APP, serve_app  # noqa: E402  # after the sys.path line
from tests.web.test_accounts import PASSWORD, new_email, sign_up, signed_in_as  # noqa: E402  # idem
from tests.web.test_sync import sync_status  # noqa: E402  # after the sys.path line

HISTORY = 500
"""Sessions in history for the signed-in part, and sessions waiting for the sync figure."""
WAITING = 50
"""Of the signed-in player's history, the last games played offline: still in the outbox."""
SYNC_BATCH = 50
"""The app's sync batch (web/js/sync.js), used by the httpx floor too."""
SYNC_TARGET_S = 10.0
CELLS = 49
"""Taps in a whole 7×7 game."""
PARTS = ("visits", "signed-in", "sync")
THROTTLES = (1, 4)
"""CPU throttle rates of the visits part: none, and roughly a mid-range phone."""
WIRE_TARGET = 10e6
"""Bytes on the wire for a first visit."""

# The baseline: the app's own shell and CSS, with a 20-line plain-JS board and a hand-written
# cache-first service worker instead of PyScript + Pyodide.
BASELINE_JS = """
const board = document.getElementById("board");
const start = document.getElementById("start");
start.disabled = false;
let next = 1;
start.addEventListener("click", () => {
  document.getElementById("screen-settings").hidden = true;
  document.getElementById("screen-game").hidden = false;
  // The app's size chips are drawn by its settings.js, which this page does not load: its default, 5×5.
  const n = Number(new FormData(document.getElementById("settings-form")).get("grid_size")) || 5;
  const cells = Array.from({length: n * n}, (_, i) => i + 1).sort(() => Math.random() - 0.5);
  board.style.setProperty("--n", n);
  const button = (v, i) => `<button type="button" class="cell" data-i="${i}">${v}</button>`;
  board.innerHTML = cells.map(button).join("");
  next = 1;
  window.schulte = { boardShownAt: performance.now() };
});
board.addEventListener("pointerdown", (event) => {
  const cell = event.target.closest("[data-i]");
  if (!cell) return;
  if (Number(cell.textContent) === next) { next += 1; cell.classList.add("found"); }
  else cell.animate([{ backgroundColor: "red" }, {}], 380);
});
document.documentElement.dataset.ready = "1";
"""
BASELINE_SW = """
const FILES = ["./", "./index.html", "./css/app.css", "./baseline.js"];
self.addEventListener("install", (e) => e.waitUntil(caches.open("b1").then((c) => c.addAll(FILES))));
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) =>
  e.respondWith(caches.match(e.request).then((r) => r || fetch(e.request))));
"""

# Injected into every page: for every pointerdown on a board cell, the time from the event's own
# time stamp to the next animation frame after the handlers changed the DOM (the frame that paints
# the feedback), as the issue defines it. A frame comes every 16.7 ms, so waiting for it is part of
# the figure for the app and the plain-JS baseline alike.
PROBE = """
window.__taps = [];
document.addEventListener("pointerdown", (event) => {
  if (!event.target.closest || !event.target.closest("#board [data-i]")) return;
  const t0 = event.timeStamp;
  requestAnimationFrame(() => window.__taps.push(performance.now() - t0));
}, { capture: true });
"""

# For boot runs (URL with #autostart): press Start from inside the page the moment it is enabled, and
# note when the board has been painted, so no Playwright round trip is counted.
AUTOSTART = """
if (location.hash === "#autostart") {
  const poll = () => {
    const start = document.getElementById("start");
    if (start && !start.disabled) {
      start.click();
      const board = document.querySelector("#board [data-i]");
      if (board) {
        requestAnimationFrame(() => setTimeout(() => { window.__boardPainted = performance.now(); }, 0));
        return;
      }
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}
"""

# Run after a boot's figure is taken. Leaving a board mid-game makes the app write a checkpoint in
# `pagehide` and record the game as abandoned on the next boot (history, and the outbox when signed
# in), so the next boot would do extra work and the storage would drift. Our own pagehide listener runs
# after the app's and drops that checkpoint; the save the app starts while the page unloads is dropped.
DISCARD_LEFT_GAME = """
() => {
  if (!window.schulte || !("saveFinished" in window.schulte)) return;
  window.schulte.saveFinished = async () => "";
  addEventListener("pagehide", () => localStorage.removeItem("schulte.checkpoint.v1"));
}
"""

SEED = """
async ([sessions, outbox]) => {
  for (const json of sessions) await window.schulte.storage.saveSession(json, { outbox });
}
"""

STORAGE_STATE = """
async () => {
  const storage = window.schulte.storage;
  const history = JSON.parse(await storage.listSessions()).length;
  const outbox = (await storage.outboxBatch(Infinity)).map((session) => session.id);
  const states = Object.values(JSON.parse(await storage.syncStates()));
  return {
    history, outbox,
    unverified: states.filter((state) => state.state === "rejected" || state.verified === false).length,
    signed_in: Boolean(window.schulte.account && window.schulte.account.isSignedIn()),
  };
}
"""

# Times the app's own sync: from the `online` event (the app's listener, registered at start, has
# just called syncNow) to the first status report with nothing waiting (sent after the last batch's
# answers have been committed to IndexedDB).
SYNC_CLOCK = """
() => {
  window.__sync = {};
  addEventListener("online", () => { window.__sync.online = performance.now(); });
  window.schulte.account.sync.onStatus(({ signedIn, waiting }) => {
    if (signedIn && waiting === 0 && window.__sync.online && !window.__sync.empty) {
      window.__sync.empty = performance.now();
    }
  });
}
"""


@dataclass
class Column:
    """One page being measured: where it is served, its browser profile, and what it measured."""

    name: str
    url: str
    context: BrowserContext
    page: Page
    boots: list[float] = field(default_factory=list)
    taps: list[float] = field(default_factory=list)


@dataclass
class Storage:
    """What the app's IndexedDB and localStorage hold, as the app's own storage API reports it."""

    history: int
    outbox: list[str]
    unverified: int
    """Sessions the server answered as rejected or unverified."""
    signed_in: bool

    def __str__(self) -> str:
        account = "signed in" if self.signed_in else "signed out"
        return f"history {self.history}, outbox {len(self.outbox)}, {account}"


@dataclass
class Seeded:
    """A column whose storage was seeded, and what it should hold."""

    column: Column
    signed_in: bool
    waiting: set[str]
    """The sessions seeded into the outbox."""


@dataclass
class Results:
    """Everything one run measured; a part not run leaves its fields empty."""

    columns: dict[str, Column] = field(default_factory=dict)
    visits: dict[tuple[str, int], Visits] = field(default_factory=dict)
    """(column, CPU throttle rate) -> its figures."""
    notes: list[str] = field(default_factory=list)
    sync_app_s: list[float] = field(default_factory=list)
    sync_floor_s: list[float] = field(default_factory=list)


# Sessions ----------------------------------------------------------------------------------------


def genuine_sessions(count: int) -> list[dict[str, Any]]:
    """``count`` genuine sessions, oldest first, one every 3 hours up to now.

    Played by the tests' simulated human on varied boards; each one verifies with ``core.verify``
    (what the server checks).
    """
    rng = random.Random()
    now = datetime.now(UTC)
    sessions = []
    for i in range(count):
        size = (5, 6, 7)[i % 3]
        seed = rng.randrange(2**53)
        while core.Board.generate(size, seed).is_easy:
            seed = rng.randrange(2**53)
        played = human_session(
            size=size, seed=seed, order=("ASC", "DESC")[i % 2], mistakes=i % 3, player=rng.randrange(2**32)
        )
        if played.completed_at is None:
            raise RuntimeError("a simulated human left a game unfinished")
        start = now - timedelta(hours=3 * (count - i))
        played = dataclasses.replace(
            played, started_at=start, completed_at=start + (played.completed_at - played.started_at)
        )
        session = played.to_dict()
        verdict = core.verify(session)
        if not verdict.ok:
            raise RuntimeError(f"a simulated game does not verify: {verdict.codes}")
        sessions.append(session)
    return sessions


def as_json(sessions: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(session) for session in sessions]


# Pages -------------------------------------------------------------------------------------------


def make_baseline(target: Path) -> None:
    target.mkdir(parents=True)
    shutil.copytree(APP / "css", target / "css")
    html = (APP / "index.html").read_text()
    html = re.sub(r'\s*<script type="module" src="./vendor/pyscript/core.js"></script>', "", html)
    html = re.sub(r'<script type="module" src="./js/[a-z]+\.js"></script>', "", html)
    html = re.sub(r'\s*<link rel="(module)?preload"[^>]*>', "", html)
    html = re.sub(
        r'<script type="py".*?</script>', '<script src="./baseline.js" defer></script>', html, flags=re.S
    )
    (target / "index.html").write_text(html)
    # Registered from the page's own script: the static server sends the app's CSP (no inline scripts).
    (target / "baseline.js").write_text(BASELINE_JS + "\nnavigator.serviceWorker.register('./sw.js');\n")
    (target / "sw.js").write_text(BASELINE_SW)


def new_context(browser: Browser, probes: bool = True) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    if probes:
        context.add_init_script(PROBE)
        context.add_init_script(AUTOSTART)
    return context


def install(context: BrowserContext, url: str) -> Page:
    """First visit: wait until the service worker controls the page."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.ready === '1'", timeout=180_000)
    page.wait_for_function("navigator.serviceWorker.controller?.state === 'activated'", timeout=120_000)
    return page


def open_column(browser: Browser, name: str, url: str) -> Column:
    context = new_context(browser)
    page = install(context, url)
    if page.evaluate("'schulteBoot' in window"):
        page.get_by_role("radio", name="7×7").check()
    return Column(name, url, context, page)


def storage_state(page: Page) -> Storage:
    return Storage(**page.evaluate(STORAGE_STATE))


def wait_outbox_empty(page: Page, timeout_s: float) -> None:
    """Poll the app's outbox until it is empty (``wait_for_function`` does not await a promise)."""
    deadline = time.monotonic() + timeout_s
    while page.evaluate("window.schulte.storage.outboxCount()") != 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the outbox did not empty in {timeout_s:.0f} s")
        time.sleep(0.1)


def seed(page: Page, sessions: list[dict[str, Any]], *, outbox: bool) -> None:
    """Store sessions through the app's storage API, one transaction each, as finished games are."""
    page.evaluate(SEED, [as_json(sessions), outbox])


def sign_up_in_app(page: Page) -> str:
    """Sign up on the app's Account screen (the refresh cookie and the stored account are the app's).

    Each account gets a display name of its own: names are unique on a server, and the signed-in and
    sync parts sign up on the same one.
    """
    email = new_email()
    name = f"Bench {email[:6]}"
    sign_up(page, email, name)
    expect(signed_in_as(page, name)).to_be_visible()
    expect(sync_status(page)).to_have_text("Synced")
    page.wait_for_timeout(1_000)  # let the rest of the sign-in (preferences, history pull) settle
    return email


# Measurements ------------------------------------------------------------------------------------


def boot_ms(page: Page, url: str) -> float:
    """Navigation start -> board painted after Start (pressed in-page the moment it is enabled)."""
    page.goto("about:blank")  # a real navigation every time (a hash change alone would not reload)
    page.goto(url + "#autostart")
    page.wait_for_function("window.__boardPainted > 0", timeout=60_000)
    painted = float(page.evaluate("window.__boardPainted"))
    if page.evaluate("'schulteBoot' in window") and not page.evaluate("window.schulteBoot.snapshot"):
        print("warning: this boot did not use the memory snapshot", flush=True)
    page.evaluate(DISCARD_LEFT_GAME)
    page.goto("about:blank")  # park: no clock ticking while another column is measured
    return painted


def play_7x7(page: Page, url: str) -> list[float]:
    """One whole 7×7 game with the pointer; the tap -> painted time of each of its 49 taps."""
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.ready === '1'", timeout=60_000)
    page.evaluate("window.__taps = []")
    page.get_by_role("button", name="Start").click()
    board = page.get_by_role("group", name="Board")
    for number in range(1, CELLS + 1):
        board.get_by_role("button", name=str(number), exact=True).click()
        page.wait_for_function(f"window.__taps.length >= {number}")
    taps = [float(x) for x in page.evaluate("window.__taps")]
    # Saved (one transaction) once its checkpoint is gone; only then leave.
    page.wait_for_function("localStorage.getItem('schulte.checkpoint.v1') === null", timeout=30_000)
    page.goto("about:blank")
    return taps


def measure(columns: list[Column], runs: int, games: int, *, online: bool = False) -> None:
    """Warm boots (offline unless ``online``), then whole games, alternating between the columns."""
    for column in columns:
        column.context.set_offline(not online)
        boot_ms(column.page, column.url)  # not counted: the first boot after install fills Chromium's caches
    for _ in range(runs):
        for column in columns:
            column.boots.append(boot_ms(column.page, column.url))
    for _ in range(games):
        for column in columns:
            column.taps += play_7x7(column.page, column.url)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# Parts -------------------------------------------------------------------------------------------


@dataclass
class Visits:
    """One column at one CPU throttle rate: one entry per fresh profile (taps: all first games' taps)."""

    first: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    offline: list[float] = field(default_factory=list)
    settings: list[float] = field(default_factory=list)
    taps: list[float] = field(default_factory=list)
    wire: list[int] = field(default_factory=list)
    twice: set[str] = field(default_factory=set)
    """Files that came over the network more than once in a first visit."""
    phases: dict[str, list[float]] = field(default_factory=dict)
    """The app's first visit, phase by phase (see the module docstring)."""


PHASES = """
() => {
  const boot = window.schulteBoot || {};
  return {
    "navigation -> boot.js starts the interpreter": boot.loaderStarted,
    "interpreter (Pyodide restores the snapshot; PyScript loads meanwhile)":
      boot.loaderDone - boot.loaderStarted,
    "interpreter -> PyScript runs the page's Python (its own start-up)":
      window.schulte.pyStartAt - boot.loaderDone,
    "app start (wiring, warm-up) -> Start enabled": window.schulte.pyReadyAt - window.schulte.pyStartAt,
    "snapshot used": boot.snapshot ? 1 : 0,
  };
}
"""


# The settings screen is usable once it is painted and its script has wired it: the app's boot.js
# notes when it ran; the plain-JS page has nothing to wire, so its DOMContentLoaded stands in.
SETTINGS_USABLE = """
() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0;
  const wired = window.schulte?.bootStarted
    ?? performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd;
  return Math.max(paint, wired);
}
"""


def play_board(page: Page) -> list[float]:
    """Play the board on screen through, tapping 1, 2, ... with the pointer; each tap's time to paint."""
    page.evaluate("window.__taps = []")
    board = page.get_by_role("group", name="Board")
    cells = board.get_by_role("button").count()
    for number in range(1, cells + 1):
        board.get_by_role("button", name=str(number), exact=True).click()
        page.wait_for_function(f"window.__taps.length >= {number}")
    return [float(x) for x in page.evaluate("window.__taps")]


def wire_bytes(requests: list[Request]) -> tuple[int, set[str]]:
    """Bytes that came over the network (headers and encoded bodies), and URLs that came twice."""
    total, seen = 0, Counter[str]()
    for request in requests:
        response = request.response()
        if response is None or response.from_service_worker:
            continue
        sizes = request.sizes()
        if sizes["responseBodySize"] <= 0 and response.status != 304:
            continue  # served by the HTTP cache
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        seen[request.url.split("#")[0]] += 1
    return total, {url for url, count in seen.items() if count > 1}


def visit_run(browser: Browser, url: str, rate: int, figures: Visits) -> None:
    """A fresh profile: first visit and its first game, then a warm visit, then an offline one."""
    context = new_context(browser)
    finished: list[Request] = []
    context.on("requestfinished", lambda request: finished.append(request))
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        page.goto(url + "#autostart")
        page.wait_for_function("window.__boardPainted > 0", timeout=180_000)
        figures.first.append(float(page.evaluate("window.__boardPainted")))
        figures.settings.append(float(page.evaluate(SETTINGS_USABLE)))
        if page.evaluate("'schulteBoot' in window"):
            for name, value in page.evaluate(PHASES).items():
                if value is not None and not math.isnan(value):  # a build without this phase's mark
                    figures.phases.setdefault(name, []).append(float(value))
        figures.taps += play_board(page)
        page.wait_for_function("navigator.serviceWorker.controller?.state === 'activated'", timeout=180_000)
        page.wait_for_timeout(500)  # let the last responses be accounted for
        wire, twice = wire_bytes(finished)
        figures.wire.append(wire)
        figures.twice |= twice
        figures.warm.append(boot_ms(page, url))
        context.set_offline(True)
        figures.offline.append(boot_ms(page, url))
    finally:
        context.close()


def part_visits(
    browser: Browser, results: Results, runs: int, apps: dict[str, Path], rates: tuple[int, ...] = THROTTLES
) -> None:
    """The app (the real server) vs the plain-JS page (a static server), fresh profiles, 1x and 4x.

    ``apps`` are the builds measured (``app``, and any other build compared with it in the same run).
    """
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        base_dir = Path(tmp) / "baseline"
        make_baseline(base_dir)
        urls = {name: stack.enter_context(real_server(build)).url + "/" for name, build in apps.items()}
        with serve_app(base_dir) as base_url:
            urls["plain JS"] = base_url
            for rate in rates:
                for _ in range(runs):
                    for name, url in urls.items():
                        figures = results.visits.setdefault((name, rate), Visits())
                        visit_run(browser, url, rate, figures)
                        print(
                            f"{name} {rate}x: first {figures.first[-1]:.0f} ms, "
                            f"warm {figures.warm[-1]:.0f} ms, offline {figures.offline[-1]:.0f} ms, "
                            f"{figures.wire[-1] / 1e6:.2f} MB",
                            flush=True,
                        )


def seed_guest(browser: Browser, url: str) -> Seeded:
    """A guest with 500 sessions in history."""
    column = open_column(browser, "signed out", url)
    column.context.set_offline(True)
    seed(column.page, genuine_sessions(HISTORY), outbox=False)
    return Seeded(column, signed_in=False, waiting=set())


def seed_player(browser: Browser, url: str, server_url: str) -> Seeded:
    """A player signed up in the app: 450 games synced by the app, then 50 played offline, waiting."""
    column = open_column(browser, "signed in", url)
    page = column.page
    email = sign_up_in_app(page)
    sessions = genuine_sessions(HISTORY)
    synced, waiting = sessions[: HISTORY - WAITING], sessions[HISTORY - WAITING :]
    seed(page, synced, outbox=True)
    page.evaluate("window.schulte.account.sync.syncNow()")
    wait_outbox_empty(page, timeout_s=120)
    on_server = server_total(server_url, email)
    if on_server != len(synced):
        raise RuntimeError(f"the server holds {on_server} sessions of the player, not {len(synced)}")
    column.context.set_offline(True)
    seed(page, waiting, outbox=True)
    return Seeded(column, signed_in=True, waiting={session["id"] for session in waiting})


def check_seeded(seeded: Seeded) -> str:
    """The storage is what the column claims before measuring (else stop: the figures would lie)."""
    state, name = storage_state(seeded.column.page), seeded.column.name
    if (state.history, set(state.outbox), state.signed_in) != (HISTORY, seeded.waiting, seeded.signed_in):
        raise RuntimeError(f"{name}: expected history {HISTORY}, outbox {len(seeded.waiting)}, got {state}")
    return f"{name} before: {state}"


def check_after(seeded: Seeded, games: int, *, online: bool) -> str:
    """Check the storage after the runs.

    Boots changed nothing, each game joined history (and the outbox when signed in), and nothing
    left the outbox when the network was off; with it on, everything did.
    """
    column = seeded.column
    column.page.goto(column.url)  # offline, the service worker serves it
    column.page.wait_for_function("document.documentElement.dataset.ready === '1'", timeout=60_000)
    if online and seeded.signed_in:  # the last game left before its upload: this start sends it
        wait_outbox_empty(column.page, timeout_s=30)
    after, name = storage_state(column.page), column.name
    want_outbox = len(seeded.waiting) + (games if seeded.signed_in else 0)
    problems = []
    if after.history != HISTORY + games:
        problems.append(f"history {after.history}, expected {HISTORY} + {games} games")
    if online:
        if after.outbox:
            problems.append(f"outbox {len(after.outbox)} with the network on, expected 0")
    elif len(after.outbox) != want_outbox or not seeded.waiting <= set(after.outbox):
        problems.append(f"outbox {len(after.outbox)}, expected the {len(seeded.waiting)} seeded + games")
    if after.signed_in != seeded.signed_in:
        problems.append("the account changed during the runs")
    if problems:
        raise RuntimeError(f"{name} after the runs: {'; '.join(problems)}")
    if not seeded.signed_in or online:
        return f"{name} after: {after}"
    return f"{name} after: {after} = the {len(seeded.waiting)} seeded, all still waiting, + {games} games"


def part_signed_in(
    browser: Browser, server: Server, results: Results, runs: int, games: int, *, online: bool
) -> None:
    """A guest and a signed-in player, each with 500 sessions in history, on the real server."""
    url = server.url + "/"
    guest, player = seed_guest(browser, url), seed_player(browser, url, server.url)
    results.notes += [check_seeded(guest), check_seeded(player)]
    for line in results.notes[-2:]:
        print(line, flush=True)
    measure([guest.column, player.column], runs, games, online=online)
    for seeded in (guest, player):
        results.notes.append(check_after(seeded, games, online=online))
        seeded.column.context.close()
        results.columns[seeded.column.name] = seeded.column


def server_total(server_url: str, email: str) -> int:
    """How many sessions the server holds for the account (``meta.total`` of ``GET /sessions``)."""
    with httpx.Client(base_url=server_url + "/api/v1", timeout=30) as http:
        login = http.post("/auth/login", json={"email": email, "password": PASSWORD}).json()["data"]
        headers = {"Authorization": f"Bearer {login['access_token']}"}
        return int(http.get("/sessions", params={"limit": 1}, headers=headers).json()["meta"]["total"])


def app_sync_s(browser: Browser, server_url: str) -> float:
    """Seconds from coming back online to the outbox empty, for 500 games played offline.

    A fresh profile signs up in the app; the games are seeded through its storage API. Checks that
    the fresh account then holds exactly 500 sessions on the server, every one verified.
    """
    context = new_context(browser, probes=False)
    try:
        page = install(context, server_url + "/")
        email = sign_up_in_app(page)
        context.set_offline(True)
        seed(page, genuine_sessions(HISTORY), outbox=True)
        waiting = storage_state(page)
        if len(waiting.outbox) != HISTORY or not waiting.signed_in:
            raise RuntimeError(f"sync: expected {HISTORY} waiting, signed in; got {waiting}")
        page.evaluate(SYNC_CLOCK)
        context.set_offline(False)
        page.wait_for_function("window.__sync.empty > 0", timeout=300_000)
        seconds = float(page.evaluate("window.__sync.empty - window.__sync.online")) / 1000
        after = storage_state(page)
        on_server = server_total(server_url, email)
    finally:
        context.close()
    if after.outbox or after.unverified or on_server != HISTORY:
        problem = f"outbox {len(after.outbox)}, unverified {after.unverified}, server {on_server}"
        raise RuntimeError(f"sync: {problem}")
    return seconds


def floor_sync_s(server_url: str) -> float:
    """500 sessions for a fresh account straight to POST /sessions/sync, batches of 50, by httpx."""
    sessions = genuine_sessions(HISTORY)
    api = Api(server_url).register()
    try:
        started = time.perf_counter()
        answers = []
        for i in range(0, len(sessions), SYNC_BATCH):
            answers += api.ok("POST", "/sessions/sync", json={"sessions": sessions[i : i + SYNC_BATCH]})
        seconds = time.perf_counter() - started
        total = int(api.get("/sessions", params={"limit": 1}).json()["meta"]["total"])
    finally:
        api.http.close()
    created = sum(answer["result"] == "created" and answer["verified"] for answer in answers)
    if created != HISTORY or total != HISTORY:
        raise RuntimeError(f"floor: {created} created and verified, server total {total}")
    return seconds


def part_sync(browser: Browser, server: Server, results: Results, runs: int) -> None:
    """The app's sync of 500 waiting sessions vs httpx's straight upload, alternating."""
    for _ in range(runs):
        results.sync_app_s.append(app_sync_s(browser, server.url))
        results.sync_floor_s.append(floor_sync_s(server.url))
        print(f"sync: app {results.sync_app_s[-1]:.2f} s, floor {results.sync_floor_s[-1]:.2f} s", flush=True)


@contextlib.contextmanager
def real_server(build: Path = APP) -> Iterator[Server]:
    """``python -m server`` (granian, a temp SQLite database) serving ``build`` and the API."""
    with tempfile.TemporaryDirectory() as tmp:
        database = Database.create("sqlite", Path(tmp))
        server = Server.start(database, Path(tmp), static_dir=str(build))
        try:
            yield server
        finally:
            server.stop()
            database.close()


# Report ------------------------------------------------------------------------------------------

FigureOf = Callable[[Column], float]
ROWS: list[tuple[str, FigureOf]] = [
    ("warm boot -> board painted, median", lambda c: statistics.median(c.boots)),
    ("tap -> painted p50", lambda c: percentile(c.taps, 50)),
    ("tap -> painted p99", lambda c: percentile(c.taps, 99)),
    ("tap -> painted max", lambda c: max(c.taps)),
    ("last tap (ends and saves the game), median", lambda c: statistics.median(c.taps[CELLS - 1 :: CELLS])),
]
# (column, baseline it is divided by): the app vs plain JS, signed in vs signed out.
PAIRS = [("signed in", "signed out")]


def cell(columns: dict[str, Column], name: str, figure: FigureOf) -> str:
    return f"{figure(columns[name]):8.1f}ms" if name in columns else f"{'—':>10}"


def ratio(columns: dict[str, Column], name: str, base: str, figure: FigureOf) -> str:
    if name not in columns or base not in columns:
        return f"{'—':>7}"
    return f"{figure(columns[name]) / figure(columns[base]):6.2f}x"


def print_table(results: Results) -> None:
    columns = results.columns
    print(f"{'measure':44}", end="")
    for name, base in PAIRS:
        print(f" {name:>10} {base:>10} {'ratio':>7}", end="")
    print()
    for label, figure in ROWS:
        print(f"{label:44}", end="")
        for name, base in PAIRS:
            print(f" {cell(columns, name, figure)} {cell(columns, base, figure)} "
                  f"{ratio(columns, name, base, figure)}", end="")  # fmt: skip
        print()
    for name, column in columns.items():
        boots = ", ".join(f"{x:.0f}" for x in column.boots)
        print(f"  {name}: {len(column.taps)} taps; warm boots {boots} ms")


def print_sync(results: Results) -> None:
    app, floor = statistics.median(results.sync_app_s), statistics.median(results.sync_floor_s)
    runs = ", ".join(f"{x:.2f}" for x in results.sync_app_s)
    floors = ", ".join(f"{x:.2f}" for x in results.sync_floor_s)
    verdict = "met" if app < SYNC_TARGET_S else "NOT met"
    print(
        f"sync of {HISTORY} waiting sessions (loopback, SQLite), median of {len(results.sync_app_s)}: "
        f"app {app:.2f} s, httpx floor {floor:.2f} s, ratio {app / floor:.2f}x; "
        f"target < {SYNC_TARGET_S:.0f} s: {verdict}"
    )
    print(f"  app runs {runs} s (online event -> outbox empty); floor runs {floors} s")


VisitFigure = Callable[[Visits], float]
VISIT_ROWS: list[tuple[str, str, VisitFigure, dict[int, float]]] = [
    # (measure, unit, figure, target by throttle rate)
    ("first visit -> board playable", "ms", lambda v: statistics.median(v.first), {1: 1500, 4: 5000}),
    ("warm visit (second load)", "ms", lambda v: statistics.median(v.warm), {1: 500, 4: 1500}),
    ("offline visit", "ms", lambda v: statistics.median(v.offline), {1: 500, 4: 1500}),
    ("tap -> painted p50, first game", "ms", lambda v: percentile(v.taps, 50), {}),
    ("tap -> painted p99, first game", "ms", lambda v: percentile(v.taps, 99), {1: 16, 4: 30}),
    ("tap -> painted max, first game", "ms", lambda v: max(v.taps), {}),
    ("settings screen usable", "ms", lambda v: statistics.median(v.settings), {1: 300}),
    ("bytes on the wire, first visit", "MB", lambda v: statistics.median(v.wire) / 1e6, {1: 10, 4: 10}),
    ("files fetched twice, first visit", "", lambda v: float(len(v.twice)), {1: 0, 4: 0}),
]


def show(figure: VisitFigure, visits: Visits | None, unit: str) -> str:
    if visits is None:
        return "—"
    return f"{figure(visits):.2f}" if unit == "MB" else f"{figure(visits):.0f}"


def print_visits(results: Results, runs: int) -> None:
    """The issue's table: each measure at 1x and 4x, the app next to plain JS, with its target.

    Any other build measured in the same run (``--compare``) gets a column of its own.
    """
    print(
        f"visits: {runs} fresh profiles per column and CPU throttle rate (medians; taps: every tap of "
        "each profile's first game)"
    )
    names = list(dict.fromkeys(name for name, _rate in results.visits))
    names.sort(key=lambda name: (name != "plain JS", name != "app"))
    rates = sorted({rate for _name, rate in results.visits})
    head = f"{'measure':36}"
    for rate in rates:
        head += " |" + "".join(f" {f'{name} {rate}x':>12}" for name in names) + f" {'target':>8} {'':7}"
    print(head)
    for label, unit, figure, targets in VISIT_ROWS:
        line = f"{label:36}"
        for rate in rates:
            line += " |"
            for name in names:
                visits = results.visits.get((name, rate))
                line += f" {show(figure, visits, unit):>12}"
            app, target = results.visits.get(("app", rate)), targets.get(rate)
            verdict = "" if target is None or app is None else "met" if figure(app) <= target else "NOT met"
            limit = "—" if target is None else f"<= {target:g}"
            line += f" {limit:>8} {verdict:7}"
        print(f"{line}   {unit}")
    for rate in rates:
        for name in names:
            visits = results.visits.get((name, rate))
            if not visits or not visits.phases:
                continue
            runs_text = ", ".join(f"{x:.0f}" for x in visits.first)
            twice = sorted(visits.twice) or "none"
            print(f"  {name} {rate}x first visits: {runs_text} ms; fetched twice: {twice}")
            for phase, values in visits.phases.items():
                print(f"    {phase}: median {statistics.median(values):.0f}")
    summary = json.loads((APP / "precache-summary.json").read_text())
    print(
        f"precache: {summary['files']} files, {summary['bytes'] / 1e6:.2f} MB raw, "
        f"{summary['brotli_bytes'] / 1e6:.2f} MB brotli as served "
        f"({summary['gzipped_bytes'] / 1e6:.2f} MB gzip)"
    )


def print_report(results: Results, args: argparse.Namespace) -> None:
    print()
    print("Schulte app benchmark: headless Chromium, loopback")
    if results.visits:
        print_visits(results, args.visits)
    if results.columns:
        print(
            f"{args.runs} warm boots and {args.games} whole 7×7 games per column, alternating between the "
            "columns compared; medians and percentiles over all of them"
        )
        print_table(results)
        print(
            f"columns: signed in, signed out: the real server, {HISTORY} sessions in history each; signed in "
            f"with the last {WAITING} of them waiting in the outbox"
        )
        if args.network == "off":
            print(
                "         all measured with the network off (context.set_offline): nothing leaves the outbox"
            )
        else:
            print(
                f"         measured with the network on: the first boot (not counted) uploads the {WAITING} "
                "waiting; then every boot refreshes the token, syncs and pulls history"
            )
    for note in results.notes:
        print(f"  {note}")
    if results.sync_app_s:
        print_sync(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=5, help="fresh profiles per column and throttle rate")
    parser.add_argument("--runs", type=int, default=9, help="warm boots per column (signed-in part)")
    parser.add_argument("--games", type=int, default=3, help="whole 7×7 games per column")
    parser.add_argument("--sync-runs", type=int, default=3, help="syncs of 500 sessions (app and floor each)")
    parser.add_argument("--only", choices=("all", *PARTS), default="all", help="run one part only")
    parser.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="visits: also measure another build of the app (e.g. main's) in the same run, alternating",
    )
    parser.add_argument("--rates", default="1,4", help="visits: CPU throttle rates, e.g. 1 or 1,4")
    parser.add_argument(
        "--network",
        choices=("off", "on"),
        default="off",
        help="the signed-in part's boots and games: offline (the outbox stays full, the issue's "
        "condition) or online (the account's start-up work runs on each boot)",
    )
    args = parser.parse_args()
    parts = PARTS if args.only == "all" else (args.only,)
    print(f"load average (1 min) at start: {os.getloadavg()[0]:.2f}", flush=True)
    results = Results()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if "visits" in parts:
            apps = {"app": APP} | {
                name: Path(build) for name, build in (item.split("=", 1) for item in args.compare)
            }
            rates = tuple(int(rate) for rate in args.rates.split(","))
            part_visits(browser, results, args.visits, apps, rates)
        if "signed-in" in parts or "sync" in parts:
            with real_server() as server:
                if "signed-in" in parts:
                    part_signed_in(
                        browser, server, results, args.runs, args.games, online=args.network == "on"
                    )
                if "sync" in parts:
                    part_sync(browser, server, results, args.sync_runs)
        browser.close()
    print_report(results, args)
    print(f"load average (1 min) at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
