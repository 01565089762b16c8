"""One crashed worker does not take the server down: granian replaces it, and clients that retry
until acknowledged lose nothing and store nothing twice."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server.conftest import Api, Database, Server, practice

PLAYERS = 8
GAMES_EACH = 24
BATCH = 3


def workers_of(server: Server) -> set[int]:
    """The worker processes granian forked (the children of ``python -m server``)."""
    pid = server.process.pid
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children |= {int(child) for child in (task / "children").read_text().split()}
    return children


@pytest.fixture
def two_workers(backend: str, tmp_path: Path) -> Iterator[Server]:
    database = Database.create(backend, tmp_path)
    running = Server.start(database, tmp_path, workers="2")
    yield running
    running.stop()
    database.close()


class Player:
    """A client with an outbox that keeps every game until the server acknowledges its id."""

    def __init__(self, url: str, seed: int) -> None:
        self.api = Api(url).register()
        self.outbox = [practice(seed=seed * 100 + game) for game in range(GAMES_EACH)]
        self.ids = [session["id"] for session in self.outbox]
        self.failures = 0
        self.acknowledged = 0

    def sync_until_empty(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while self.outbox and time.monotonic() < deadline:
            batch = self.outbox[:BATCH]
            try:
                response = self.api.post("/sessions/sync", json={"sessions": batch})
            except httpx.TransportError:  # the worker died mid-request: the answer is lost, retry
                self.failures += 1
                time.sleep(0.1)
                continue
            if response.status_code != 200:
                self.failures += 1
                time.sleep(0.1)
                continue
            done = {
                item["id"] for item in response.json()["data"] if item["result"] in ("created", "duplicate")
            }
            self.outbox = [session for session in self.outbox if session["id"] not in done]
            self.acknowledged += 1


def test_a_worker_killed_mid_sync_is_replaced_and_nothing_is_lost_or_stored_twice(
    two_workers: Server,
) -> None:
    players = [Player(two_workers.url, seed) for seed in range(PLAYERS)]
    before = workers_of(two_workers)
    assert len(before) == 2
    threads = [threading.Thread(target=player.sync_until_empty) for player in players]
    for thread in threads:
        thread.start()
    while sum(player.acknowledged for player in players) < PLAYERS * 2:  # uploads are under way
        time.sleep(0.005)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    for thread in threads:
        thread.join()
    assert two_workers.process.poll() is None, "the server exited when one worker died"
    assert not any(player.outbox for player in players), "some games were never acknowledged"
    assert sum(player.failures for player in players) <= 2 * PLAYERS  # only requests in flight failed
    deadline = time.monotonic() + 20
    while len(workers_of(two_workers) - {victim}) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers_of(two_workers) - {victim}) == 2, "the killed worker was not replaced"
    assert httpx.get(f"{two_workers.url}/health").status_code == 200
    for player in players:
        stored = player.api.ok("GET", "/sessions", params={"limit": 100})
        assert sorted(row["id"] for row in stored) == sorted(player.ids)  # each game exactly once
        stats: Any = player.api.ok("GET", f"/users/{player.api.user['id']}/stats")
        assert stats["total_sessions"] == GAMES_EACH  # no retry counted twice
        player.api.http.close()
