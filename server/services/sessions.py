"""Sessions: ingest (one or a sync batch), history, detail, delete, and the stats kept on write.

Every session is replayed by ``core.verify``; ranked-mode sessions are also checked against their
ticket. A session with any reason is stored as unverified with its reasons and reaches no board.
The whole batch runs in one transaction under a lock on the user's stats row, so two uploads of the
same user (two tabs, two workers) are applied one after the other.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

import core
from server import offload
from server.db.models import tickets, training_sessions, user_days, user_stats
from server.errors import ApiError
from server.services import Context, duels, utcnow
from server.services.boards import (
    CHALLENGE_ATTEMPTS,
    achieved_at,
    board_keys_for,
    recompute_entries,
    upsert_bests,
)
from server.services.quotas import charge

__all__ = [
    "Incoming",
    "Outcome",
    "Result",
    "delete_session",
    "get_session",
    "ingest",
    "list_sessions",
    "read_stats",
    "rebuild_stats",
    "session_duration_ms",
]


Result = Literal["created", "duplicate", "rejected"]
"""What happened to one uploaded item (CONTRACT: ``POST /sessions/sync``)."""

UNJUDGED = frozenset({"UNKNOWN_VARIANT"})
"""Reasons that say this server cannot judge a session (a newer client's vocabulary), not that the
session is wrong: it is kept unverified, so nothing played is lost, and answered ``rejected``."""


@dataclass(frozen=True, slots=True)
class Incoming:
    """One item to ingest: the wire dict when it decoded, else why not (``id`` when one was usable)."""

    id: str | None
    payload: dict[str, Any] | None
    problem: str | None = None
    code: str = "MALFORMED"
    """The reason code of an item that did not decode: core's format code when it has a sharper one."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one item."""

    id: str | None
    result: Result
    verified: bool
    reasons: list[dict[str, Any]]
    stored: bool
    received_at: datetime | None = None
    """When a created session was stored (``None`` for the other results)."""


@dataclass(slots=True)
class _Batch:
    """What one upload is judged against, loaded once under the lock on the user's stats row."""

    user_id: str
    now: datetime
    stats: dict[str, Any]
    known: dict[str, Any]
    """Stored sessions with an id of this batch: ``id -> (id, user_id, verified, reasons)``."""
    tickets: dict[str, dict[str, Any]]
    """The tickets this batch names, by id."""
    taken: dict[str, str]
    """Ticket id -> the session that consumed it (updated as the batch consumes tickets)."""
    reasons: dict[str, list[dict[str, Any]]]
    """``core.verify``'s reasons for each new session, by id (worked out in the offload pool)."""
    recent: dict[tuple[int, str], list[float]]
    """The user's recent ranked-eligible times per board (newest first), for ``core.review_reason``."""
    seen: dict[str, Outcome] = field(default_factory=dict)
    """Outcomes of ids earlier in this batch (a batch may repeat an id)."""
    rows: list[dict[str, Any]] = field(default_factory=list)
    consumed: list[dict[str, Any]] = field(default_factory=list)
    bests: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Judgement:
    """What the rules say about one new session."""

    reasons: list[dict[str, Any]]
    period: str | None
    attempt: int | None
    started: datetime
    """``started_at``, clamped between its ticket's issue and its upload (a client cannot move it)."""
    off_board: bool = False
    """Verified, but kept off the boards: late, or held for review."""

    @property
    def verified(self) -> bool:
        """No reason against it other than the ones that only keep it off the boards."""
        return all(reason["code"] in OFF_BOARD_CODES for reason in self.reasons)


# Statements of the upload path, built once: building a statement costs more than running it.
_LOCK_STATS = select(user_stats).where(user_stats.c.user_id == bindparam("uid")).with_for_update()
_KNOWN_IDS = select(
    training_sessions.c.id,
    training_sessions.c.user_id,
    training_sessions.c.verified,
    training_sessions.c.reasons,
).where(training_sessions.c.id.in_(bindparam("ids", expanding=True)))
_TICKETS = select(tickets).where(tickets.c.id.in_(bindparam("ids", expanding=True)))
_INSERT_SESSIONS = insert(training_sessions)
_CONSUME_TICKET = (
    update(tickets)
    .where(tickets.c.id == bindparam("ticket"), tickets.c.session_id.is_(None))
    .values(session_id=bindparam("session"))
)


@functools.cache
def _update_stats_statement(columns: tuple[str, ...]) -> Any:
    # Bound values are named like their columns; SQLAlchemy binds a column's SET value by its name.
    return (
        update(user_stats)
        .where(user_stats.c.user_id == bindparam("uid"))
        .values({name: bindparam(name) for name in columns})
    )


OFF_BOARD_CODES = frozenset({"LATE_UPLOAD", "HELD_FOR_REVIEW"})
"""Reasons that leave a session verified (its player sees it as genuine) but off the boards."""

RECENT_RESULTS = 10
"""How many of a player's latest results on a board ``core.review_reason`` compares a new one with."""

_RECENT = (
    select(training_sessions.c.completion_time_ms)
    .where(
        training_sessions.c.user_id == bindparam("uid"),
        training_sessions.c.grid_size == bindparam("grid_size"),
        training_sessions.c.order_mode == bindparam("order_mode"),
        training_sessions.c.status == core.Status.COMPLETED.value,
        training_sessions.c.verified.is_(True),
        training_sessions.c.review.is_distinct_from("held"),
        training_sessions.c.deleted_at.is_(None),
    )
    .order_by(training_sessions.c.started_at.desc())
    .limit(RECENT_RESULTS)
)


def verify_all(payloads: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``core.verify``'s reasons for each payload: one call into the offload pool per batch."""
    return {
        key: [reason.to_dict() for reason in core.verify(payload).reasons]
        for key, payload in payloads.items()
    }


def _reason(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "index": None}


def session_duration_ms(payload: dict[str, Any]) -> float:
    """How long the board was on screen: the last tap's time since it was shown."""
    taps = payload.get("tap_events") or []
    return max((float(tap["timestamp_ms"]) for tap in taps), default=0.0)


def _ticket_reasons(
    ctx: Context, batch: _Batch, payload: dict[str, Any], ticket: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Server-side checks of a ranked-mode session against its ticket (CONTRACT: tickets)."""
    if payload["ticket_id"] is None:
        return [_reason("TICKET_REQUIRED", f"{payload['mode']} sessions need a ticket from POST /tickets")]
    if ticket is None:
        return [_reason("TICKET_NOT_FOUND", "no ticket has this id")]
    if ticket["user_id"] != batch.user_id:
        return [_reason("TICKET_NOT_YOURS", "the ticket was issued to another player")]
    reasons = []
    used_by = batch.taken.get(ticket["id"])
    if used_by is not None and used_by != payload["id"]:
        reasons.append(_reason("TICKET_USED", "the ticket was already used by another session"))
    names = ("mode", "variant", "grid_size", "order_mode", "board_seed")
    wanted = tuple(ticket[name] for name in names)
    played = {"variant": core.Variant.CLASSIC.value, **payload}  # schema 1 and an absent variant: classic
    sent = tuple(played[name] for name in names)
    if wanted != sent:
        differ = [name for name, a, b in zip(names, wanted, sent, strict=True) if a != b]
        reasons.append(
            _reason("TICKET_MISMATCH", f"the session's {', '.join(differ)} differ from its ticket's")
        )
    started = datetime.fromisoformat(payload["started_at"])
    if (
        not ticket["issued_at"] - timedelta(seconds=ctx.settings.clock_skew_seconds)
        <= started
        <= ticket["expires_at"]
    ):
        reasons.append(_reason("TICKET_EXPIRED", "the attempt did not start while the ticket was valid"))
    elapsed_ms = (batch.now - ticket["issued_at"]).total_seconds() * 1000
    if elapsed_ms < session_duration_ms(payload):
        reasons.append(
            _reason(
                "UPLOAD_TOO_SOON",
                f"uploaded {elapsed_ms:.0f} ms after the ticket, shorter than the game itself",
            )
        )
    limit = CHALLENGE_ATTEMPTS.get(ticket["mode"])
    if limit is not None and (ticket["attempt"] or 0) > limit:
        reasons.append(_reason("CHALLENGE_ATTEMPTS_USED", f"only {limit} attempt(s) count per challenge"))
    return reasons


async def ingest(ctx: Context, user_id: str, items: list[Incoming]) -> list[Outcome]:
    """Verify and store ``items`` for ``user_id``; idempotent by session id; one outcome per item.

    Replay the new sessions first (no lock held), then four phases: load what the batch is judged
    against, classify each item (answered at once, or judged and turned into a row), then store the
    rows and update the boards and stats.
    """
    await charge(ctx, user_id, "upload")
    reasons = await _replay(ctx, items)
    async with ctx.db.engine.begin() as conn:
        batch = await _load(ctx, conn, user_id, items, reasons, utcnow())
        outcomes = []
        for item in items:
            if item.payload is None or item.id is None:
                reason = _reason(item.code, item.problem or "not a session")
                outcomes.append(Outcome(item.id, "rejected", False, [reason], False))
                continue
            outcome = _answer_known(batch, item.id) or _admit(ctx, batch, item.id, item.payload)
            batch.seen.setdefault(item.id, outcome)
            outcomes.append(outcome)
        await _store(ctx, conn, batch)
    return outcomes


async def _replay(ctx: Context, items: list[Incoming]) -> dict[str, list[dict[str, Any]]]:
    """Phase 0: ``core.verify`` the items not stored yet, in the offload pool, before any lock is taken.

    Neither the event loop nor a database connection waits on the replay: a big sync held both
    while it ran, and board reads queued behind it for a connection.
    """
    ids = [item.id for item in items if item.payload is not None and item.id]
    if not ids:
        return {}
    async with ctx.db.engine.connect() as conn:
        stored = {row.id for row in await conn.execute(_KNOWN_IDS, {"ids": ids})}
    fresh = {item.id: item.payload for item in items if item.id and item.payload and item.id not in stored}
    return await offload.run(ctx.settings, verify_all, fresh, pool="verify") if fresh else {}


async def _load(
    ctx: Context,
    conn: AsyncConnection,
    user_id: str,
    items: list[Incoming],
    reasons: dict[str, list[dict[str, Any]]],
    now: datetime,
) -> _Batch:
    """Phase 1: lock the user's stats row and read what the batch is judged against.

    Read: the stored ids, the tickets the batch names, the user's recent results on its boards.
    """
    stats = (await conn.execute(_LOCK_STATS, {"uid": user_id})).mappings().first()
    if stats is None:
        raise ApiError(401, "UNAUTHORIZED", "the account of this token no longer exists")
    ids = [item.id for item in items if item.payload is not None and item.id]
    ticket_ids = [
        item.payload["ticket_id"] for item in items if item.payload and item.payload.get("ticket_id")
    ]
    known: dict[str, Any] = {}
    if ids:
        known = {row.id: row for row in await conn.execute(_KNOWN_IDS, {"ids": ids})}
    found: dict[str, dict[str, Any]] = {}
    if ticket_ids:
        found = {
            row["id"]: dict(row) for row in (await conn.execute(_TICKETS, {"ids": ticket_ids})).mappings()
        }
    taken = {tid: row["session_id"] for tid, row in found.items() if row["session_id"]}
    fresh = {item.id: item.payload for item in items if item.id and item.payload and item.id not in known}
    recent: dict[tuple[int, str], list[float]] = {}
    for payload in fresh.values():
        board = _board_of(payload)
        if payload["mode"] != core.Mode.PRACTICE and board not in recent:
            params = {"uid": user_id, "grid_size": board[0], "order_mode": board[1]}
            recent[board] = [float(time) for time in (await conn.execute(_RECENT, params)).scalars()]
    return _Batch(user_id, now, dict(stats), known, found, taken, reasons, recent)


def _board_of(payload: dict[str, Any]) -> tuple[int, str]:
    """The board a session is judged on for review: the one place that names a board's identity."""
    return (payload["grid_size"], payload["order_mode"])


def _answer_known(batch: _Batch, session_id: str) -> Outcome | None:
    """Phase 2a: the answer for an id already seen in this batch or stored, else ``None`` (a new one)."""
    first = batch.seen.get(session_id)
    if first is not None:
        result: Result = _kept(first.reasons) or ("duplicate" if first.stored else "rejected")
        return Outcome(session_id, result, first.verified, first.reasons, first.stored)
    row = batch.known.get(session_id)
    if row is None:
        return None
    if row.user_id != batch.user_id:
        reason = _reason("ID_TAKEN", "another player's session has this id; make a new UUID")
        return Outcome(session_id, "rejected", False, [reason], False)
    reasons = list(row.reasons)
    return Outcome(session_id, _kept(reasons) or "duplicate", bool(row.verified), reasons, True)


def _kept(reasons: list[dict[str, Any]]) -> Result | None:
    """``rejected`` for a session kept although this server cannot judge it, else ``None``."""
    return "rejected" if any(reason["code"] in UNJUDGED for reason in reasons) else None


def _admit(ctx: Context, batch: _Batch, session_id: str, payload: dict[str, Any]) -> Outcome:
    """Phase 2b: judge a new session, queue its row and its board entries; it is always stored."""
    judgement = _judge(ctx, batch, session_id, payload)
    row = _row(batch, session_id, payload, judgement)
    _cap_payload(ctx, batch, row)
    batch.rows.append(row)
    batch.bests += _bests(row)
    result = _kept(row["reasons"]) or "created"
    return Outcome(session_id, result, row["verified"], row["reasons"], True, batch.now)


def _judge(ctx: Context, batch: _Batch, session_id: str, payload: dict[str, Any]) -> _Judgement:
    """The reasons against a new session (core's replay, then its ticket) and the period it counts for.

    A ranked-mode session takes its start (clamped) and its day from its ticket; when it is verified,
    it may still stay off the boards: late (``LATE_UPLOAD``) or held (``HELD_FOR_REVIEW``).
    """
    reasons = list(batch.reasons[session_id])
    started = datetime.fromisoformat(payload["started_at"])
    mode = core.Mode(payload["mode"])
    if mode is core.Mode.PRACTICE:
        return _Judgement(reasons, None, None, started)
    period = core.challenge_period(core.Mode.DAILY, started) if mode is core.Mode.RANKED else None
    attempt: int | None = None
    ticket = batch.tickets.get(payload["ticket_id"]) if payload["ticket_id"] else None
    reasons += _ticket_reasons(ctx, batch, payload, ticket)
    if ticket is not None and ticket["user_id"] == batch.user_id:
        # The board was not shown before the ticket revealed it, nor after the upload arrived.
        started = min(max(started, ticket["issued_at"]), batch.now)
        if ticket["id"] not in batch.taken:
            batch.taken[ticket["id"]] = session_id  # the first session naming a ticket of yours consumes it
            batch.consumed.append({"ticket": ticket["id"], "session": session_id})
        if mode is core.Mode.RANKED:
            period = core.challenge_period(core.Mode.DAILY, ticket["issued_at"])
        else:
            period, attempt = ticket["period"], ticket["attempt"]
    judgement = _Judgement(reasons, period, attempt, started)
    if ticket is None or not judgement.verified:
        return judgement
    late = _lateness(ctx, batch, payload, ticket)
    if late is not None:
        return _Judgement([*reasons, late], period, attempt, started, off_board=True)
    if payload["status"] != core.Status.COMPLETED:
        return judgement
    recent = batch.recent.setdefault(_board_of(payload), [])
    time_ms = float(payload["completion_time_ms"])
    held = core.review_reason(time_ms, payload["grid_size"] ** 2, recent)
    if held is not None:
        return _Judgement([*reasons, held.to_dict()], period, attempt, started, off_board=True)
    recent.insert(0, time_ms)  # a later session of this batch is judged against this one too
    return judgement


def _lateness(
    ctx: Context, batch: _Batch, payload: dict[str, Any], ticket: dict[str, Any]
) -> dict[str, Any] | None:
    """``LATE_UPLOAD`` when the session reached us after its ticket's window (CONTRACT: Fair play)."""
    window_ms = core.upload_window_ms(payload) + ctx.settings.upload_slack_seconds * 1000
    took_ms = (batch.now - ticket["issued_at"]).total_seconds() * 1000
    if took_ms <= window_ms:
        return None
    return _reason(
        "LATE_UPLOAD",
        f"reached the server {took_ms / 1000:.1f} s after its ticket, past its "
        f"{window_ms / 1000:.1f} s window: kept in your history, not ranked",
    )


def _row(batch: _Batch, session_id: str, payload: dict[str, Any], judgement: _Judgement) -> dict[str, Any]:
    """Phase 3: the ``training_sessions`` row of a judged session."""
    held = any(reason["code"] == "HELD_FOR_REVIEW" for reason in judgement.reasons)
    return {
        "id": session_id,
        "user_id": batch.user_id,
        "mode": payload["mode"],
        "ticket_id": payload["ticket_id"],
        "variant": payload.get("variant", core.Variant.CLASSIC.value),
        "grid_size": payload["grid_size"],
        "order_mode": payload["order_mode"],
        "status": payload["status"],
        "completion_time_ms": payload["completion_time_ms"],
        "started_at": judgement.started,
        "verified": judgement.verified,
        "reasons": judgement.reasons,
        "period": judgement.period,
        "attempt": judgement.attempt,
        "payload": payload,
        "received_at": batch.now,
        "deleted_at": None,
        "off_board": judgement.off_board,
        "review": "held" if held else None,
    }


def _cap_payload(ctx: Context, batch: _Batch, row: dict[str, Any]) -> None:
    """Past the user's cap of unverified tap logs, keep an unverified row's summary only, and say so."""
    if row["verified"]:
        return
    stats = batch.stats
    kept = stats["total_sessions"] - stats["verified_sessions"]
    kept += sum(not earlier["verified"] for earlier in batch.rows)
    if kept < ctx.settings.unverified_payload_cap:
        return
    row["payload"] = dict(row["payload"], tap_events=[])
    row["reasons"] = [
        *row["reasons"],
        _reason(
            "TAP_LOG_DROPPED",
            f"you have {kept} unverified sessions stored; past {ctx.settings.unverified_payload_cap} only "
            "their summary is kept, not their tap log",
        ),
    ]


def _bests(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The board entries a stored row competes for: none unless verified and completed."""
    if row["off_board"] or not (row["verified"] and row["status"] == core.Status.COMPLETED):
        return []
    keys = board_keys_for(
        row["mode"], row["period"], row["attempt"], row["variant"], row["grid_size"], row["order_mode"]
    )
    return [
        {
            "board": key.board,
            "period": key.period,
            "variant": key.variant,
            "grid_size": key.grid_size,
            "order_mode": key.order_mode,
            "user_id": row["user_id"],
            "best_time_ms": row["completion_time_ms"],
            "session_id": row["id"],
            "achieved_at": achieved_at(row["payload"], row["received_at"]),
        }
        for key in keys
    ]


async def _store(ctx: Context, conn: AsyncConnection, batch: _Batch) -> None:
    """Phase 4: insert the new rows, consume their tickets, update the boards and the user's stats.

    Consuming a duel ticket records its player's result on the duel (and may settle it).
    """
    if not batch.rows:
        return
    await conn.execute(_INSERT_SESSIONS, batch.rows)
    if batch.consumed:
        await conn.execute(_CONSUME_TICKET, batch.consumed)
        rows = {row["id"]: row for row in batch.rows}
        for consumed in batch.consumed:
            duel_id = batch.tickets[consumed["ticket"]].get("duel_id")
            if duel_id:
                row = rows[consumed["session"]]
                finished = achieved_at(row["payload"], row["received_at"])
                await duels.record_result(conn, duel_id, row, finished, batch.now)
    await upsert_bests(ctx, conn, batch.bests)
    await _update_stats(ctx, conn, batch.stats, batch.rows, batch.now)


_BOARDS: dict[str, tuple[str, int, str]] = {
    core.board_key(size, order.value, variant.value): (variant.value, size, order.value)
    for variant in core.Variant
    for size in variant.sizes
    for order in core.Order
}
"""Every board key ``core.board_key`` makes, with its board: keys are looked up, never split."""


def _folded_session(row: dict[str, Any]) -> core.TrainingSession:
    """A stored session as ``core.Stats.add`` reads it: its board, status, time and (server's) start.

    Built from the row's columns, not decoded again: the fold reads nothing else (no tap, no seed),
    so the other fields are the payload's where it has them. A session kept although its variant is
    unknown here is unverified, so the fold counts it as played on no board; it is read as classic.
    """
    payload = row["payload"] or {}
    variant = row["variant"] if row["variant"] in _VARIANTS else core.Variant.CLASSIC.value
    return core.TrainingSession(
        id=row["id"],
        mode=core.Mode(row["mode"]),
        ticket_id=row["ticket_id"],
        grid_size=row["grid_size"],
        order_mode=core.Order(row["order_mode"]),
        max_time=payload.get("max_time", core.MAX_TIME_RANGE[1]),
        hint_enabled=payload.get("hint_enabled", False),
        board_seed=payload.get("board_seed", 0),
        started_at=row["started_at"],
        completed_at=None,
        status=core.Status(row["status"]),
        completion_time_ms=row["completion_time_ms"],
        paused_ms=payload.get("paused_ms", 0.0),
        mistakes=payload.get("mistakes", 0),
        accuracy=payload.get("accuracy", 0.0),
        tap_events=(),
        variant=core.Variant(variant),
    )


_VARIANTS = frozenset(variant.value for variant in core.Variant)


def _stats_of(row: dict[str, Any]) -> core.Stats:
    """The ``core.Stats`` kept in a ``user_stats`` row (``per_board``: count, total and best per key)."""
    boards = row["per_board"] or {}
    return core.Stats(
        total_sessions=row["total_sessions"],
        completed_sessions=row["completed_sessions"],
        streak=core.Streak(row["current_streak"], row["longest_streak"], row["last_played_day"]),
        best_times={key: float(entry["best"]) for key, entry in boards.items() if "best" in entry},
        avg_times={
            key: round(entry["total"] / entry["count"]) for key, entry in boards.items() if entry["count"]
        },
        completed={key: int(entry["count"]) for key, entry in boards.items()},
        verified_sessions=row["verified_sessions"],
        time_sums={key: float(entry["total"]) for key, entry in boards.items()},
    )


def _stats_values(stats: core.Stats) -> dict[str, Any]:
    """The ``user_stats`` columns of ``stats`` other than the streak's (kept from ``user_days``)."""
    return {
        "total_sessions": stats.total_sessions,
        "completed_sessions": stats.completed_sessions,
        "verified_sessions": stats.verified_sessions,
        "per_board": {
            key: {"count": count, "total": stats.time_sums[key], "best": stats.best_times[key]}
            for key, count in sorted(stats.completed.items())
        },
    }


def _streak(days: list[date], start: core.Streak | None = None) -> core.Streak:
    """``core.Streak`` extended by sorted ``days``."""
    streak = start or core.Streak()
    for day in days:
        streak = streak.extend(day)
    return streak


async def _update_stats(
    ctx: Context, conn: AsyncConnection, stats: dict[str, Any], rows: list[dict[str, Any]], now: datetime
) -> None:
    """Fold new sessions into ``user_stats`` (the row is locked by the caller)."""
    user_id = stats["user_id"]
    folded = _stats_of(stats)
    for row in rows:
        folded = folded.add(_folded_session(row), bool(row["verified"]))
    values: dict[str, Any] = _stats_values(folded) | {"updated_at": now}
    # Streaks count UTC days with a completed game (core.Streak); user_days keeps one row per such day.
    days = sorted({row["started_at"].date() for row in rows if row["status"] == core.Status.COMPLETED})
    last = stats["last_played_day"]
    # Days after the last one played are new and the last one is known: only older days need a look-up.
    new_days = [day for day in days if last is None or day > last]
    older = [day for day in days if last is not None and day < last]
    if older:
        known_days = select(user_days.c.day).where(user_days.c.user_id == user_id, user_days.c.day.in_(older))
        have = set((await conn.execute(known_days)).scalars())
        new_days = sorted(new_days + [day for day in older if day not in have])
    if new_days:
        await conn.execute(insert(user_days), [{"user_id": user_id, "day": day} for day in new_days])
        held = core.Streak(stats["current_streak"], stats["longest_streak"], stats["last_played_day"])
        if held.last_day is None or new_days[0] > held.last_day:
            streak = _streak(new_days, held)  # the common case: days arrive in order
        else:  # an old day synced late: recount from the user's days (one row per day)
            every = (
                await conn.execute(
                    select(user_days.c.day).where(user_days.c.user_id == user_id).order_by(user_days.c.day)
                )
            ).scalars()
            streak = _streak(list(every))
        values |= {
            "current_streak": streak.current,
            "longest_streak": streak.longest,
            "last_played_day": streak.last_day,
        }
    await conn.execute(_update_stats_statement(tuple(sorted(values))), {"uid": user_id, **values})


async def rebuild_stats(conn: AsyncConnection, user_id: str, now: datetime) -> None:
    """Recount a user's stats from the history (after a delete; rare, so a scan of one user is fine)."""
    s = training_sessions.c
    rows = (
        await conn.execute(
            select(
                s.id,
                s.mode,
                s.ticket_id,
                s.variant,
                s.grid_size,
                s.order_mode,
                s.status,
                s.completion_time_ms,
                s.started_at,
                s.verified,
                s.payload,
            ).where(s.user_id == user_id, s.deleted_at.is_(None))
        )
    ).mappings()
    sessions = {}
    verdicts = {}
    for row in rows:
        session = _folded_session(dict(row))
        sessions[session.id] = session
        verdicts[session.id] = bool(row["verified"])
    stats = core.summarize(sessions.values(), verified=lambda session: verdicts[session.id])
    days = sorted(
        {
            session.started_at.date()
            for session in sessions.values()
            if session.status is core.Status.COMPLETED
        }
    )
    await conn.execute(user_days.delete().where(user_days.c.user_id == user_id))
    if days:
        await conn.execute(insert(user_days), [{"user_id": user_id, "day": day} for day in days])
    streak = _streak(days)  # every day, in order: exact where ``Stats.add``'s streak skips late days
    await conn.execute(
        update(user_stats)
        .where(user_stats.c.user_id == user_id)
        .values(
            **_stats_values(stats),
            current_streak=streak.current,
            longest_streak=streak.longest,
            last_played_day=streak.last_day,
            updated_at=now,
        )
    )


async def read_stats(ctx: Context, user_id: str) -> dict[str, Any] | None:
    """A user's stats, with the current streak as of today (0 once a whole UTC day was missed)."""
    async with ctx.db.engine.connect() as conn:
        row = (
            (await conn.execute(select(user_stats).where(user_stats.c.user_id == user_id))).mappings().first()
        )
    if row is None:
        return None
    stats = dict(row)
    streak = core.Streak(stats["current_streak"], stats["longest_streak"], stats["last_played_day"])
    stats["current_streak"] = streak.as_of(utcnow().date())
    folded = _stats_of(stats)
    del stats["per_board"]
    boards = []
    for key, count in sorted(folded.completed.items()):
        board = _BOARDS.get(key)
        if board is None:
            continue  # a board this server no longer knows (never written by this version)
        variant, grid_size, order_mode = board
        boards.append(
            {
                "variant": variant,
                "grid_size": grid_size,
                "order_mode": order_mode,
                "completed": count,
                "best_time_ms": folded.best_times.get(key),
                "average_time_ms": folded.avg_times.get(key),
            }
        )
    stats["boards"] = boards
    return stats


async def list_sessions(
    ctx: Context, user_id: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the user's history, newest first, and the total."""
    s = training_sessions.c
    visible = (s.user_id == user_id) & s.deleted_at.is_(None)
    async with ctx.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(
                    s.id,
                    s.mode,
                    s.variant,
                    s.grid_size,
                    s.order_mode,
                    s.status,
                    s.completion_time_ms,
                    s.started_at,
                    s.verified,
                    s.reasons,
                    s.received_at,
                )
                .where(visible)
                .order_by(s.started_at.desc(), s.id.desc())
                .limit(limit)
                .offset(offset)
            )
        ).mappings()
        page = [{str(key): value for key, value in row.items()} for row in rows]  # keys may be quoted_name
        total = (
            await conn.execute(select(func.count()).select_from(training_sessions).where(visible))
        ).scalar_one()
    return page, int(total)


async def get_session(ctx: Context, user_id: str, session_id: str) -> dict[str, Any]:
    """One of the user's sessions in full (404 for another player's: ids are not disclosed)."""
    s = training_sessions.c
    async with ctx.db.engine.connect() as conn:
        row = (
            await conn.execute(
                select(s.payload, s.verified, s.reasons, s.received_at).where(
                    s.id == session_id, s.user_id == user_id, s.deleted_at.is_(None)
                )
            )
        ).first()
    if row is None:
        raise ApiError(404, "NOT_FOUND", "no session of yours has this id")
    return dict(
        row.payload, user_id=user_id, verified=row.verified, reasons=row.reasons, received_at=row.received_at
    )


async def delete_session(ctx: Context, user_id: str, session_id: str) -> None:
    """Remove a session from the history, its board entries and stats (its id stays taken)."""
    now = utcnow()
    s = training_sessions.c
    async with ctx.db.engine.begin() as conn:
        await conn.execute(
            select(user_stats.c.user_id).where(user_stats.c.user_id == user_id).with_for_update()
        )
        gone = await conn.execute(
            update(training_sessions)
            .where(s.id == session_id, s.user_id == user_id, s.deleted_at.is_(None))
            .values(deleted_at=now)
        )
        if gone.rowcount != 1:
            raise ApiError(404, "NOT_FOUND", "no session of yours has this id")
        await recompute_entries(ctx, conn, user_id, session_id)
        await rebuild_stats(conn, user_id, now)
