"""Real servers for the API suite: ``python -m server`` (granian) on a free port, over real HTTP.

Each backend gets its own database for the run (a temp SQLite file, or a fresh PostgreSQL database
on 127.0.0.1:5432 that is dropped afterwards). Games are played with ``core.Game`` by a simulated
player with irregular, human intervals, so the server sees exactly what the app would send.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import asyncpg
import httpx
import pytest

import core

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get("SCHULTE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SCHULTE_TEST_REDIS", "redis://127.0.0.1:6379/0")
BACKENDS = ["sqlite", "postgres"]
PASSWORD = "correct horse battery"  # noqa: S105 -- the test players' password
REFRESH_COOKIE = "schulte_refresh"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def pg_admin(sql: str) -> None:
    asyncio.run(_pg_admin(sql))


@dataclass
class Database:
    """A database of its own for one server (and its cleanup)."""

    url: str
    drop: str | None = None

    @classmethod
    def create(cls, backend: str, tmp: Path) -> Database:
        if backend == "sqlite":
            return cls(f"sqlite+aiosqlite:///{tmp / f'schulte-{uuid.uuid4().hex[:8]}.sqlite3'}")
        name = f"schulte_test_{uuid.uuid4().hex[:12]}"
        pg_admin(f"CREATE DATABASE {name}")
        return cls(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}", name)

    def close(self) -> None:
        if self.drop:
            pg_admin(f"DROP DATABASE IF EXISTS {self.drop} WITH (FORCE)")


def make_static_dir(tmp: Path) -> Path:
    """A stand-in for the built PWA (``build/app``)."""
    static = tmp / "app"
    (static / "vendor" / "pyodide").mkdir(parents=True, exist_ok=True)
    (static / "index.html").write_text("<!doctype html><title>Schulte</title><h1>Schulte</h1>")
    (static / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (static / "manifest.webmanifest").write_text('{"name": "Schulte"}')
    (static / "vendor" / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm\1\0\0\0")
    (static / "vendor" / "pyodide" / "pyodide.mjs").write_text("export const version = '314.0.7';")
    return static


@dataclass
class Server:
    """A running ``python -m server`` process."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    database: Database
    env: dict[str, str] = field(default_factory=dict)
    pool: Any = None

    @classmethod
    def start(cls, database: Database, tmp: Path, **settings: str) -> Server:
        port = free_port()
        env = {
            **os.environ,
            "SCHULTE_ENV": "test",
            "SCHULTE_DATABASE_URL": database.url,
            "SCHULTE_PORT": str(port),
            "SCHULTE_SECRET": "test-secret-" + uuid.uuid4().hex,
            "SCHULTE_LOG_LEVEL": "WARNING",
            "SCHULTE_RATE_LOGIN_IP": "10000/60",
            "SCHULTE_RATE_LOGIN_ACCOUNT": "10000/60",
            "SCHULTE_RATE_REGISTER_IP": "10000/60",
            "SCHULTE_RATE_RESET_IP": "10000/60",
            "SCHULTE_STATIC_DIR": str(make_static_dir(tmp)),
            **{f"SCHULTE_{key.upper()}": value for key, value in settings.items()},
        }
        log = tmp / f"server-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "server"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own: ``stop`` ends the workers too
            )
        server = cls(f"http://127.0.0.1:{port}", process, log, database, env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{server.url}/health", timeout=1).status_code == 200:
                    return server
            except httpx.HTTPError:
                time.sleep(0.1)
        server.stop()
        raise RuntimeError(f"server did not answer in 60 s:\n{log.read_text()[-3000:]}")

    def stop(self) -> None:
        """Stop the server and every worker it forked.

        After granian has replaced a killed worker, a server still holding clients' connections may
        not exit within 15 s; it is then killed, and its workers with it (they would outlive it).
        """
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


REUSE_GRACE_S = 1
"""The suite's server forgives presenting a just-rotated refresh token again for this long."""

POOL_SLACK_S = 6 * 3600
"""The shared server's upload slack: longer than any run, so the pool's aged tickets still rank."""

DUELS_PER_DAY = 6
"""The shared server's quota of new duels per player (``SCHULTE_RATE_DUEL_USER``)."""


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per backend for the whole run (tests use fresh users, so they do not collide)."""
    tmp = tmp_path_factory.mktemp(f"server-{backend}")
    database = Database.create(backend, tmp)
    # The pool's tickets are issued at start and played minutes later: on this server their upload
    # window is widened, so that they still rank. tests/server/test_fair_play.py runs the real window.
    running = Server.start(
        database,
        tmp,
        refresh_reuse_grace_seconds=str(REUSE_GRACE_S),
        upload_slack_seconds=str(POOL_SLACK_S),
        rate_duel_user=f"{DUELS_PER_DAY}/86400",
    )
    running.pool = TicketPool(running.url)  # issued now, so they have aged when tests play them
    yield running
    running.pool.close()
    running.stop()
    database.close()


class Api:
    """A thin HTTP client that knows the envelope and how to sign in."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url + "/api/v1", timeout=60)
        self.token: str | None = None
        self.refresh_token: str | None = None
        self.user: dict[str, Any] = {}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token and "authorization" not in {key.lower() for key in headers}:
            headers["Authorization"] = f"Bearer {self.token}"
        return self.http.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        """The ``data`` of a success envelope (asserting the status)."""
        response = self.request(method, path, **kwargs)
        assert response.status_code == status, response.text
        body = response.json()
        assert body["status"] == "success"
        return body["data"]

    def register(self, name: str | None = None) -> Api:
        """Sign up, then sign in, as the app does (registering alone never returns tokens)."""
        name = name or f"Player {uuid.uuid4().hex[:6]}"
        email = f"{uuid.uuid4().hex[:10]}@example.com"
        self.ok(
            "POST", "/auth/register", 201, json={"email": email, "password": PASSWORD, "display_name": name}
        )
        return self.login(email)

    def login(self, email: str, password: str = PASSWORD) -> Api:
        response = self.post("/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        self.token, self.user = data["access_token"], data["user"]
        self.refresh_token = response.cookies[REFRESH_COOKIE]
        return self

    def refresh(self, token: str | None = None) -> httpx.Response:
        """``POST /auth/refresh`` with ``token`` as the cookie (the client's own cookie by default)."""
        token = token or self.refresh_token
        return self.post("/auth/refresh", headers={"Cookie": f"{REFRESH_COOKIE}={token}"})

    def refreshed(self, token: str | None = None) -> str:
        """Refresh with ``token`` and return the new refresh token (from the cookie: never in the body)."""
        response = self.refresh(token)
        assert response.status_code == 200, response.text
        assert "refresh_token" not in response.json()["data"]
        return str(response.cookies[REFRESH_COOKIE])

    def ticket(
        self, mode: str = "ranked", grid_size: int = 5, order_mode: str = "ASC", variant: str = "classic"
    ) -> dict[str, Any]:
        body = {"mode": mode, "grid_size": grid_size, "order_mode": order_mode, "variant": variant}
        return dict(self.ok("POST", "/tickets", 201, json=body))


class TicketPool:
    """Tickets issued when the server starts, so that by the time a test plays one, a real game's
    duration has passed since its issue (the server refuses uploads faster than the game itself)."""

    PLAN: ClassVar[dict[tuple[str, int, str, str], int]] = {
        ("ranked", 5, "ASC", "classic"): 10,
        ("ranked", 6, "DESC", "classic"): 2,
        ("ranked", 7, "ASC", "classic"): 3,
        ("ranked", 5, "DESC", "classic"): 3,
        ("daily", 5, "ASC", "classic"): 3,
        ("weekly", 5, "ASC", "classic"): 2,
        ("ranked", 7, "ASC", "gorbov"): 2,
        ("ranked", 4, "ASC", "letters"): 1,
        ("ranked", 10, "DESC", "classic"): 1,
        ("daily", 7, "ASC", "gorbov"): 1,
    }

    def __init__(self, url: str) -> None:
        self.url = url
        self.held: dict[tuple[str, int, str, str], list[tuple[Api, dict[str, Any]]]] = {}
        self.made: list[Api] = []
        for board, count in self.PLAN.items():
            for _ in range(count):
                api = self._api()
                self.held.setdefault(board, []).append((api, api.ticket(*board)))

    def take(
        self, mode: str = "ranked", grid_size: int = 5, order_mode: str = "ASC", variant: str = "classic"
    ) -> tuple[Api, dict[str, Any]]:
        """A fresh player and their aged ticket (a new one, not aged, once the pool runs dry)."""
        held = self.held.get((mode, grid_size, order_mode, variant))
        if held:
            return held.pop()
        api = self._api()
        return api, api.ticket(mode, grid_size, order_mode, variant)

    def _api(self) -> Api:
        api = Api(self.url)
        self.made.append(api)
        return api.register()

    def close(self) -> None:
        for api in self.made:
            api.http.close()


@pytest.fixture
def pool(server: Server) -> Any:
    return server.pool


@pytest.fixture
def new_api(server: Server) -> Iterator[Any]:
    """Make signed-in (or anonymous) clients of the server."""
    made: list[Api] = []

    def make(register: bool = True, name: str | None = None) -> Api:
        api = Api(server.url)
        made.append(api)
        return api.register(name) if register else api

    yield make
    for api in made:
        api.http.close()


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def play(
    ticket: dict[str, Any], *, seed: int = 0, mistakes: int = 0, started_at: datetime | None = None,
    pace: tuple[float, float] = (150.0, 280.0), abandon_after: int | None = None, reshuffle: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """A genuine session on the ticket's board (its variant too): a simulated human with irregular
    intervals >= 150 ms."""
    board = core.Board.generate(ticket["grid_size"], ticket["board_seed"])
    game = core.Game(
        board,
        ticket["order_mode"],
        max_time=120,
        mode=ticket["mode"],
        ticket_id=ticket["id"],
        started_at=started_at or parse_time(ticket["issued_at"]) + timedelta(milliseconds=300),
        variant=ticket.get("variant", core.Variant.CLASSIC),
        reshuffle=reshuffle,
    )
    rng = random.Random(seed)
    now = 400.0
    wrong = mistakes
    while not game.is_over:
        target = game.next_cell
        assert target is not None
        if abandon_after is not None and game.progress >= abandon_after:
            game.abandon(now)
            break
        if wrong:
            wrong -= 1
            game.tap((target + 1) % board.cell_count, now)
            now += rng.uniform(*pace)
        game.tap(target, now)
        now += rng.uniform(*pace)
    return game.to_session().to_dict()


def practice(
    seed: int = 7, grid_size: int = 5, order: str = "ASC", variant: str = "classic", **kwargs: Any
) -> dict[str, Any]:
    """A genuine practice session (no ticket) on a non-easy board."""
    while core.Board.generate(grid_size, seed).is_easy:
        seed += 1
    fake_ticket = {
        "grid_size": grid_size, "board_seed": seed, "order_mode": order, "mode": "practice", "id": None,
        "issued_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(), "variant": variant,
    }  # fmt: skip
    return play(fake_ticket, seed=seed, **kwargs)


def duration_s(session: dict[str, Any]) -> float:
    return max(tap["timestamp_ms"] for tap in session["tap_events"]) / 1000


def wait_for_upload(tickets: list[dict[str, Any]], sessions: list[dict[str, Any]]) -> None:
    """Sleep until every session could genuinely have been played since its ticket was issued."""
    now = time.time()
    ready = max(
        parse_time(t["issued_at"]).timestamp() + duration_s(s) + 0.3
        for t, s in zip(tickets, sessions, strict=True)
    )
    if ready > now:
        time.sleep(ready - now)
