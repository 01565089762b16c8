"""The coach's difficulty table: fitted from all players' verified sessions, stored, published.

``fit`` reads every verified session that is not held for review, turns each into
``core.coach_row`` (the tap log is never read: the fields it needs come out of the stored JSON in
SQL) and stores ``core.fit_difficulties``' model as JSON with an ETag. ``published`` serves the
newest stored model, or ``core.DEFAULT_MODEL`` before the first fit.

Schedule: ``python -m server coach fit`` at any time, and each server worker checks at start and
then hourly, fitting again when the stored model is older than ``coach_fit_max_age_seconds`` (a day
by default). Several workers may both fit at the turn of a day: the result is the same table twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select

import core
from server import offload
from server.db.models import coach_models, training_sessions
from server.services import Context, utcnow

__all__ = ["KEEP_MODELS", "Published", "fit", "published", "refresh_when_stale", "schedule"]

log = logging.getLogger("schulte.server")

KEEP_MODELS = 10
"""Fitted models kept in the database (the newest is published; older ones help compare fits)."""

CHECK_EVERY_SECONDS = 3600
"""How often a running server looks at the stored model's age."""

_BATCH = 10_000
"""Rows read per round trip while streaming sessions into the fit."""


@dataclass(frozen=True, slots=True)
class Published:
    """The model the app should coach with, and how to cache it."""

    model: dict[str, Any]
    """``core.CoachModel.to_dict()``."""
    etag: str
    """A strong ETag value (quoted) of exactly these bytes of model."""
    fitted_at: datetime | None
    """When it was fitted (``None`` for ``core.DEFAULT_MODEL``)."""
    sessions: int
    """Verified sessions the fit read (0 for the default)."""


def _etag(model: dict[str, Any]) -> str:
    canonical = json.dumps(model, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()[:32]


def _default() -> Published:
    model = core.DEFAULT_MODEL.to_dict()
    return Published(model, f'"{_etag(model)}"', None, 0)


def _rows_query() -> Any:
    s = training_sessions.c
    payload = s.payload
    return select(
        s.user_id,
        s.variant,
        s.grid_size,
        s.order_mode,
        s.status,
        payload["max_time"].as_integer(),
        payload["hint_enabled"].as_boolean(),
        payload["reshuffle"].as_boolean(),
        payload["mistakes"].as_integer(),
    ).where(s.verified.is_(True), s.review.is_distinct_from("held"), s.deleted_at.is_(None))


def _coach_rows(rows: list[Any]) -> list[tuple[str, str, int, bool]]:
    """``(player, board_key, max_time, success)`` of each rated game, by ``core.coach_row``."""
    out = []
    variants = {variant.value: variant for variant in core.Variant}
    for user_id, variant, grid_size, order_mode, status, max_time, hint, reshuffle, mistakes in rows:
        if variant not in variants:
            continue
        session = core.TrainingSession(
            id="",
            mode=core.Mode.PRACTICE,
            ticket_id=None,
            grid_size=grid_size,
            order_mode=core.Order(order_mode),
            max_time=max_time,
            hint_enabled=bool(hint),
            board_seed=0,
            started_at=datetime.min,
            completed_at=None,
            status=core.Status(status),
            completion_time_ms=None,
            paused_ms=0.0,
            mistakes=mistakes,
            accuracy=0.0,
            tap_events=(),
            variant=variants[variant],
            reshuffle=bool(reshuffle),
        )  # only the fields core.coach_row reads are real: board, limit, aids, status, mistakes
        row = core.coach_row(session)
        if row is not None:
            out.append((user_id, *row))
    return out


async def _stream_rows(ctx: Context) -> AsyncIterator[list[Any]]:
    async with ctx.db.engine.connect() as conn:
        result = await conn.stream(_rows_query().execution_options(yield_per=_BATCH))
        async for partition in result.partitions(_BATCH):
            yield list(partition)


async def fit(ctx: Context) -> Published | None:
    """Fit and store a new model from every verified session; ``None`` when there is nothing to fit."""
    rows: list[tuple[str, str, int, bool]] = []
    sessions = 0
    async for batch in _stream_rows(ctx):
        sessions += len(batch)
        rows += await offload.run(ctx.settings, _coach_rows, batch)
    if not rows:
        return None
    model = (await offload.run(ctx.settings, core.fit_difficulties, rows)).to_dict()
    etag = _etag(model)
    now = utcnow()
    async with ctx.db.engine.begin() as conn:
        await conn.execute(
            insert(coach_models).values(model=model, etag=etag, fitted_at=now, sessions=sessions)
        )
        newest = select(coach_models.c.id).order_by(coach_models.c.id.desc()).limit(KEEP_MODELS)
        await conn.execute(delete(coach_models).where(coach_models.c.id.not_in(newest.scalar_subquery())))
    return Published(model, f'"{etag}"', now, sessions)


async def published(ctx: Context) -> Published:
    """The newest fitted model, or ``core.DEFAULT_MODEL`` when nothing was fitted yet."""
    c = coach_models.c
    async with ctx.db.engine.connect() as conn:
        row = (
            await conn.execute(
                select(c.model, c.etag, c.fitted_at, c.sessions).order_by(c.id.desc()).limit(1)
            )
        ).first()
    if row is None:
        return _default()
    return Published(row.model, f'"{row.etag}"', row.fitted_at, row.sessions)


async def refresh_when_stale(ctx: Context) -> Published | None:
    """Fit again when the stored model is older than ``coach_fit_max_age_seconds`` (or absent)."""
    max_age = ctx.settings.coach_fit_max_age_seconds
    async with ctx.db.engine.connect() as conn:
        last = (await conn.execute(select(func.max(coach_models.c.fitted_at)))).scalar_one()
    if last is not None and utcnow() - last < timedelta(seconds=max_age):
        return None
    return await fit(ctx)


async def schedule(ctx: Context) -> None:
    """Run ``refresh_when_stale`` now and then every ``CHECK_EVERY_SECONDS``, until cancelled."""
    if ctx.settings.coach_fit_max_age_seconds <= 0:
        return
    while True:
        try:
            done = await refresh_when_stale(ctx)
        except Exception:
            log.exception("coach fit failed; the next check tries again")
        else:
            if done is not None:
                log.info("coach model fitted from %d sessions", done.sessions)
        await asyncio.sleep(CHECK_EVERY_SECONDS)
