"""Server speed figures: genuine session uploads/s and leaderboard latency, each next to GET /health.

The server runs as ``python -m server`` (granian, one worker) in its own process; this script is the
load generator, in a second process on loopback, using a small keep-alive HTTP/1.1 client (plain
asyncio streams: cheap enough that the client is not what is measured). Every loop is bounded.

    python scripts/bench_server.py                     # both backends, 3 runs each, then the 1M board
    python scripts/bench_server.py --backends sqlite --runs 1 --skip-board
    python scripts/bench_server.py --load-only --load-seconds 60   # issue 14's run: 100 players, 60 s

The load run (issue 14, item 10) starts 2 workers on PostgreSQL and Redis once per offload mode:
``inline`` (argon2 and ``core.verify`` on the event loop: "before") and ``thread`` ("after").

Uploads are genuine: players register, take ranked tickets through the API, play them with
``core.Game`` (a simulated human), and upload once a real game's duration has passed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the server package is used from the checkout, like `python -m server`

import core  # noqa: E402 -- after making the checkout importable
from server.config import derive_key  # noqa: E402
from server.security import issue_access_token  # noqa: E402

PG_ADMIN = os.environ.get("SCHULTE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SCHULTE_BENCH_REDIS", "redis://127.0.0.1:6379/0")
SECRET = "bench-secret-" + "x" * 32
ACCESS_KEY = derive_key(SECRET, "access-token")


# --- a tiny keep-alive HTTP/1.1 client ----------------------------------------------------------


def request_bytes(method: str, path: str, body: Any = None, token: str | None = None) -> bytes:
    """One raw request."""
    payload = b"" if body is None else json.dumps(body).encode()
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(payload)}"]
    if body is not None:
        head.append("Content-Type: application/json")
    if token:
        head.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


async def _connection(port: int, jobs: Iterable[bytes], out: list[tuple[int, float, bytes]]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for job in jobs:
            started = time.perf_counter()
            writer.write(job)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            out.append((int(head[9:12]), time.perf_counter() - started, body))
    finally:
        writer.close()


async def _blast(
    port: int, jobs: list[bytes], concurrency: int
) -> tuple[float, list[tuple[int, float, bytes]]]:
    shared = iter(jobs)  # one iterator shared by every connection: asyncio runs them on one thread
    out: list[tuple[int, float, bytes]] = []
    started = time.perf_counter()
    await asyncio.gather(*(_connection(port, shared, out) for _ in range(min(concurrency, len(jobs)))))
    return time.perf_counter() - started, out


def blast(
    port: int, jobs: list[bytes], concurrency: int = 16
) -> tuple[float, list[tuple[int, float, bytes]]]:
    """Send ``jobs`` over ``concurrency`` keep-alive connections; (seconds, [(status, latency, body)])."""
    return asyncio.run(_blast(port, jobs, concurrency))


# --- servers and databases ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg(sql: str, database: str | None = None) -> None:
    async def run() -> None:
        url = PG_ADMIN if database is None else PG_ADMIN.rsplit("/", 1)[0] + f"/{database}"
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run())


class Bench:
    """One backend: its database and its server process."""

    def __init__(self, backend: str, tmp: Path, **settings: str) -> None:
        self.backend = backend
        self.pg_name: str | None = None
        if backend == "sqlite":
            self.url = f"sqlite+aiosqlite:///{tmp / 'bench.sqlite3'}"
        else:
            self.pg_name = f"schulte_bench_{uuid.uuid4().hex[:10]}"
            pg(f"CREATE DATABASE {self.pg_name}")
            self.url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{self.pg_name}"
        self.port = free_port()
        self.log = tmp / f"server-{backend}-{uuid.uuid4().hex[:6]}.log"
        env = {
            **os.environ,
            "SCHULTE_ENV": "test",
            "SCHULTE_DATABASE_URL": self.url,
            "SCHULTE_PORT": str(self.port),
            "SCHULTE_SECRET": SECRET,
            "SCHULTE_LOG_LEVEL": "WARNING",
            "SCHULTE_WORKERS": "1",
            "SCHULTE_RATE_REGISTER_IP": "1000000/60",
            "SCHULTE_RATE_LOGIN_IP": "1000000/60",
            "SCHULTE_RATE_LOGIN_ACCOUNT": "1000000/60",
            "SCHULTE_RATE_UPLOAD_USER": "1000000/60",
            "SCHULTE_RATE_TICKET_USER": "1000000/60",
            "SCHULTE_STATIC_DIR": str(tmp / "no-app"),
            **{f"SCHULTE_{key.upper()}": value for key, value in settings.items()},
        }
        with self.log.open("wb") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "server"], cwd=ROOT, env=env, stdout=out,
                                            stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status = blast(self.port, [request_bytes("GET", "/health")], 1)[1][0][0]
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start:\n{self.log.read_text()[-2000:]}")

    def close(self) -> None:
        """Stop the server and drop its database."""
        self.process.terminate()
        self.process.wait(timeout=30)
        if self.pg_name:
            pg(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")


# --- genuine uploads ----------------------------------------------------------------------------


def register_players(port: int, count: int) -> list[str]:
    emails = [f"p{i}-{uuid.uuid4().hex[:6]}@bench.example" for i in range(count)]
    jobs = [
        request_bytes(
            "POST",
            "/api/v1/auth/register",
            {"email": email, "password": "bench password", "display_name": f"Bench {i}"},
        )
        for i, email in enumerate(emails)
    ]
    blast(port, jobs, 8)  # registering never returns tokens: sign in next, as the app does
    logins = [
        request_bytes("POST", "/api/v1/auth/login", {"email": e, "password": "bench password"})
        for e in emails
    ]
    _, out = blast(port, logins, 8)
    return [json.loads(body)["data"]["access_token"] for status, _, body in out if status == 200]


def issue_and_play(port: int, tokens: list[str], count: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    """``count`` (token, genuine ranked session) pairs; tickets through the API, games via core.Game."""
    owners = [tokens[i % len(tokens)] for i in range(count)]
    pairs: list[tuple[str, dict[str, Any]]] = []

    async def issue(chunk: list[str]) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for token in chunk:
                writer.write(request_bytes("POST", "/api/v1/tickets", {"mode": "ranked"}, token))
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line[15:]) for line in head.split(b"\r\n") if line[:15].lower() == b"content-length:"
                )
                pairs.append((token, json.loads(await reader.readexactly(length))["data"]))
        finally:
            writer.close()

    async def issue_all() -> None:
        await asyncio.gather(*(issue(owners[k::16]) for k in range(16) if owners[k::16]))

    asyncio.run(issue_all())
    rng = random.Random(seed)
    played = []
    for token, ticket in pairs:
        board = core.Board.generate(5, ticket["board_seed"])
        started = datetime.fromisoformat(ticket["issued_at"]) + timedelta(milliseconds=200)
        game = core.Game(
            board, "ASC", max_time=120, mode="ranked", ticket_id=ticket["id"], started_at=started
        )
        now = rng.uniform(300, 600)
        while not game.is_over:
            game.tap(game.next_cell, now)
            now += rng.uniform(160, 420)
        played.append((token, game.to_session().to_dict(), ticket["issued_at"]))
    latest = max(datetime.fromisoformat(issued) for _, _, issued in played).timestamp()
    wait = latest + 11.0 - time.time()  # the longest game here lasts ~10.5 s: uploads must not be "too soon"
    if wait > 0:
        time.sleep(wait)
    return [(token, session) for token, session, _ in played]


def measure_uploads(bench: Bench, runs: int, per_run: int, batch: int) -> dict[str, Any]:
    tokens = register_players(bench.port, 200)
    results: dict[str, list[float]] = {"health": [], "single": [], "sync": []}
    bad: Counter[int] = Counter()
    for run in range(runs):
        singles = issue_and_play(bench.port, tokens, per_run, seed=run)
        # A player's offline sessions sync together: one batch per player, as the app's outbox does.
        batched = issue_and_play(bench.port, tokens[: max(1, per_run // batch)], per_run, seed=1000 + run)
        health_jobs = [request_bytes("GET", "/health")] * (per_run * 2)
        seconds, out = blast(bench.port, health_jobs, 16)
        results["health"].append(len(out) / seconds)
        seconds, out = blast(
            bench.port, [request_bytes("POST", "/api/v1/sessions", s, t) for t, s in singles], 16
        )
        bad.update(status for status, _, _ in out if status != 201)
        results["single"].append(len(out) / seconds)
        by_owner: dict[str, list[dict[str, Any]]] = {}
        for token, session in batched:
            by_owner.setdefault(token, []).append(session)
        jobs = []
        for token, sessions in by_owner.items():
            for start in range(0, len(sessions), batch):
                body = {"sessions": sessions[start : start + batch]}
                jobs.append(request_bytes("POST", "/api/v1/sessions/sync", body, token))
        seconds, out = blast(bench.port, jobs, 8)
        for status, _, body in out:
            if status != 200:
                bad[status] += 1
                continue
            bad.update(-1 for item in json.loads(body)["data"] if not item["verified"])
        results["sync"].append(len(batched) / seconds)
    return {name: statistics.median(values) for name, values in results.items()} | {"errors": dict(bad)}


# --- issue 14, finding 10: players uploading while others read a board ---------------------------

LOAD_MODES = ("inline", "thread")
"""``SCHULTE_OFFLOAD`` of each load run: ``inline`` is "before" (argon2 and verify on the event loop)."""


def backlog(count: int, seed: int) -> list[dict[str, Any]]:
    """Genuine practice sessions played offline (the outbox a player syncs), on varied 5×5 to 7×7 boards."""
    rng = random.Random(seed)
    sessions = []
    while len(sessions) < count:
        size = rng.choice(core.SIZES)
        board = core.Board.generate(size, rng.randrange(core.MAX_SEED))
        if board.is_easy:
            continue
        game = core.Game(board, "ASC", max_time=300, started_at=datetime.now(UTC) - timedelta(hours=1))
        now = rng.uniform(300, 600)
        while not game.is_over:
            game.tap(game.next_cell, now)
            now += rng.uniform(160, 420)
        sessions.append(game.to_session().to_dict())
    return sessions


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, job: bytes
) -> tuple[int, float, bytes]:
    started = time.perf_counter()
    writer.write(job)
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        (int(line[15:]) for line in head.split(b"\r\n") if line[:15].lower() == b"content-length:"), 0
    )
    body = await reader.readexactly(length)
    return int(head[9:12]), time.perf_counter() - started, body


async def _load_run(port: int, players: int, seconds: float, batch: int, readers: int) -> dict[str, Any]:
    sessions = backlog(200, seed=players)
    emails = [f"load{k}-{uuid.uuid4().hex[:6]}@bench.example" for k in range(players)]
    accounts = [
        {"email": e, "password": "bench password", "display_name": f"Load {k}"} for k, e in enumerate(emails)
    ]
    await _blast(port, [request_bytes("POST", "/api/v1/auth/register", account) for account in accounts], 8)
    sync_ms: list[float] = []
    board_ms: list[float] = []
    created: set[str] = set()
    errors: Counter[str] = Counter()
    stop = time.perf_counter() + seconds

    async def player(email: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            # The players open the app at once: a burst of argon2 verifications, then their syncs.
            login = {"email": email, "password": "bench password"}
            status, _, body = await _exchange(
                reader, writer, request_bytes("POST", "/api/v1/auth/login", login)
            )
            if status != 200:
                errors[f"login {status}"] += 1
                return
            token = json.loads(body)["data"]["access_token"]
            rng = random.Random(email)
            while time.perf_counter() < stop:
                items = [dict(rng.choice(sessions), id=str(uuid.uuid4())) for _ in range(batch)]
                job = request_bytes("POST", "/api/v1/sessions/sync", {"sessions": items}, token)
                status, latency, body = await _exchange(reader, writer, job)
                if status != 200:
                    errors[f"sync {status}"] += 1
                    continue
                sync_ms.append(latency * 1000)
                for result in json.loads(body)["data"]:
                    if result["result"] == "created":
                        created.add(result["id"])
                    else:
                        errors[result["result"]] += 1
        finally:
            writer.close()

    async def board_reader() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            job = request_bytes("GET", "/api/v1/leaderboards/all-time?grid_size=5&order_mode=ASC&limit=20")
            while time.perf_counter() < stop:
                status, latency, _ = await _exchange(reader, writer, job)
                if status != 200:
                    errors[f"board {status}"] += 1
                board_ms.append(latency * 1000)
                await asyncio.sleep(0.01)  # a page view now and then, not a flood
        finally:
            writer.close()

    await asyncio.gather(*(player(email) for email in emails), *(board_reader() for _ in range(readers)))
    return {"created": created, "errors": dict(errors), "sync_ms": sync_ms, "board_ms": board_ms}


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def measure_load(mode: str, players: int, seconds: float, batch: int, tmp: Path) -> dict[str, Any]:
    """One load run against 2 workers on PostgreSQL and Redis, with argon2 and verify placed by ``mode``."""
    prefix = f"schulte-bench-{uuid.uuid4().hex[:8]}"
    bench = Bench("postgres", tmp, workers="2", offload=mode, redis_url=REDIS_URL, redis_prefix=prefix)
    try:
        run = asyncio.run(_load_run(bench.port, players, seconds, batch, readers=4))
        stored = _count_sessions(bench)
    finally:
        bench.close()
    return {
        "stored": stored,
        "acknowledged": len(run["created"]),
        "lost": len(run["created"]) - stored if stored < len(run["created"]) else 0,
        "errors": sum(run["errors"].values()),
        "error_kinds": run["errors"],
        "sync_p50": _pct(run["sync_ms"], 0.5),
        "sync_p99": _pct(run["sync_ms"], 0.99),
        "board_p50": _pct(run["board_ms"], 0.5),
        "board_p99": _pct(run["board_ms"], 0.99),
        "board_reads": len(run["board_ms"]),
    }


def _count_sessions(bench: Bench) -> int:
    async def count() -> int:
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{bench.pg_name}"
        connection = await asyncpg.connect(url)
        try:
            return int(await connection.fetchval("SELECT count(*) FROM training_sessions"))
        finally:
            await connection.close()

    return asyncio.run(count())


def print_load(figures: dict[str, dict[str, Any]], players: int, seconds: float, batch: int) -> None:
    print(
        f"\npostgres + redis, 2 workers: {players} players syncing genuine sessions ({batch} per request) "
        f"for {seconds:.0f} s while 4 readers load the all-time board (machine shared: read the ratios)"
    )
    print("  offload    stored   errors  lost   sync p50   sync p99   board p50   board p99")
    for mode, f in figures.items():
        label = mode + (" (before)" if mode == "inline" else "")
        print(f"  {label:16} {f['stored']:6d} {f['errors']:6d} {f['lost']:5d} {f['sync_p50']:8.0f} ms "
              f"{f['sync_p99']:8.0f} ms {f['board_p50']:8.1f} ms {f['board_p99']:8.1f} ms")  # fmt: skip
        if f["error_kinds"]:
            print(f"      errors: {f['error_kinds']}")
    before = figures.get("inline")
    for mode, f in figures.items():
        if before and mode != "inline" and f["board_p99"] > 0:
            print(f"  {mode}: board p99 {before['board_p99'] / f['board_p99']:.1f}x lower than inline, "
                  f"sync p99 {before['sync_p99'] / f['sync_p99']:.1f}x lower")  # fmt: skip


# --- leaderboard with 1,000,000 sessions from 100,000 users -------------------------------------

SEED_SQL = """
INSERT INTO users (id, email, password_hash, display_name, display_name_key, preferences, is_premium,
                   created_at, updated_at)
