"""Login, register and reset are rate-limited, in memory or in Redis, and nobody can lock a player out.

The servers here trust 127.0.0.1 as their reverse proxy, so each test plays clients at addresses of
its own through ``X-Forwarded-For`` (and shares no budget with another test).
"""

from __future__ import annotations

import random
import time
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
    settings = {"rate_login_pair": "3/3600", "rate_login_ip": "6/3600", "rate_login_account": "5/3600",
                "rate_register_ip": "2/600", "rate_reset_ip": "2/600",
                "trusted_proxies": "127.0.0.1"}  # fmt: skip
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


def _address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def _login(api: Api, email: str, password: str, address: str) -> Any:
    return api.post(
        "/auth/login", json={"email": email, "password": password}, headers={"X-Forwarded-For": address}
    )


@pytest.fixture
def player(limited: Server) -> Iterator[Api]:
    api = Api(limited.url)
    api.http.headers["X-Forwarded-For"] = _address()  # registrations are limited per address too
    api.register()
    del api.http.headers["X-Forwarded-For"]
    yield api
    api.http.close()


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(player: Api) -> None:
    email, attacker, owner = player.user["email"], _address(), _address()
    for _ in range(3):
        assert _login(player, email, "wrong password", attacker).status_code == 401
    _rate_limited(_login(player, email, PASSWORD, attacker))  # the guesser is stopped, right password or not
    assert _login(player, email, PASSWORD, owner).status_code == 200  # the owner is not


def test_successful_logins_never_count(player: Api) -> None:
    address = _address()
    for _ in range(8):  # more than the per-(account, IP) 3 and the per-IP 6
        assert _login(player, player.user["email"], PASSWORD, address).status_code == 200


def test_failures_are_limited_per_address_across_accounts(player: Api) -> None:
    address = _address()
    for _ in range(6):
        assert _login(player, f"{uuid.uuid4().hex}@example.com", "x" * 8, address).status_code == 401
    _rate_limited(_login(player, player.user["email"], PASSWORD, address))


def test_failures_from_many_addresses_make_the_account_wait_longer_and_longer(player: Api) -> None:
    email = player.user["email"]
    for _ in range(5):  # the soft per-account limit: no delay yet
        assert _login(player, email, "wrong password", _address()).status_code == 401
    waits = []
    for _ in range(2):
        assert _login(player, email, "wrong password", _address()).status_code == 401
        refused = _login(player, email, PASSWORD, _address())
        _rate_limited(refused)
        waits.append(int(refused.headers["retry-after"]))
        time.sleep(waits[-1] + 0.1)
    assert waits == [1, 2]
    assert _login(player, email, PASSWORD, _address()).status_code == 200  # waiting out the delay is enough


def test_the_client_address_is_the_nearest_one_the_trusted_proxy_saw(player: Api) -> None:
    # The client may write anything on the left of X-Forwarded-For; the proxy appends the real peer.
    email, peer = player.user["email"], _address()
    for _ in range(3):
        assert _login(player, email, "wrong password", f"{_address()}, {peer}").status_code == 401
    _rate_limited(_login(player, email, PASSWORD, f"{_address()}, {peer}"))


def test_forwarded_for_from_an_untrusted_peer_is_ignored(tmp_path: Path) -> None:
    database = Database.create("sqlite", tmp_path)
    untrusting = Server.start(database, tmp_path, rate_login_pair="2/3600", trusted_proxies="192.0.2.1")
    api = Api(untrusting.url)
    try:
        email = api.register().user["email"]
        api.http.cookies.clear()
        for _ in range(2):
            assert _login(api, email, "wrong password", _address()).status_code == 401
        _rate_limited(_login(api, email, PASSWORD, _address()))  # a new forged address changes nothing
    finally:
        api.http.close()
        untrusting.stop()
        database.close()


def test_register_and_forgot_password_are_limited_per_ip(limited: Server) -> None:
    api = Api(limited.url)
    try:
        statuses = []
        for _ in range(3):
            email = f"{uuid.uuid4().hex}@example.com"
            response = api.post(
                "/auth/register", json={"email": email, "password": PASSWORD, "display_name": email[:8]}
            )
            statuses.append(response.status_code)
        assert statuses[:1] == [201] and statuses[-1] == 429
        for _ in range(2):
            assert api.post("/auth/forgot-password", json={"email": "a@example.com"}).status_code == 202
        _rate_limited(api.post("/auth/forgot-password", json={"email": "a@example.com"}))
    finally:
        api.http.close()
