"""The installable offline app: service worker, offline play, manifest, installability, updates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Request, Response, Worker, expect

from tests.web.conftest import (
    cell,
    deploy_new_version,
    open_app,
    play_through,
    sequence,
    stat,
    wait_controlled,
    wait_ready,
)
from tests.web.static_server import APP, serve_app


def test_the_service_worker_really_controls_the_page(page: Page) -> None:
    wait_controlled(page)
    script = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert script.endswith("/sw.js")
    page.reload()
    wait_ready(page)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    # The navigation itself went through the service worker.
    assert page.evaluate("performance.getEntriesByType('navigation')[0].workerStart") > 0


def test_offline_reload_then_a_whole_game_is_played_without_any_network_request(
    context: BrowserContext, app_url: str
) -> None:
    page = context.new_page()
    open_app(page, app_url)
    wait_controlled(page)

    context.set_offline(True)
    network: list[str] = []

    def off_service_worker(response: Response) -> None:
        if not response.from_service_worker and response.url.startswith("http"):
            network.append(response.url)

    def failed(request: Request) -> None:
        network.append(f"FAILED {request.url}")

    page.on("response", off_service_worker)
    page.on("requestfailed", failed)
    page.reload()
    wait_ready(page)
    page.get_by_role("button", name="Start").click()
    cell(page, 2).click()
    play_through(page, sequence(5))
    expect(stat(page, "Status")).to_have_text("Completed")
    expect(stat(page, "Accuracy")).to_have_text("96%")
    page.get_by_role("button", name="History").click()
    expect(page.get_by_role("cell", name="Completed")).to_be_visible()
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_role("button", name="Start").click()
    play_through(page, sequence(5))
    expect(stat(page, "Status")).to_have_text("Completed")
    assert network == []


def test_manifest_and_chromium_installability_check_pass(
    persistent_context: BrowserContext, app_url: str
) -> None:
    page = persistent_context.pages[0] if persistent_context.pages else persistent_context.new_page()
    open_app(page, app_url)
    wait_controlled(page)
    page.reload()
    wait_ready(page)
    cdp = persistent_context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    data = json.loads(manifest["data"])
    assert data["name"].startswith("Schulte")
    assert data["short_name"] == "Schulte"
    assert data["display"] == "standalone"
    assert data["start_url"] == "./"
    assert data["theme_color"] and data["background_color"]
    icons = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= icons
    for icon in data["icons"]:
        response = page.request.get(app_url + icon["src"])
        assert response.ok
        assert response.headers["content-type"] == "image/png"
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []


def test_a_new_version_offers_update_available_and_reload(context: BrowserContext, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(APP, site)
    with serve_app(site) as url:
        page = context.new_page()
        open_app(page, url)
        wait_controlled(page)
        toast = page.get_by_role("alert")
        expect(toast).to_be_hidden()
        deploy_new_version(site)
        page.evaluate("window.schulte.registration.update()")
        expect(toast).to_contain_text("Update available", timeout=60_000)
        with page.expect_navigation():
            toast.get_by_role("button", name="Reload").click()
        wait_ready(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Schulte v2")


def test_every_boot_restores_the_build_time_snapshot_the_first_visit_and_offline_ones_too(
    context: BrowserContext, app_url: str
) -> None:
    page = context.new_page()
    open_app(page, app_url)
    assert page.evaluate("window.schulteBoot.snapshot") is True
    wait_controlled(page)
    context.set_offline(True)
    page.reload()
    wait_ready(page)
    assert page.evaluate("window.schulteBoot.snapshot") is True
    page.get_by_role("button", name="Start").click()
    play_through(page, sequence(5))
    expect(stat(page, "Status")).to_have_text("Completed")


def test_no_python_runs_in_the_background_while_a_game_is_on_screen(
    context: BrowserContext, app_url: str
) -> None:
    """Besides the game clock's, the only worker is the one that fetches the snapshot (no Python in
    it), and it is gone before Start can be pressed."""
    workers: list[str] = []
    closed: list[str] = []

    def watch(worker: Worker) -> None:
        workers.append(worker.url)
        worker.on("close", lambda gone: closed.append(gone.url))

    page = context.new_page()
    page.on("worker", watch)
    open_app(page, app_url)
    for _ in range(40):  # the close is reported a moment after the worker is terminated
        if closed:
            break
        page.wait_for_timeout(50)
    assert [url.rsplit("/", 1)[-1] for url in closed] == ["snapshot-worker.mjs"]
    page.get_by_role("button", name="Start").click()
    play_through(page, sequence(5))
    expect(stat(page, "Status")).to_have_text("Completed")
    page.wait_for_timeout(4_000)  # the old snapshot worker started 3 s after boot
    assert sorted(url.rsplit("/", 1)[-1] for url in workers) == ["snapshot-worker.mjs", "timer-worker.js"]


def test_pyscripts_own_modules_import_from_the_files_the_loader_wrote(page: Page) -> None:
    # pyodide-loader.mjs writes PyScript's package files itself; the modules PyScript does not import
    # at start-up are read from those files when a program imports them.
    title = page.evaluate(
        """import('./js/pyodide-loader.mjs').then((loader) => loader.preload()).then((py) => py.runPython(
          'import pyscript.fs, pyscript.media\\nfrom pyscript.web import page\\npage.title'))"""
    )
    assert title == page.title() != ""