SELECT md5('u' || i)::uuid::text, 'u' || i || '@seed.example', 'x', 'Seed ' || i, 'seed ' || i, '{{}}', false,
       now(), now()
FROM generate_series(1, {users}) AS i;

INSERT INTO user_stats (user_id, total_sessions, completed_sessions, verified_sessions, current_streak,
                        longest_streak, per_board, updated_at)
SELECT md5('u' || i)::uuid::text, 10, 10, 10, 0, 0, '{{}}', now() FROM generate_series(1, {users}) AS i;

INSERT INTO training_sessions (id, user_id, mode, ticket_id, grid_size, order_mode, status,
                               completion_time_ms, started_at, verified, reasons, period, attempt, payload,
                               received_at)
SELECT md5('s' || s)::uuid::text, md5('u' || (1 + s % {users}))::uuid::text, 'ranked',
       md5('t' || s)::uuid::text, 5, 'ASC', 'completed', 6000 + floor(random() * 54000), day.at, true, '[]',
       to_char(day.at, 'YYYY-MM-DD'), NULL, '{{}}', day.at
FROM generate_series(1, {sessions}) AS s,
     LATERAL (SELECT (now() AT TIME ZONE 'UTC') - interval '1 day' * (s % 30)
                     - interval '1 second' * (s % 60) AS at) AS day;

