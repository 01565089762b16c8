"""A new player's first visit, served by ``python -m server``: what it downloads, and how often.

The server's own request log says what reached the network; the browser's responses (the page's and
the service worker's) say how each file came.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Response, expect

from tests.server.conftest import Database, Server
from tests.web.conftest import (
    BUILD,
    cell,
    deploy_new_version,
    off_the_loop,
    open_app,
    play_through,
    sequence,
    stat,
    wait_controlled,
    wait_ready,
)

COMPRESSIBLE_RATIO = 0.9
"""A file that gzip makes 10 % smaller must not travel uncompressed."""


@pytest.fixture(scope="module")
def logged_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``python -m server`` (SQLite) serving the built app and logging every request."""
    tmp = tmp_path_factory.mktemp("first-visit")
    database = off_the_loop(Database.create, "sqlite", tmp)
    server = Server.start(database, tmp, static_dir=str(BUILD), log_level="INFO")
    yield server
    server.stop()
    off_the_loop(database.close)


def served_paths(server: Server, since: int) -> Counter[str]:
    """How many times each file of the app was served since byte ``since`` of the server's log."""
    served: Counter[str] = Counter()
    with server.log.open("rb") as log:
        log.seek(since)
        for line in log:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            path = entry.get("path") if isinstance(entry, dict) else None
            if path and entry.get("status_code") and not path.startswith(("/api/", "/health")):
                served[path] += 1
    return served


def compressible(path: str) -> bool:
    """True when the built file at URL ``path`` is worth compressing (judged here, not by the build)."""
    file = BUILD / (path.lstrip("/") or "index.html")
    if not file.is_file():
        return False
    raw = file.read_bytes()
    return len(raw) > 1024 and len(gzip.compress(raw, 6)) < COMPRESSIBLE_RATIO * len(raw)


def test_a_first_visit_downloads_every_file_once_and_compressed(
    browser: Browser, logged_server: Server
) -> None:
    since = logged_server.log.stat().st_size
    context = browser.new_context()
    arrived: list[Response] = []
    context.on("response", lambda response: arrived.append(response))
    page = context.new_page()
    open_app(page, logged_server.url + "/")
    wait_controlled(page)  # the service worker has installed: the whole precache is in place
    page.get_by_role("button", name="Start").click()
    play_through(page, sequence(5))
    expect(stat(page, "Status")).to_have_text("Completed")
    assert page.evaluate("window.schulteBoot.snapshot") is True
    context.close()

    served = served_paths(logged_server, since)
    precache = {f"/{url}" for url in json.loads((BUILD / "precache-summary.json").read_text())["urls"]}
    assert precache - {"/index.html"} <= set(served), "every precached file reached the service worker"
    assert {path: n for path, n in served.items() if n > 1} == {}
    uncompressed = [
        response.url
        for response in arrived
        if response.status == 200
        and not response.from_service_worker
        and not response.headers.get("content-encoding")
        and compressible(response.url.removeprefix(logged_server.url))
    ]
    assert uncompressed == []
    assert any(response.headers.get("content-encoding") == "br" for response in arrived)


@contextlib.contextmanager
def served_copy(tmp_path: Path) -> Iterator[tuple[Path, Server]]:
    """A copy of the build to change (``site``), served by ``python -m server`` logging every request."""
    site = tmp_path / "site"
    shutil.copytree(BUILD, site)
    database = Database.create("sqlite", tmp_path)
    server = Server.start(database, tmp_path, static_dir=str(site), log_level="INFO")
    try:
        yield site, server
    finally:
        server.stop()
        database.close()


def test_a_corrupt_snapshot_falls_back_to_a_normal_boot_and_the_app_plays(
    browser: Browser, tmp_path: Path
) -> None:
    with served_copy(tmp_path) as (site, server):
        (snapshot,) = (site / "py").glob("snapshot-*.bin")
        junk = b"not a snapshot" * 1000
        snapshot.write_bytes(junk)
        snapshot.with_name(snapshot.name + ".gz").write_bytes(gzip.compress(junk))
        snapshot.with_name(snapshot.name + ".br").unlink()  # served as gzip: the junk itself reaches Pyodide
        context = browser.new_context()
        page = context.new_page()
        open_app(page, server.url + "/")
        boot = page.evaluate("window.schulteBoot")
        assert boot["snapshot"] is False and boot["snapshotError"]
        page.get_by_role("button", name="Start").click()
        cell(page, 2).click()
        play_through(page, sequence(5))
        expect(stat(page, "Status")).to_have_text("Completed")
        expect(stat(page, "Accuracy")).to_have_text("96%")
        context.close()


def test_an_update_downloads_only_what_changed_and_later_visits_skip_the_worker(
    browser: Browser, tmp_path: Path
) -> None:
    with served_copy(tmp_path) as (site, server):
        context = browser.new_context()
        page = context.new_page()
        open_app(page, server.url + "/")
        wait_controlled(page)
        since = server.log.stat().st_size
        deploy_new_version(site)
        page.evaluate("window.schulte.registration.update()")
        toast = page.get_by_role("alert")
        expect(toast).to_contain_text("Update available", timeout=60_000)
        # The new version's cache takes every unchanged file (36 MB of them) from the old one.
        assert set(served_paths(server, since)) == {"/sw.js", "/index.html"}
        with page.expect_navigation():
            toast.get_by_role("button", name="Reload").click()
        wait_ready(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Schulte v2")
        assert len(page.evaluate("caches.keys()")) == 1  # the old version's cache is gone

        # A later visit's files come straight from that cache (the worker's static routes), offline too.
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        sources: dict[str, str] = {}

        def received(event: dict[str, Any]) -> None:
            route = event["response"].get("serviceWorkerRouterInfo") or {}
            sources[event["response"]["url"]] = route.get("actualSourceType", "")

        cdp.on("Network.responseReceived", received)
        context.set_offline(True)
        page.reload()
        wait_ready(page)
        files = {
            url: source
            for url, source in sources.items()
            if "/js/" in url or "/vendor/" in url or "/py/" in url
        }
        assert files and set(files.values()) == {"cache"}, files
        page.get_by_role("button", name="Start").click()
        play_through(page, sequence(5))
        expect(stat(page, "Status")).to_have_text("Completed")
        context.close()
