"""Login, register and reset are rate-limited per IP and per account, in memory or in Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.server.conftest import PASSWORD, REDIS_URL, Api, Database, Server


@pytest.fixture(scope="module", params=["memory", "redis"])
def limited(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with small limits, counting in memory or in Redis (under a prefix of this run)."""
    tmp = tmp_path_factory.mktemp(f"limits-{request.param}")
    database = Database.create("sqlite", tmp)
    settings = {"rate_login_account": "3/600", "rate_login_ip": "6/600", "rate_register_ip": "2/600",
                "rate_reset_ip": "2/600"}  # fmt: skip
    prefix = f"schulte-test-{uuid.uuid4().hex[:8]}"
    if request.param == "redis":
        settings |= {"redis_url": REDIS_URL, "redis_prefix": prefix}
    running = Server.start(database, tmp, **settings)
    yield running
    running.stop()
    database.close()
    if request.param == "redis":
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        assert keys, "the Redis limiter should have written its counters under the run's prefix"
        client.delete(*keys)
        client.close()


def _rate_limited(response: Any) -> None:
    assert response.status_code == 429, response.text
    body = response.json()
    assert body["error"]["code"] == "RATE_LIMITED"
    assert int(response.headers["retry-after"]) >= 1


def test_login_is_limited_per_account_then_per_ip(limited: Server, tmp_path: Path) -> None:
    api = Api(limited.url)
    try:
        api.register()
        email = api.user["email"]
        for _ in range(3):
            assert (
                api.post("/auth/login", json={"email": email, "password": "wrong password"}).status_code
                == 401
            )
        _rate_limited(api.post("/auth/login", json={"email": email, "password": PASSWORD}))
        # Other accounts from the same address run into the per-IP limit next.
        others = [{"email": f"{uuid.uuid4().hex}@example.com", "password": "x" * 8} for _ in range(3)]
        statuses = [api.post("/auth/login", json=other).status_code for other in others]
        assert statuses[-1] == 429
    finally:
        api.http.close()


def test_register_and_forgot_password_are_limited_per_ip(limited: Server) -> None:
    api = Api(limited.url)
    try:
        statuses = []
        for _ in range(3):
            email = f"{uuid.uuid4().hex}@example.com"
            response = api.post(
                "/auth/register", json={"email": email, "password": PASSWORD, "display_name": "R"}
            )
            statuses.append(response.status_code)
        assert statuses[:1] == [201] and statuses[-1] == 429
        for _ in range(2):
            assert api.post("/auth/forgot-password", json={"email": "a@example.com"}).status_code == 202
        _rate_limited(api.post("/auth/forgot-password", json={"email": "a@example.com"}))
    finally:
        api.http.close()