INSERT INTO board_entries (board, period, grid_size, order_mode, user_id, best_time_ms, session_id,
                           achieved_at)
SELECT DISTINCT ON (user_id) 'all-time', 'all', 5, 'ASC', user_id, completion_time_ms, id, started_at
FROM training_sessions ORDER BY user_id, completion_time_ms, started_at;

INSERT INTO board_entries (board, period, grid_size, order_mode, user_id, best_time_ms, session_id,
                           achieved_at)
SELECT DISTINCT ON (period, user_id) 'daily', period, 5, 'ASC', user_id, completion_time_ms, id, started_at
FROM training_sessions ORDER BY period, user_id, completion_time_ms, started_at;

INSERT INTO board_histogram (board, period, grid_size, order_mode, bucket, count)
SELECT board, period, grid_size, order_mode, CAST(FLOOR(best_time_ms / 100) AS INTEGER), COUNT(*)
FROM board_entries GROUP BY 1, 2, 3, 4, 5;
"""


def measure_board(users: int, sessions: int, requests: int, tmp: Path) -> dict[str, Any]:
    bench = Bench("postgres", tmp)
    try:
        if bench.pg_name is None:
            raise RuntimeError("the leaderboard benchmark needs PostgreSQL")
        started = time.perf_counter()
        for statement in SEED_SQL.format(users=users, sessions=sessions).split(";\n"):
            if statement.strip():
                step = time.perf_counter()
                pg(statement, bench.pg_name)
                print(f"  seeded: {statement.split()[2]} in {time.perf_counter() - step:.1f} s", flush=True)
        pg("VACUUM ANALYZE", bench.pg_name)
        seeded = time.perf_counter() - started
        now = datetime.now(UTC)
        rng = random.Random(7)
        picks = [rng.randint(1, users) for _ in range(requests)]
        # Players 1, 11, 21, ... have sessions today (s % 30 == 0 with s = player - 1 + users * k).
        today_picks = [1 + 10 * rng.randrange(users // 10) for _ in range(requests)]
        tokens = {
            i: issue_access_token(ACCESS_KEY, str(uuid.UUID(_md5(f"u{i}"))), 0, now, timedelta(hours=1))
            for i in picks + today_picks
        }
        today = now.strftime("%Y-%m-%d")
        figures: dict[str, Any] = {"seed_seconds": round(seeded, 1)}
        for name, path in (("health", "/health"), ("all-time", "/api/v1/leaderboards/all-time"),
                           ("daily", f"/api/v1/leaderboards/daily/{today}")):  # fmt: skip
            jobs = []
            for i in today_picks if name == "daily" else picks:
                offset = rng.randrange(0, 2000) * 20
                query = "" if name == "health" else f"?grid_size=5&order_mode=ASC&limit=20&offset={offset}"
                jobs.append(request_bytes("GET", path + query, token=tokens[i]))
            blast(bench.port, jobs[:200], 1)  # warm the caches and the connection pool
            _, out = blast(bench.port, jobs, 1)  # one at a time: latency, not throughput
            if any(status != 200 for status, _, _ in out):
                raise RuntimeError(f"unexpected answers: {Counter(status for status, _, _ in out)}")
            if name != "health":
                sample = json.loads(out[-1][2])
                if sample["meta"]["me"] is None or len(sample["data"]) > 20:
                    raise RuntimeError(f"the board answered without the caller's rank: {sample['meta']}")
                figures[f"{name}_total"] = sample["meta"]["total"]
            latencies = sorted(latency * 1000 for _, latency, _ in out)
            figures[name] = {
                "p50_ms": round(latencies[len(latencies) // 2], 2),
                "p99_ms": round(latencies[int(len(latencies) * 0.99)], 2),
            }
        return figures
    finally:
        bench.close()


# --- the coach's fit over 1,000,000 sessions (issue 12) --------------------------------------------

COACH_SEED_SQL = """
INSERT INTO users (id, email, password_hash, display_name, display_name_key, preferences, is_premium,
                   created_at, updated_at)
