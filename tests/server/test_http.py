"""The HTTP surface: the envelope on every error, body limits, static files, schema, logs."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

import core
from tests.server.conftest import Database, Server


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"status", "error"} and body["status"] == "error", body
    assert set(body["error"]) == {"code", "message", "details"}
    return dict(body["error"])


def test_unknown_routes_and_wrong_methods_answer_in_the_envelope(server: Server) -> None:
    missing = httpx.get(f"{server.url}/api/v1/no-such-thing")
    assert missing.status_code == 404 and error_of(missing)["code"] == "NOT_FOUND"
    wrong_method = httpx.put(f"{server.url}/api/v1/tickets")
    assert wrong_method.status_code == 405 and error_of(wrong_method)["code"] == "METHOD_NOT_ALLOWED"


def test_malformed_json_and_wrong_shapes_are_validation_errors(new_api: Any) -> None:
    player = new_api()
    broken = player.post("/sessions", content=b'{"id": ', headers={"content-type": "application/json"})
    assert broken.status_code == 400 and error_of(broken)["code"] == "VALIDATION_ERROR"
    unknown_field = player.post(
        "/tickets", json={"mode": "ranked", "grid_size": 5, "order_mode": "ASC", "x": 1}
    )
    assert unknown_field.status_code == 400 and error_of(unknown_field)["code"] == "VALIDATION_ERROR"
    bad_query = player.get("/leaderboards/all-time", params={"grid_size": max(core.SIZES) + 1})
    assert bad_query.status_code == 400 and "grid_size" in error_of(bad_query)["message"]


def test_oversized_bodies_are_refused_with_payload_too_large(new_api: Any) -> None:
    player = new_api()
    huge = json.dumps({"sessions": [{"id": "x" * 1000}] * 1200}).encode()
    assert len(huge) > 1024 * 1024
    response = player.post("/sessions/sync", content=huge, headers={"content-type": "application/json"})
    assert response.status_code == 413 and error_of(response)["code"] == "PAYLOAD_TOO_LARGE"


def test_health_and_openapi_document(server: Server) -> None:
    assert httpx.get(f"{server.url}/health").json()["data"]["status"] == "ok"
    assert httpx.get(f"{server.url}/api/v1/health").json()["data"]["status"] == "ok"
    schema = httpx.get(f"{server.url}/schema/openapi.json").json()
    for path in (
        "/api/v1/sessions/sync",
        "/api/v1/tickets",
        "/api/v1/leaderboards/friends",
        "/api/v1/stats/percentile",
    ):
        assert path in schema["paths"]
    assert "SessionIn" in schema["components"]["schemas"]


def test_static_app_files_get_their_mime_types_and_the_service_worker_is_never_cached(server: Server) -> None:
    page = httpx.get(f"{server.url}/")
    assert page.status_code == 200 and "<h1>Schulte</h1>" in page.text
    assert page.headers["cache-control"] == "no-cache"
    worker = httpx.get(f"{server.url}/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    manifest = httpx.get(f"{server.url}/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    assert manifest.headers["cache-control"] == "no-cache"
    wasm = httpx.get(f"{server.url}/vendor/pyodide/pyodide.asm.wasm")
    assert wasm.headers["content-type"] == "application/wasm" and "max-age" in wasm.headers["cache-control"]
    assert (
        httpx.get(f"{server.url}/vendor/pyodide/pyodide.mjs")
        .headers["content-type"]
        .startswith("text/javascript")
    )
    assert error_of(httpx.get(f"{server.url}/missing.js"))["code"] == "NOT_FOUND"


def test_every_answer_carries_a_trace_id(server: Server) -> None:
    response = httpx.get(f"{server.url}/health", headers={"X-Request-ID": "trace-me-123"})
    assert response.headers["x-trace-id"] == "trace-me-123"


def test_without_a_built_app_the_root_says_so_and_the_api_still_works(tmp_path: Any) -> None:
    database = Database.create("sqlite", tmp_path)
    running = Server.start(database, tmp_path, static_dir=str(tmp_path / "not-built"))
    try:
        page = httpx.get(f"{running.url}/")
        assert page.status_code == 200 and "has not been built" in page.text
        assert httpx.get(f"{running.url}/api/v1/challenges/current").status_code == 200
        log = running.log.read_text()
    finally:
        running.stop()
    assert "Schulte is running at http://127.0.0.1:" in log


def test_requests_are_logged_as_json_lines_with_the_seed_fields(tmp_path: Any) -> None:
    database = Database.create("sqlite", tmp_path)
    running = Server.start(database, tmp_path, log_level="INFO")
    try:
        httpx.get(f"{running.url}/api/v1/leaderboards/daily", headers={"X-Request-ID": "log-check"})
    finally:
        running.stop()
    lines = [json.loads(line) for line in running.log.read_text().splitlines() if line.startswith("{")]
    entry = next(line for line in lines if line.get("trace_id") == "log-check")
    fields = [
        "timestamp",
        "level",
        "service",
        "trace_id",
        "user_id",
        "method",
        "path",
        "status_code",
        "duration_ms",
        "message",
    ]
    for name in fields:
        assert name in entry
    assert (entry["method"], entry["path"], entry["status_code"]) == (
        "GET",
        "/api/v1/leaderboards/daily",
        200,
    )


def test_production_refuses_the_development_secret(tmp_path: Any) -> None:
    database = Database.create("sqlite", tmp_path)
    with pytest.raises(RuntimeError, match="SCHULTE_SECRET"):
        Server.start(database, tmp_path, env="production", secret="")