SELECT md5('u' || i)::uuid::text, 'u' || i || '@seed.example', 'x', 'Seed ' || i, 'seed ' || i, '{{}}', false,
       now(), now()
FROM generate_series(1, {users}) AS i;

INSERT INTO training_sessions (id, user_id, mode, ticket_id, grid_size, order_mode, status,
                               completion_time_ms, started_at, verified, reasons, period, attempt, payload,
                               received_at)
SELECT md5('s' || s)::uuid::text, md5('u' || (1 + s % {users}))::uuid::text, 'practice', NULL,
       4 + s % 4, CASE WHEN s % 3 = 0 THEN 'DESC' ELSE 'ASC' END,
       CASE WHEN s % 7 = 0 THEN 'timeout' ELSE 'completed' END, 20000, now() AT TIME ZONE 'UTC', true, '[]',
       NULL, NULL,
       json_build_object('max_time', (ARRAY[30, 45, 60, 90, 120])[1 + s % 5], 'hint_enabled', s % 50 = 0,
                         'reshuffle', false, 'mistakes', s % 4, 'tap_events', '[]'::json),
       now() AT TIME ZONE 'UTC'
FROM generate_series(1, {sessions}) AS s;
"""
"""Players of every ability on classic 4×4 to 7×7 in both orders, under five time limits; the payload
holds what ``core.coach_row`` reads (the fit never reads tap logs, so none are seeded)."""


def fetch_seconds(sql: str, database: str) -> float:
    """Seconds to fetch every row of ``sql`` into Python (asyncpg): the floor any fit over them pays."""

    async def run() -> float:
        connection = await asyncpg.connect(PG_ADMIN.rsplit("/", 1)[0] + f"/{database}")
        try:
            started = time.perf_counter()
            await connection.fetch(sql)
            return time.perf_counter() - started
        finally:
            await connection.close()

    return asyncio.run(run())


def measure_coach(users: int, sessions: int, runs: int, tmp: Path) -> dict[str, Any]:
    """Median seconds of ``python -m server coach fit``, and of reading the same rows alone (baseline)."""
    bench = Bench("postgres", tmp, coach_fit_max_age_seconds="0")
    try:
        if bench.pg_name is None:
            raise RuntimeError("the coach benchmark needs PostgreSQL")
        started = time.perf_counter()
        for statement in COACH_SEED_SQL.format(users=users, sessions=sessions).split(";\n"):
            if statement.strip():
                pg(statement, bench.pg_name)
        pg("VACUUM ANALYZE", bench.pg_name)
        seeded = time.perf_counter() - started
        env = {**os.environ, "SCHULTE_DATABASE_URL": bench.url, "SCHULTE_SECRET": SECRET}
        fits, reads, output = [], [], ""
        for _ in range(runs):
            step = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "server", "coach", "fit"], cwd=ROOT, env=env,
                                  capture_output=True, text=True, check=True)  # fmt: skip
            fits.append(time.perf_counter() - step)
            output = done.stdout.strip()
            reads.append(fetch_seconds(
                "SELECT user_id, variant, grid_size, order_mode, status, payload->'max_time', "
                "payload->'hint_enabled', payload->'reshuffle', payload->'mistakes' "
                "FROM training_sessions WHERE verified",
                bench.pg_name,
            ))  # fmt: skip
        return {
            "seed_seconds": round(seeded, 1),
            "fit_seconds": statistics.median(fits),
            "read_seconds": statistics.median(reads),
            "output": output,
        }
    finally:
        bench.close()


def _md5(text: str) -> str:
    import hashlib

    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 -- mirrors the seed SQL's md5 ids, not security


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=3, help="upload runs per backend (the median is shown)")
    parser.add_argument("--per-run", type=int, default=1500, help="sessions per run and per upload style")
    parser.add_argument("--batch", type=int, default=50, help="sessions per sync request")
    parser.add_argument("--skip-board", action="store_true", help="skip the 1,000,000-session leaderboard")
    parser.add_argument("--board-users", type=int, default=100_000)
    parser.add_argument("--board-sessions", type=int, default=1_000_000)
    parser.add_argument("--board-requests", type=int, default=2000)
    parser.add_argument("--skip-load", action="store_true", help="skip the load run of issue 14 (item 10)")
    parser.add_argument("--load-only", action="store_true", help="only the load run of issue 14 (item 10)")
    parser.add_argument("--load-seconds", type=float, default=20, help="length of each load run (issue: 60)")
    parser.add_argument(
        "--load-players", type=int, default=100, help="players uploading at once (issue: 100)"
    )
    parser.add_argument("--load-batch", type=int, default=10, help="sessions per sync in the load run")
    parser.add_argument("--load-modes", default=",".join(LOAD_MODES), help="offload modes to compare")
    parser.add_argument("--coach", action="store_true", help="also time `coach fit` over --coach-sessions")
    parser.add_argument("--coach-only", action="store_true", help="only time `coach fit` (issue 12)")
    parser.add_argument("--coach-sessions", type=int, default=1_000_000)
    parser.add_argument("--coach-users", type=int, default=20_000)
    parser.add_argument("--coach-runs", type=int, default=3)
    args = parser.parse_args()
    if args.load_only:
        args.backends, args.skip_board = "", True
    if args.coach_only:
        args.backends, args.skip_board, args.skip_load, args.coach = "", True, True, True

    with tempfile.TemporaryDirectory(prefix="schulte-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if not args.skip_load:
            modes = [mode for mode in args.load_modes.split(",") if mode]
            load = {mode: measure_load(mode, args.load_players, args.load_seconds, args.load_batch, tmp)
                    for mode in modes}  # fmt: skip
            print_load(load, args.load_players, args.load_seconds, args.load_batch)
        for backend in filter(None, args.backends.split(",")):
            bench = Bench(backend, tmp)
            try:
                figures = measure_uploads(bench, args.runs, args.per_run, args.batch)
            finally:
                bench.close()
            health = figures["health"]
            print(
                f"\n{backend}: genuine ranked session uploads, median of {args.runs} runs, granian 1 worker"
            )
            print(f"  GET /health                      {health:8.0f} req/s  (baseline, same run)")
            print(f"  POST /sessions (1 per request)   {figures['single']:8.0f} sessions/s  "
                  f"({figures['single'] / health:.2f} x /health)")  # fmt: skip
            print(f"  POST /sessions/sync ({args.batch} per req)  {figures['sync']:8.0f} sessions/s  "
                  f"({figures['sync'] / health:.2f} x /health)")  # fmt: skip
            if figures["errors"]:
                print(f"  unexpected answers: {figures['errors']}")
        if not args.skip_board:
            board = measure_board(args.board_users, args.board_sessions, args.board_requests, tmp)
            print(
                f"\npostgres: leaderboard page (20 rows) + own rank, {args.board_sessions:,} sessions from "
                f"{args.board_users:,} users (seeded in {board['seed_seconds']} s), one request at a time"
            )
            for name in ("health", "all-time", "daily"):
                total = f"  ({board[name + '_total']:,} players on the board)" if name != "health" else ""
                p50, p99 = board[name]["p50_ms"], board[name]["p99_ms"]
                print(f"  {name:9} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms{total}")
        if args.coach:
            coach = measure_coach(args.coach_users, args.coach_sessions, args.coach_runs, tmp)
            print(f"\npostgres: python -m server coach fit over {args.coach_sessions:,} verified sessions "
                  f"of {args.coach_users:,} players (seeded in {coach['seed_seconds']} s), "
                  f"median of {args.coach_runs}")  # fmt: skip
            print(f"  coach fit (whole command)  {coach['fit_seconds']:7.1f} s   {coach['output']}")
            print(f"  fetching the same rows     {coach['read_seconds']:7.1f} s   (baseline, same run)")
            print(f"  ratio                      {coach['fit_seconds'] / coach['read_seconds']:7.1f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
